//! `console`: boa_runtime's implementation (formatting, groups, `console.table`) with a logger
//! that writes into the recorder instead of the process's stdout.

use boa_engine::object::ObjectInitializer;
use boa_engine::property::Attribute;
use boa_engine::{Context, JsNativeError, JsObject, JsResult, JsString, JsValue, Source};
use boa_gc::{Finalize, Trace};
use boa_runtime::{ConsoleState, Logger};

use super::{run_prelude, Host};

/// A `Logger` that records every line, attributed to the running Action.
#[derive(Debug, Trace, Finalize)]
pub(crate) struct RecordingLogger;

impl RecordingLogger {
    fn record(level: &str, msg: String, state: &ConsoleState, ctx: &mut Context) -> JsResult<()> {
        let host = Host::of(ctx)?;
        host.check_limits()?;
        let host = host.0.borrow();
        let indent = state.indent();
        let message = if indent > 0 { format!("{}{msg}", " ".repeat(indent)) } else { msg };
        host.recorder.lock().log(&host.action, level, message);
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

const FORMAT_JS: &str = include_str!("format.js");
const CONSOLE_JS: &str = include_str!("console.js");

/// Installs `console`, `TextEncoder`/`TextDecoder`, timers, `queueMicrotask`, `structuredClone`,
/// `atob`/`btoa` from boa_runtime, with console lines formatted like Node's `util.format`.
/// Returns `{format, inspect}` for `require('util')`.
pub(crate) fn register(ctx: &mut Context) -> JsResult<JsObject> {
    boa_runtime::register(boa_runtime::extensions::ConsoleExtension(RecordingLogger), None, ctx)?;
    let factory = ctx.eval(Source::from_bytes(FORMAT_JS))?;
    let factory =
        factory.as_callable().ok_or_else(|| JsNativeError::typ().with_message("format.js is not a function"))?;
    let format = factory
        .call(&JsValue::undefined(), &[], ctx)?
        .as_object()
        .ok_or_else(|| JsNativeError::typ().with_message("format.js returned no object"))?;
    let native =
        ObjectInitializer::new(ctx).property(JsString::from("format"), format.clone(), Attribute::all()).build();
    run_prelude(ctx, CONSOLE_JS, native)?;
    Ok(format)
}
