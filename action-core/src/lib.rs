//! The decision engine of actionkit.
//!
//! `action-core` owns the decision model and nothing else: the compiled policy ([`ir::Policy`])
//! and its JSON codec, the evaluator for the CEL subset ([`eval`]), the four Express
//! Configuration features and [`decide`], which turns one post-login event into an ordered list
//! of [`Decision`]s plus a [`Trace`] of why. It does no I/O and parses no policy text (that is
//! the `policy` crate's job); it builds natively for the policy compiler and the CLI, and for
//! `wasm32-unknown-unknown` (feature `wasm`) as the engine inlined into every generated Action.
//!
//! It must not depend on any other crate of the workspace: everything it pulls in ends up in the
//! WebAssembly every Action ships.
//!
//! ```
//! use action_core::{decide, ir, value::parse_json};
//!
//! let policy = ir::decode(br#"{"v":1,"paths":[],"secrets":[],
//!   "gate":{"field":"resource_server","api":"urn:auth0:express-configure"},
//!   "scopes":{"deny_message":"Access denied"},
//!   "rules":[{"id":"admins","when":["eq",["sel",["sel",["sel",["root"],"user"],"app_metadata"],"is_admin"],["lit",true]],
//!             "grant":["express_configure:sso"],"forbid":[],"deny":null,"mfa":false,"claims":[]}]}"#)?;
//! let event = parse_json(br#"{"resource_server":{"identifier":"urn:auth0:express-configure"},
//!   "user":{"app_metadata":{"is_admin":true}}}"#)?;
//! let outcome = decide(&policy, &event);
//! assert_eq!(outcome.to_json().contains(r#""type":"add_scope","scope":"express_configure:sso""#), true);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! | feature | what it adds |
//! |---|---|
//! | `serde` | `Serialize`/`Deserialize` for [`Decision`], [`Outcome`], [`Trace`] and [`value::Value`] |
//! | `wasm` | the `#[wasm_bindgen]` entry points `load` and `decide` (module `wasm`) |
//!
//! The code uses `alloc` and `core` paths and avoids `core::fmt` on the engine's paths, so the
//! WASM build stays small. Natively the crate links `std`; the WASM engine (`wasm32` with the
//! `wasm` feature) is `no_std`, with its own bump arena as allocator (module `arena`) and a panic
//! handler that traps without formatting anything (module `wasm`), so that neither std's panic
//! machinery nor the `core::fmt` code behind panic messages ends up in the module.

#![deny(missing_docs)]
#![cfg_attr(all(target_arch = "wasm32", feature = "wasm"), no_std)]

extern crate alloc;

pub mod decision;
pub mod domains;
pub mod eval;
pub mod ir;
pub mod prune;
pub mod value;

#[cfg(any(test, all(target_arch = "wasm32", feature = "wasm")))]
mod arena;
mod decide;

#[cfg(feature = "wasm")]
mod wasm;

pub use decide::decide;
pub use decision::{Decision, Outcome, RuleResult, Token, Trace};
pub use prune::prune;

/// Decides for one event given as JSON text, with the policy given as IR JSON text: the whole
/// engine behind one call, exactly as the WASM entry points run it.
///
/// # Errors
///
/// [`EngineError`] when the IR or the event cannot be read.
pub fn decide_json(policy_ir: &[u8], event: &[u8]) -> Result<Outcome, EngineError> {
    let policy = ir::decode(policy_ir).map_err(EngineError::Policy)?;
    let event = value::parse_json(event).map_err(EngineError::Event)?;
    Ok(decide(&policy, &event))
}

/// Why the engine could not decide.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// The compiled policy could not be decoded.
    Policy(ir::DecodeError),
    /// The event is not valid JSON.
    Event(value::JsonError),
}

impl core::fmt::Display for EngineError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            EngineError::Policy(e) => e.fmt(f),
            EngineError::Event(e) => write!(f, "event is not valid JSON: {e}"),
        }
    }
}

impl core::error::Error for EngineError {}
