//! `console`: boa_runtime's implementation (formatting, groups, `console.table`) with a logger
//! that writes into the recorder instead of the process's stdout.

use boa_engine::{Context, JsResult};
use boa_gc::{Finalize, Trace};
use boa_runtime::{ConsoleState, Logger};

use super::Host;

/// A `Logger` that records every line, attributed to the running Action.
#[derive(Debug, Trace, Finalize)]
pub(crate) struct RecordingLogger;

impl RecordingLogger {
    fn record(level: &str, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        let host = Host::of(ctx)?;
        host.check_deadline()?;
        let host = host.0.borrow();
        let indent = state.indent();
        let message = if indent > 0 { format!("{}{msg}", " ".repeat(indent)) } else { msg };
        host.recorder.borrow_mut().log(&host.action, level, message);
        Ok(())
    }
}

impl Logger for RecordingLogger {
    fn log(&self, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        Self::record("log", msg, state, ctx)
    }

    fn info(&self, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        Self::record("info", msg, state, ctx)
    }

    fn warn(&self, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        Self::record("warn", msg, state, ctx)
    }

    fn error(&self, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        Self::record("error", msg, state, ctx)
    }

    fn debug(&self, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        Self::record("debug", msg, state, ctx)
    }

    fn trace(&self, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        // Stack frames of the harness's own wrapper would make logs differ from Node; keep the message.
        Self::record("trace", msg, state, ctx)
    }
}

/// Installs `console`, `TextEncoder`/`TextDecoder`, timers, `queueMicrotask`, `structuredClone`,
/// `atob`/`btoa` from boa_runtime.
pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    boa_runtime::register(boa_runtime::extensions::ConsoleExtension(RecordingLogger), None, ctx)
}
