//! The decision engine embedded in this binary: `action-core` compiled to WASM and processed by
//! wasm-bindgen when actionkit was built (see `build/engine.rs`). Building an Action only copies
//! it, so `actionkit build` never needs cargo or a wasm toolchain.

use codegen::render::EngineWasm;

/// The engine every generated Action inlines.
pub const ENGINE_WASM: EngineWasm<'static> = EngineWasm {
    glue_js: include_str!(concat!(env!("OUT_DIR"), "/engine.js")),
    wasm: include_bytes!(concat!(env!("OUT_DIR"), "/engine.wasm")),
};
