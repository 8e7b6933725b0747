//! The WASM entry points. JSON text both ways, as bytes in and a string out: with this ABI the
//! module makes no calls back into JS during a decision, which keeps the wasm-bindgen glue at
//! ~2 KB and the harness's host bridge simple (see `docs/ARCHITECTURE.md`). The answer is a
//! `String` so that the glue decodes it straight from the module's memory with one cached
//! `TextDecoder` (a `Vec<u8>` answer is first copied out into a new array, then decoded).
//!
//! `load` decodes the policy; `actionkit build` runs it once and ships the module with the
//! result in its initial memory and without `load` (codegen's `render::preload`). `decide` runs
//! one event against it. `load` answers `{"ok":true}`, `decide` the compact
//! [`crate::Outcome::to_action_answer`] (a JSON array), both `{"ok":false,"error":"..."}` when
//! they cannot; they never trap on bad input.

use alloc::string::String;
use core::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;

use crate::ir::{self, Policy};
use crate::value::{parse_json, write_json_string};

/// The policy of this Action instance.
static POLICY: crate::arena::Global<RefCell<Option<Policy>>> = crate::arena::Global(RefCell::new(None));

/// A panic (a bug: the engine answers errors, it does not panic) traps: the wrapper's call
/// throws and the login is denied (fail closed). Without std's handler no message is formatted,
/// which keeps `core::fmt` out of the module.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

fn failure(message: &str) -> String {
    let mut out = String::from("{\"ok\":false,\"error\":");
    write_json_string(message, &mut out);
    out.push('}');
    out
}

/// Decodes and keeps the compiled policy for the following `decide` calls.
#[wasm_bindgen]
pub fn load(policy_ir: &[u8]) -> String {
    match ir::decode(policy_ir) {
        Ok(policy) => {
            *POLICY.0.borrow_mut() = Some(policy);
            // The policy stays for the instance's life; decisions reuse the memory above it.
            crate::arena::keep_all();
            String::from("{\"ok\":true}")
        }
        Err(e) => failure(&e.message()),
    }
}

/// Decides for one (pruned) event given as JSON text.
#[wasm_bindgen]
pub fn decide(event: &[u8]) -> String {
    match POLICY.0.borrow().as_ref() {
        Some(policy) => decide_with(policy, event),
        None => failure("no policy loaded"),
    }
}

fn decide_with(policy: &Policy, event: &[u8]) -> String {
    let event = match parse_json(event) {
        Ok(event) => event,
        Err(e) => {
            let mut message = String::from("event is not valid JSON: ");
            message.push_str(e.kind.message());
            return failure(&message);
        }
    };
    crate::decide(policy, &event).to_action_answer()
}
