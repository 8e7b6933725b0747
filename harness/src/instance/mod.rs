//! One Action instance on Boa: the context with every host global installed, the CommonJS
//! loader (top-level code once, lazily, on the first execution; a top-level throw re-thrown on
//! every execution), and the execution of one entry point up to the settling of its promise.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Instant;

use boa_engine::builtins::promise::PromiseState;
use boa_engine::object::builtins::JsPromise;
use boa_engine::property::PropertyDescriptor;
use boa_engine::{Context, JsError, JsObject, JsResult, JsString, JsValue, Script, Source};
use serde_json::{Map, Value};

use crate::fixture::{ActionModule, FetchMock};
use crate::host::{self, Host};
use crate::outcome::{ActionError, ErrorKind};
use crate::packages::Packages;
use crate::recorder::SharedRecorder;
use crate::Limits;

pub(crate) mod jobs;

use jobs::{Jobs, VirtualClock};

/// Boa "clock cycles" (each opcode costs 1-5) between two deadline checks while budgeted JS runs:
/// about a millisecond of JS, so a runaway is stopped close to the budget while the cost of the
/// check (one `Instant::now()`) stays negligible.
const YIELD_EVERY: u32 = 1 << 18;

/// Room on Boa's value stack per allowed frame (a frame holds `this`, the callee, its arguments
/// and its registers: a few dozen values for most functions).
const STACK_VALUES_PER_FRAME: usize = 256;

/// Global through which a trampoline script finds the function to call and its arguments. It
/// exists only while a trampoline runs.
const TRAMPOLINE_SLOT: &str = "__actionkit_trampoline__";

/// The module object after the top-level code ran, or the error it failed with.
#[derive(Debug)]
enum ModuleState {
    Pending,
    Ready(JsObject),
    Failed(ActionError),
}

/// What one execution needs besides the engine.
#[derive(Debug)]
pub(crate) struct ExecInput<'a> {
    pub(crate) action: &'a str,
    pub(crate) entry: &'a str,
    pub(crate) event: &'a Map<String, Value>,
    /// Cache records `[[key, {value, expires_at}], ...]` shared by the Actions of the trigger.
    pub(crate) cache: Value,
    pub(crate) rules: &'a [String],
    pub(crate) fetch: &'a [FetchMock],
    pub(crate) modules: &'a BTreeMap<String, ActionModule>,
    pub(crate) clock_ms: u64,
    pub(crate) seed: u64,
    pub(crate) recorder: SharedRecorder,
    /// Real-time deadline of the trigger execution; `None` when the budget is unbounded.
    pub(crate) deadline: Option<Instant>,
    /// Virtual milliseconds timers may still advance before the budget is spent.
    pub(crate) virtual_budget_ms: u64,
    pub(crate) budget_ms: u64,
}

/// What one execution produced besides the recorded events.
#[derive(Debug)]
pub(crate) struct Execution {
    pub(crate) error: Option<ActionError>,
    pub(crate) cache: Value,
    pub(crate) redirect: Option<String>,
    pub(crate) virtual_ms: u64,
}

/// A Boa context holding one Action instance.
pub(crate) struct Instance {
    ctx: Context,
    host: Host,
    clock: Rc<VirtualClock>,
    jobs: Rc<Jobs>,
    auth0: JsObject,
    require: JsValue,
    reseed: JsObject,
    source: String,
    packages: Packages,
    limits: Limits,
    module: ModuleState,
    /// Trampoline scripts by arity (see [`Instance::call_budgeted`]).
    trampolines: Vec<Option<Script>>,
    /// Set when budgeted JS was cut off at the deadline: the VM still holds the abandoned frames,
    /// so the instance is discarded and the next execution starts a cold one.
    poisoned: bool,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance").field("module", &self.module).field("jobs", &self.jobs).finish_non_exhaustive()
    }
}

fn engine_error(e: JsError) -> crate::RunError {
    crate::RunError::Engine(e.to_string())
}

impl Instance {
    /// A fresh context with every host global; the Action's code does not run yet.
    pub(crate) fn new(source: &str, packages: &Packages, limits: &Limits) -> Result<Instance, crate::RunError> {
        let clock = Rc::new(VirtualClock::default());
        let jobs = Rc::new(Jobs::new(clock.clone()));
        let esm = Rc::new(host::node::esm::Loader::new(jobs.clone()));
        let mut ctx = Context::builder()
            .clock(clock.clone())
            .job_executor(jobs.clone())
            .module_loader(esm.clone())
            .build()
            .map_err(engine_error)?;
        ctx.runtime_limits_mut().set_loop_iteration_limit(limits.loop_iterations);
        ctx.runtime_limits_mut().set_recursion_limit(limits.recursion);
        // Boa's value stack (arguments and registers of every frame) must not end a recursion
        // before the recursion limit does: its own limit is an uncatchable error.
        ctx.runtime_limits_mut().set_stack_size_limit(limits.recursion.saturating_mul(STACK_VALUES_PER_FRAME));
        let host = Host::default();
        {
            let mut state = host.0.borrow_mut();
            state.wasm_fuel_limit = limits.wasm_fuel;
            state.wasm_memory_limit = limits.wasm_memory_bytes;
            state.packages = packages.clone();
            state.esm = Some(esm);
            state.source = Rc::from(source);
        }
        ctx.insert_data(host.clone());
        let format = host::console::register(&mut ctx).map_err(engine_error)?;
        let node = host::node::register(&mut ctx, format).map_err(engine_error)?;
        host::webassembly::register(&mut ctx).map_err(engine_error)?;
        let auth0 = host::auth0::register(&mut ctx).map_err(engine_error)?;
        Ok(Instance {
            ctx,
            host,
            clock,
            jobs,
            auth0,
            require: node.require,
            reseed: node.reseed,
            source: source.to_string(),
            packages: packages.clone(),
            limits: limits.clone(),
            module: ModuleState::Pending,
            trampolines: Vec::new(),
            poisoned: false,
        })
    }

    /// Runs `input.entry` once and waits for it to settle.
    pub(crate) fn execute(&mut self, input: ExecInput<'_>) -> Result<Execution, crate::RunError> {
        if self.poisoned {
            let fuel = self.wasm_fuel();
            *self = Instance::new(&self.source, &self.packages, &self.limits)?;
            self.host.0.borrow_mut().wasm_fuel = fuel;
        }
        self.jobs.clear();
        {
            let mut state = self.host.0.borrow_mut();
            state.recorder = input.recorder.clone();
            state.recorder.lock().start_execution();
            state.action = input.action.to_string();
            state.settled = false;
            state.aborted = None;
            state.redirect = None;
            state.fetch = input.fetch.to_vec();
            state.modules = input.modules.clone();
            state.deadline = input.deadline;
            state.timed_out = false;
            state.out_of_memory = false;
        }
        host::webassembly::take_out_of_fuel(&self.ctx);
        crate::memory::meter(self.limits.heap_bytes);
        self.clock.set_wall_clock(input.clock_ms);
        let virtual_start = self.clock.offset_ms();
        self.reseed
            .call(&JsValue::undefined(), &[JsValue::from(input.seed as u32)], &mut self.ctx)
            .map_err(engine_error)?;

        let mut cache = input.cache.clone();
        let mut error = self.run_entry(&input, virtual_start, &mut cache);

        // Let un-awaited work run out within the budget, so that what it does shows up in the
        // Outcome as late calls (Auth0 drops them); its errors no longer affect the login.
        self.host.0.borrow_mut().settled = true;
        let virtual_ms = self.clock.offset_ms() - virtual_start;
        if error.is_none() {
            self.drain_late_work(&input, virtual_start);
        }
        self.jobs.clear();
        let mut state = self.host.0.borrow_mut();
        if error.is_none() {
            if let Some(message) = state.aborted.take() {
                error = Some(ActionError {
                    location: None,
                    kind: ErrorKind::Abort,
                    action: Some(input.action.into()),
                    name: None,
                    message,
                });
            }
        }
        Ok(Execution { error, cache, redirect: state.redirect.take(), virtual_ms })
    }

    fn run_entry(&mut self, input: &ExecInput<'_>, virtual_start: u64, cache: &mut Value) -> Option<ActionError> {
        let module = match self.load(input) {
            Ok(module) => module,
            Err(e) => return Some(e),
        };
        let handler = match self.call_method(
            &self.auth0.clone(),
            "getHandler",
            &[module.into(), JsString::from(input.entry).into()],
        ) {
            Ok(handler) => handler,
            Err(e) => return Some(self.error_from(e, ErrorKind::Signature, input)),
        };
        let prepared = (|| -> JsResult<(JsValue, JsObject)> {
            let event = JsValue::from_json(&Value::Object(input.event.clone()), &mut self.ctx)?;
            let mut options = Map::new();
            options.insert("cache".into(), cache.clone());
            options.insert("rules".into(), Value::from(input.rules.to_vec()));
            // Auth0 allows one primary-user change per transaction, whichever Action made it.
            let primary_user_set = input
                .recorder
                .lock()
                .calls
                .iter()
                .any(|c| c.method == "authentication.setPrimaryUser" && c.threw.is_none());
            options.insert("primaryUserSet".into(), Value::Bool(primary_user_set));
            let options = JsValue::from_json(&Value::Object(options), &mut self.ctx)?;
            let session = self.call_method(&self.auth0.clone(), "makeApi", &[event.clone(), options])?;
            let session = session.as_object().ok_or_else(|| JsError::from_opaque(JsValue::undefined()))?;
            Ok((event, session))
        })();
        let (event, session) = match prepared {
            Ok(pair) => pair,
            Err(e) => return Some(self.error_from(e, ErrorKind::Throw, input)),
        };
        let api = match session.get(JsString::from("api"), &mut self.ctx) {
            Ok(api) => api,
            Err(e) => return Some(self.error_from(e, ErrorKind::Throw, input)),
        };
        // `getHandler` already failed with Auth0's signature message for anything not callable.
        let handler = handler.as_callable()?;
        let outcome = self.call_budgeted(&handler, &[event, api]);
        let error = match outcome {
            Err(e) => Some(self.error_from(e, ErrorKind::Throw, input)),
            Ok(value) => self.settle(value, input, virtual_start),
        };
        if self.poisoned {
            // The VM holds abandoned frames; run no more JS on it.
            return error;
        }
        if let Ok(entries) = self.call_method(&session, "cacheEntries", &[]) {
            if let Ok(text) = entries.to_string(&mut self.ctx) {
                if let Ok(value) = serde_json::from_str(&text.to_std_string_escaped()) {
                    *cache = value;
                }
            }
        }
        error
    }

    /// Runs the module wrapper the first time; afterwards returns its result again.
    fn load(&mut self, input: &ExecInput<'_>) -> Result<JsObject, ActionError> {
        match &self.module {
            ModuleState::Ready(module) => return Ok(module.clone()),
            ModuleState::Failed(error) => return Err(error.clone()),
            ModuleState::Pending => {}
        }
        let result = self.run_wrapper(input);
        self.module = match result {
            Ok(module) => ModuleState::Ready(module),
            Err(e) => ModuleState::Failed(e),
        };
        self.load(input)
    }

    fn run_wrapper(&mut self, input: &ExecInput<'_>) -> Result<JsObject, ActionError> {
        // The loader's CommonJS wrapper: `module`, `exports`, `require`, `console` are bindings,
        // top-level `return` is legal. The source starts on the wrapper's line, as in Node's
        // wrapper, so line numbers are the file's (columns of line 1 are shifted by the head,
        // which `source_position` takes off). The newline before `})` keeps a trailing `//`
        // comment from swallowing it.
        let wrapper = format!("{WRAPPER_HEAD}{}\n}})", self.source);
        let path = std::path::PathBuf::from(input.action);
        let function = self
            .ctx
            .eval(Source::from_bytes(&wrapper).with_path(&path))
            .map_err(|e| self.error_from(e, ErrorKind::Syntax, input))?;
        let setup = (|| -> JsResult<(JsObject, JsValue, JsValue)> {
            let module = JsObject::with_object_proto(self.ctx.intrinsics());
            let exports = JsObject::with_object_proto(self.ctx.intrinsics());
            module.set(JsString::from("exports"), exports.clone(), false, &mut self.ctx)?;
            let console = self.ctx.global_object().get(JsString::from("console"), &mut self.ctx)?;
            Ok((module, exports.into(), console))
        })();
        let (module, exports, console) = setup.map_err(|e| self.error_from(e, ErrorKind::Load, input))?;
        let function = function.as_callable().ok_or_else(|| ActionError {
            location: None,
            kind: ErrorKind::Syntax,
            action: Some(input.action.into()),
            name: None,
            message: "the Action source is not a valid function body".into(),
        })?;
        self.call_budgeted(&function, &[module.clone().into(), exports, self.require.clone(), console])
            .map_err(|e| self.error_from(e, ErrorKind::Load, input))?;
        Ok(module)
    }

    /// Calls `function(...args)` from a generated script evaluated with
    /// [`Script::evaluate_async_with_budget`], checking the deadline each time Boa yields.
    ///
    /// Boa's plain `call` runs to completion and offers no way to interrupt it; only the async
    /// script path yields every few instructions. Calls from JS to JS (the Action's functions,
    /// the synchronous part of an async handler up to its first `await`) stay inside that
    /// budgeted loop, so CPU-bound code that never calls a host function is stopped too.
    fn call_budgeted(&mut self, function: &JsObject, args: &[JsValue]) -> JsResult<JsValue> {
        let script = self.trampoline(args.len())?;
        let slot = JsObject::with_null_proto();
        slot.set(JsString::from("f"), function.clone(), true, &mut self.ctx)?;
        for (i, arg) in args.iter().enumerate() {
            slot.set(i, arg.clone(), true, &mut self.ctx)?;
        }
        // Not enumerable, so the Action's view of the global object stays unchanged.
        self.ctx.global_object().define_property_or_throw(
            JsString::from(TRAMPOLINE_SLOT),
            PropertyDescriptor::builder().value(slot).writable(true).enumerable(false).configurable(true),
            &mut self.ctx,
        )?;
        let host = self.host.clone();
        let result = {
            let mut run = pin!(script.evaluate_async_with_budget(&mut self.ctx, YIELD_EVERY));
            let mut cx = std::task::Context::from_waker(Waker::noop());
            loop {
                match run.as_mut().poll(&mut cx) {
                    Poll::Ready(result) => break Some(result),
                    Poll::Pending => {
                        if host.check_limits().is_err() {
                            // Dropping the future abandons the JS mid-flight (see `poisoned`).
                            break None;
                        }
                    }
                }
            }
        };
        match result {
            Some(result) => {
                self.ctx.global_object().delete_property_or_throw(JsString::from(TRAMPOLINE_SLOT), &mut self.ctx)?;
                result
            }
            None => {
                self.poisoned = true;
                Err(host::uncatchable())
            }
        }
    }

    /// The script `(0, slot.f)(slot[0], ..., slot[arity - 1])`: a direct call, so that neither
    /// `this` nor `arguments` differ from a plain call, compiled once per arity.
    fn trampoline(&mut self, arity: usize) -> JsResult<Script> {
        if let Some(Some(script)) = self.trampolines.get(arity) {
            return Ok(script.clone());
        }
        let args: Vec<String> = (0..arity).map(|i| format!("{TRAMPOLINE_SLOT}[{i}]")).collect();
        let code = format!("(0, {TRAMPOLINE_SLOT}.f)({});", args.join(", "));
        let script = Script::parse(Source::from_bytes(&code), None, &mut self.ctx)?;
        if self.trampolines.len() <= arity {
            self.trampolines.resize(arity + 1, None);
        }
        self.trampolines[arity] = Some(script.clone());
        Ok(script)
    }

    /// Drives jobs and timers until the handler's promise settles or the budget is spent.
    fn settle(&mut self, value: JsValue, input: &ExecInput<'_>, virtual_start: u64) -> Option<ActionError> {
        let Some(promise) = value.as_object().and_then(|o| JsPromise::from_object(o).ok()) else {
            // The AsyncFunction check makes this unreachable for real handlers; a plain value is done.
            return None;
        };
        loop {
            if let Err(e) = self.ctx.run_jobs() {
                return Some(self.error_from(e, ErrorKind::Throw, input));
            }
            match promise.state() {
                PromiseState::Fulfilled(_) => return None,
                PromiseState::Rejected(reason) => {
                    return Some(self.error_from(JsError::from_opaque(reason), ErrorKind::Throw, input));
                }
                PromiseState::Pending => {}
            }
            if let Err(e) = self.host.check_limits() {
                return Some(self.error_from(e, ErrorKind::Throw, input));
            }
            let Some(due) = self.jobs.next_due() else {
                return Some(ActionError {
                    location: None,
                    kind: ErrorKind::Timeout,
                    action: Some(input.action.into()),
                    name: None,
                    message: format!(
                        "the handler's promise never settled (nothing left to wait for); Auth0 fails the login after {} ms",
                        input.budget_ms
                    ),
                });
            };
            if due.saturating_sub(virtual_start) > input.virtual_budget_ms {
                return Some(self.timeout(input));
            }
            if let Err(e) = self.jobs.fire_next_timer(&mut self.ctx) {
                return Some(self.error_from(e, ErrorKind::Throw, input));
            }
        }
    }

    fn drain_late_work(&mut self, input: &ExecInput<'_>, virtual_start: u64) {
        loop {
            if self.ctx.run_jobs().is_err() || self.host.check_limits().is_err() {
                return;
            }
            match self.jobs.next_due() {
                Some(due) if due.saturating_sub(virtual_start) <= input.virtual_budget_ms => {
                    if self.jobs.fire_next_timer(&mut self.ctx).is_err() {
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    fn timeout(&self, input: &ExecInput<'_>) -> ActionError {
        ActionError {
            location: None,
            kind: ErrorKind::Timeout,
            action: Some(input.action.into()),
            name: None,
            message: format!("the execution exceeded the {} ms time budget", input.budget_ms),
        }
    }

    fn call_method(&mut self, object: &JsObject, name: &str, args: &[JsValue]) -> JsResult<JsValue> {
        let f = object.get(JsString::from(name), &mut self.ctx)?;
        let f = f
            .as_callable()
            .ok_or_else(|| JsError::from_opaque(JsString::from(format!("{name} is not a function")).into()))?;
        f.call(&object.clone().into(), args, &mut self.ctx)
    }

    /// Turns what JS threw into the Outcome's error, telling limits and timeouts apart.
    fn error_from(&mut self, e: JsError, kind: ErrorKind, input: &ExecInput<'_>) -> ActionError {
        let action = Some(input.action.to_string());
        if self.host.0.borrow().timed_out {
            return self.timeout(input);
        }
        if self.host.0.borrow().out_of_memory {
            // The heap is still full of what the Action built; the next execution starts cold.
            self.poisoned = true;
            return ActionError {
                location: None,
                kind: ErrorKind::Limit,
                action,
                name: None,
                message: crate::memory::limit_message(self.limits.heap_bytes),
            };
        }
        if host::webassembly::take_out_of_fuel(&self.ctx) {
            return ActionError {
                location: None,
                kind: ErrorKind::Limit,
                action,
                name: None,
                message: format!(
                    "WebAssembly ran out of fuel ({} units per call from JS)",
                    self.host.0.borrow().wasm_fuel_limit
                ),
            };
        }
        if let Some(engine) = e.as_engine() {
            return ActionError {
                location: None,
                kind: ErrorKind::Limit,
                action,
                name: None,
                message: engine.to_string(),
            };
        }
        let value = match e.into_opaque(&mut self.ctx) {
            Ok(value) => value,
            Err(e) => return ActionError { location: None, kind, action, name: None, message: e.to_string() },
        };
        let (name, message) = describe(&value, &mut self.ctx);
        if kind == ErrorKind::Syntax {
            // Boa's parser says where: `... at line L, col C`, in the wrapped source.
            let Some((line, column)) = syntax_position(&message).map(|(l, c)| source_position(l, c)) else {
                return ActionError { location: None, kind, action, name, message };
            };
            // The message's own position, in the Action's source too.
            let at = message.rfind(" at line ").unwrap_or(message.len());
            let rest = message[at..]
                .split_once(", col ")
                .map_or("", |(_, c)| c.trim_start_matches(|ch: char| ch.is_ascii_digit()));
            let message = format!("{} at line {line}, col {column}{rest}", &message[..at]);
            let location = Some(format!("{}:{line}:{column}", input.action));
            return ActionError { location, kind, action, name, message };
        }
        let location = thrown_at(&value, input.action, &mut self.ctx).map(|(line, column)| {
            let (line, column) = source_position(line, column);
            format!("{}:{line}:{column}", input.action)
        });
        ActionError { location, kind, action, name, message }
    }

    /// wasmi fuel consumed by this instance so far.
    pub(crate) fn wasm_fuel(&self) -> u64 {
        self.host.0.borrow().wasm_fuel
    }
}

/// `(name, message)` of a thrown value: an Error's `name`/`message`, or the value as a string.
/// The head of the CommonJS wrapper; the Action's first line follows it on the same line.
const WRAPPER_HEAD: &str = "(function (module, exports, require, console) {";

/// A position in the wrapped source as the position in the Action's own source.
fn source_position(line: u32, column: u32) -> (u32, u32) {
    if line == 1 {
        (1, column.saturating_sub(WRAPPER_HEAD.len() as u32).max(1))
    } else {
        (line, column)
    }
}

/// `(L, C)` of Boa's `... at line L, col C` parse-error suffix.
fn syntax_position(message: &str) -> Option<(u32, u32)> {
    let at = message.rfind(" at line ")?;
    let (line, column) = message[at + " at line ".len()..].split_once(", col ")?;
    let column: String = column.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Where an Error was thrown: the first frame of its `stack` in the Action's source (Boa writes
/// `    at f (PATH:L:C)`, the path being the Action's name).
fn thrown_at(value: &JsValue, action: &str, ctx: &mut Context) -> Option<(u32, u32)> {
    let stack = value.as_object()?.get(JsString::from("stack"), ctx).ok()?;
    let stack = stack.as_string()?.to_std_string_escaped();
    let marker = format!("({action}:");
    stack.lines().find_map(|frame| {
        let position = frame.split_once(&marker)?.1.strip_suffix(')')?;
        let (line, column) = position.split_once(':')?;
        Some((line.parse::<u32>().ok()?, column.parse::<u32>().ok()?))
    })
}

fn describe(value: &JsValue, ctx: &mut Context) -> (Option<String>, String) {
    let text = |v: JsValue, ctx: &mut Context| v.to_string(ctx).map(|s| s.to_std_string_escaped()).ok();
    if let Some(object) = value.as_object() {
        let message = object.get(JsString::from("message"), ctx).ok().filter(|m| !m.is_undefined());
        if let Some(message) = message {
            let name = object
                .get(JsString::from("name"), ctx)
                .ok()
                .and_then(|n| n.as_string().map(|s| s.to_std_string_escaped()));
            return (name, text(message, ctx).unwrap_or_default());
        }
        if let Ok(Some(json)) = value.to_json(ctx) {
            return (None, json.to_string());
        }
    }
    (None, text(value.clone(), ctx).unwrap_or_else(|| "<unprintable value>".into()))
}
