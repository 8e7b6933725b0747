//! The JS globals the harness installs, one module per global, and the state they share.
//!
//! Natives find the per-run state through [`Host`], stored in the Boa context's host data, so
//! every native function is a plain `fn` pointer (no captured state, no `unsafe` closures).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Instant;

use boa_engine::error::{EngineError, RuntimeLimitError};
use boa_engine::object::ObjectInitializer;
use boa_engine::{Context, JsError, JsNativeError, JsObject, JsResult, JsString, NativeFunction, Source};

use crate::fixture::{ActionModule, FetchMock};
use crate::packages::Packages;
use crate::recorder::SharedRecorder;

pub(crate) mod auth0;
pub(crate) mod console;
pub(crate) mod node;
pub(crate) mod webassembly;

/// Per-execution state the natives read and write.
#[derive(Debug, Default)]
pub(crate) struct HostState {
    pub(crate) recorder: SharedRecorder,
    /// The Action being executed (for attributing events).
    pub(crate) action: String,
    /// Its source text (`assert` quotes a failed call from it, as Node does from the file).
    pub(crate) source: Rc<str>,
    /// Set once the handler settled: later `api` calls are recorded as late.
    pub(crate) settled: bool,
    /// Message of an `abort` (render/redirect conflicts): fails the execution after the handler.
    pub(crate) aborted: Option<String>,
    /// The URL `api.redirect.sendUserTo` resolved to.
    pub(crate) redirect: Option<String>,
    pub(crate) fetch: Vec<FetchMock>,
    /// The Actions Modules `require('actions:NAME')` resolves.
    pub(crate) modules: BTreeMap<String, ActionModule>,
    /// Where `require` finds npm packages (fixed for the instance).
    pub(crate) packages: Packages,
    /// The instance's ES modules (also the context's module loader).
    pub(crate) esm: Option<Rc<node::esm::Loader>>,
    /// Real-time deadline of the whole trigger execution.
    pub(crate) deadline: Option<Instant>,
    /// Set when a native noticed the deadline passed; the error it raised is uncatchable.
    pub(crate) timed_out: bool,
    /// Set when a native noticed the memory limit passed (see [`crate::memory`]).
    pub(crate) out_of_memory: bool,
    /// wasmi fuel consumed so far.
    pub(crate) wasm_fuel: u64,
    /// Fuel available to one WebAssembly call.
    pub(crate) wasm_fuel_limit: u64,
    /// Largest linear memory a module may grow to, in bytes.
    pub(crate) wasm_memory_limit: usize,
}

/// Shared handle to the [`HostState`], kept in the context's host data.
#[derive(Debug, Clone, Default)]
pub(crate) struct Host(pub(crate) Rc<RefCell<HostState>>);

impl Host {
    /// The host of `ctx`.
    pub(crate) fn of(ctx: &Context) -> JsResult<Host> {
        ctx.get_data::<Host>()
            .cloned()
            .ok_or_else(|| JsNativeError::error().with_message("harness host state is missing").into())
    }

    /// Fails with an uncatchable error when the time budget is spent or the thread allocated
    /// past its memory limit, so that `try/catch` in the Action cannot swallow either.
    pub(crate) fn check_limits(&self) -> JsResult<()> {
        let mut state = self.0.borrow_mut();
        if state.deadline.is_some_and(|d| Instant::now() >= d) {
            state.timed_out = true;
            return Err(uncatchable());
        }
        if crate::memory::over_limit() {
            state.out_of_memory = true;
            return Err(uncatchable());
        }
        Ok(())
    }
}

/// An error JS cannot catch. Boa only has runtime-limit errors for that; `timed_out` and
/// `out_of_memory` in the host state tell the engine which limit it really was.
pub(crate) fn uncatchable() -> JsError {
    JsError::from(EngineError::RuntimeLimit(RuntimeLimitError::LoopIteration))
}

/// Builds a plain object of native functions `(name, fn, length)`.
pub(crate) fn natives(
    ctx: &mut Context,
    fns: &[(&str, boa_engine::native_function::NativeFunctionPointer, usize)],
) -> JsObject {
    let mut init = ObjectInitializer::new(ctx);
    for (name, f, len) in fns {
        init.function(NativeFunction::from_fn_ptr(*f), JsString::from(*name), *len);
    }
    init.build()
}

/// Evaluates a JS prelude that is a function expression `(function (native) {...})` and calls it
/// with `native`, returning what it returns. Keeps the natives out of the global scope.
pub(crate) fn run_prelude(ctx: &mut Context, code: &str, native: JsObject) -> JsResult<boa_engine::JsValue> {
    let factory = ctx.eval(Source::from_bytes(code))?;
    let factory =
        factory.as_callable().ok_or_else(|| JsNativeError::typ().with_message("prelude is not a function"))?;
    factory.call(&boa_engine::JsValue::undefined(), &[native.into()], ctx)
}

/// The string form of argument `i` (`undefined` when absent).
pub(crate) fn arg_string(args: &[boa_engine::JsValue], i: usize, ctx: &mut Context) -> JsResult<String> {
    use boa_engine::JsArgs;
    Ok(args.get_or_undefined(i).to_string(ctx)?.to_std_string_escaped())
}
