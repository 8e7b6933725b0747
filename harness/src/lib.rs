//! The test runtime of actionkit: runs any Auth0 post-login Action file — hand-written, or the
//! generated one with its inlined WebAssembly engine — on the Boa JS engine, the way Auth0's
//! Node 22 runtime would, and returns an [`Outcome`]: every `api` call, log line and `fetch` in
//! order, plus what they add up to (claims, scopes, denial, MFA, redirect, metadata).
//!
//! The crate owns the loader contract (CommonJS wrapper, lazy top-level code, Auth0's handler
//! checks), the recording `api` with Auth0's validation, the flow semantics of several Actions,
//! the sandbox (no network, no filesystem beyond reading npm packages in `node_modules`, virtual
//! clock, seeded randomness, time and runaway limits), the `WebAssembly`/Node shims the generated
//! file needs, and Node's CommonJS loader for the npm packages hand-written Actions require
//! ([`Packages`]). It deliberately does not
//! know how Actions are generated (`codegen`) and exposes no Boa or wasmi type.
//!
//! Harness failures (unreadable input, the engine could not start) are `Err(RunError)`; anything
//! the Action did, thrown errors, load failures and hit limits included, is data in
//! `Ok(Outcome)` (schema and the list of host globals: `docs/outcome.md`).
//!
//! Determinism: `Date.now()` starts at the fixture's clock and moves only when the Action waits
//! on a timer (virtual time, so `setTimeout(f, 5000)` is instant); `Math.random` and
//! `crypto.randomUUID` are seeded by the fixture; `fetch` is answered from the fixture.
//!
//! ```
//! use harness::{Action, Fixture, Harness};
//!
//! let action = Action::from_source(
//!     "hello",
//!     "exports.onExecutePostLogin = async (event, api) => {\n\
//!        api.idToken.setCustomClaim('https://example.com/name', event.user.name);\n\
//!      };",
//! );
//! let fixture = Fixture::parse(r#"{"user": {"user_id": "auth0|1", "name": "Ada"}}"#)?;
//! let outcome = Harness::new().run(&action, &fixture)?;
//! assert_eq!(outcome.calls[0].method, "idToken.setCustomClaim");
//! assert_eq!(outcome.id_token.claims["https://example.com/name"], "Ada");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

//!
//! In a project's own tests, snapshot the Outcome with insta, leaving out the timings:
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let action = harness::Action::from_file("dist/post-login.js")?;
//! let fixture = harness::Fixture::from_file("fixtures/admin.json")?;
//! let outcome = harness::run(&action, &fixture)?;
//! insta::assert_json_snapshot!(outcome, { ".stats" => "[stats]" });
//! # Ok(())
//! # }
//! ```
//!
//! The time budget needs nothing from the caller (a flow's instances run on a worker thread the
//! caller watches); the memory limit needs [`BoundedAllocator`] as the test binary's global
//! allocator (see [`memory`]).

#![deny(missing_docs)]

use std::path::Path;
use std::time::Duration;

mod aggregate;
mod claims;
mod fixture;
mod flow;
mod host;
mod instance;
pub mod memory;
mod outcome;
mod packages;
mod progress;
mod recorder;
pub mod snapshot;
mod trigger;

pub use fixture::{
    ActionModule, FetchMock, Fixture, FixtureError, Resume, SecretProblem, DEFAULT_CLOCK_MS, MAX_CLOCK_MS,
    MAX_FIXTURE_BYTES,
};
pub use flow::Flow;
pub use memory::BoundedAllocator;
pub use outcome::{
    ActionError, ActionStatus, ActionSummary, Call, Denial, DroppedClaim, ErrorKind, FetchRecord, LogLine, MfaState,
    MfaStep, Outcome, Prompt, Redirect, ScopeChanges, Stats, Status, TokenState, UserChanges,
};
pub use packages::{check_installed, DependencyError, Packages};

use auth0_platform::action::MAX_SOURCE_BYTES;

/// Why the harness could not run (as opposed to the Action failing, which is an [`Outcome`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The Action file could not be read.
    #[error("cannot read action `{path}`: {error}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error (shown in the message, so it is not also a `source`).
        error: std::io::Error,
    },
    /// The Action file is not UTF-8 text.
    #[error("action `{path}` is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// The path.
        path: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The Action is larger than Auth0 accepts.
    #[error("action `{name}` is {size} bytes, more than Auth0's limit of {max} bytes")]
    SourceTooLarge {
        /// The Action name.
        name: String,
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The fixture could not be used.
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    /// A flow needs at least one Action.
    #[error("a flow needs at least one action")]
    EmptyFlow,
    /// The JS engine could not be set up (a harness bug, not the Action's fault).
    #[error("the JS engine failed: {0}")]
    Engine(String),
}

/// An Action's source and name, and where its `require` finds npm packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    name: String,
    source: String,
    packages: Packages,
}

impl Action {
    /// An Action from source text; it finds no npm packages until given some
    /// ([`Action::with_packages`]).
    pub fn from_source(name: impl Into<String>, source: impl Into<String>) -> Action {
        Action { name: name.into(), source: source.into(), packages: Packages::none() }
    }

    /// Reads an Action file; its name is the file stem. Its `require` finds npm packages as
    /// Node's would from that file: in `node_modules` beside it or in a parent directory.
    ///
    /// # Errors
    /// [`RunError::Read`] when unreadable, [`RunError::NotUtf8`] when not UTF-8.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Action, RunError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|error| RunError::Read { path: path.display().to_string(), error })?;
        let source = String::from_utf8(bytes).map_err(|e| RunError::NotUtf8 {
            path: path.display().to_string(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        let name = path.file_stem().map_or_else(|| "action".to_string(), |s| s.to_string_lossy().into_owned());
        let file = std::path::absolute(path).ok();
        let dir = file.as_ref().and_then(|p| p.parent().map(Path::to_path_buf));
        let packages = dir.map_or_else(Packages::none, Packages::walking_up_from);
        let packages = match file {
            Some(file) => packages.with_action_file(file),
            None => packages,
        };
        Ok(Action { name, source, packages })
    }

    /// The same Action finding npm packages in `packages` instead. The Action's file (see
    /// [`Packages::with_action_file`]) stays that of `self` unless `packages` names one.
    #[must_use]
    pub fn with_packages(mut self, packages: Packages) -> Action {
        let file = self.packages.action_file().map(Path::to_path_buf);
        self.packages = match file {
            Some(file) if packages.action_file().is_none() => packages.with_action_file(file),
            _ => packages,
        };
        self
    }

    /// Where the Action's `require` finds npm packages.
    pub fn packages(&self) -> &Packages {
        &self.packages
    }

    /// The Action's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Action's source.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Resource limits of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Budget of one trigger execution (Auth0: 20 s), real and virtual time alike; the
    /// continuation after a redirect or Form is a new trigger execution with a budget of its own.
    /// CPU-bound JS is checked against it every few hundred thousand instructions and between
    /// promise jobs; inside one job, a watchdog thread enforces it (docs/outcome.md, "Runaway code").
    pub time_budget: Duration,
    /// How many times slower than Auth0's runtime this machine may run JS: real time counts
    /// against [`Limits::time_budget`] divided by this. `1` (the default) models Auth0. Tests
    /// that pin another limit (loops, recursion, memory, fuel) raise it, so that a loaded
    /// machine never turns that limit into a timeout; virtual time (timers) is not scaled.
    pub real_time_scale: u32,
    /// Loop iterations per JS call frame before the run is stopped: a fast, machine-independent
    /// end for infinite loops (Node has no such limit; raise it for legitimately long loops).
    /// Boa counts the characters `String.prototype.repeat` produces against it too.
    pub loop_iterations: u64,
    /// Nested JS calls before a call throws `RangeError: Maximum call stack size exceeded`, which
    /// the Action can catch, as on Node (whose default stack holds about 12,500 frames of a small
    /// function, fewer of larger ones).
    pub recursion: usize,
    /// Largest Action source accepted.
    pub max_source_bytes: usize,
    /// wasmi fuel available to each call into WebAssembly.
    pub wasm_fuel: u64,
    /// Largest WebAssembly linear memory, in bytes.
    pub wasm_memory_bytes: usize,
    /// Bytes one execution may allocate, net of frees, JS heap and WebAssembly memory included.
    /// Enforced only in programs that install [`BoundedAllocator`] (the `actionkit` binary
    /// does); see [`memory`].
    pub heap_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            time_budget: Duration::from_millis(auth0_platform::action::TIME_BUDGET_MS),
            real_time_scale: 1,
            loop_iterations: 5_000_000,
            recursion: 10_000,
            max_source_bytes: MAX_SOURCE_BYTES,
            wasm_fuel: 1_000_000_000,
            wasm_memory_bytes: 256 * 1024 * 1024,
            heap_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Runs Actions against fixtures. Cheap to create; each run gets fresh Action instances.
#[derive(Debug, Clone, Default)]
pub struct Harness {
    limits: Limits,
}

impl Harness {
    /// A harness with Auth0's default limits.
    pub fn new() -> Harness {
        Harness::default()
    }

    /// A harness with the given limits.
    pub fn with_limits(limits: Limits) -> Harness {
        Harness { limits }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs one Action (a flow of one) on a fresh instance.
    ///
    /// # Errors
    /// [`RunError`] when the harness itself cannot run; the Action's own failures are in the Outcome.
    pub fn run(&self, action: &Action, fixture: &Fixture) -> Result<Outcome, RunError> {
        self.flow(std::slice::from_ref(action))?.run(fixture)
    }

    /// Runs several Actions in bound order on fresh instances.
    ///
    /// # Errors
    /// As [`Harness::run`], plus [`RunError::EmptyFlow`].
    pub fn run_flow(&self, actions: &[Action], fixture: &Fixture) -> Result<Outcome, RunError> {
        self.flow(actions)?.run(fixture)
    }

    /// Instantiates a flow whose Action instances persist across runs (module-level state and
    /// top-level code run once, like a warm Auth0 instance).
    ///
    /// # Errors
    /// [`RunError::EmptyFlow`], [`RunError::SourceTooLarge`], [`RunError::Engine`].
    pub fn flow(&self, actions: &[Action]) -> Result<Flow, RunError> {
        Flow::new(actions, self.limits.clone())
    }
}

/// Runs one Action against one fixture with default limits.
///
/// # Errors
/// As [`Harness::run`].
pub fn run(action: &Action, fixture: &Fixture) -> Result<Outcome, RunError> {
    Harness::new().run(action, fixture)
}
