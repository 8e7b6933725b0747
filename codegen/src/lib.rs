//! The generator of actionkit: a project (its manifest, its compiled policy and the decision
//! engine's WebAssembly build) → one deployable Action file and its deploy artifacts in `dist/`.
//!
//! [`project`] loads a project directory (manifest + policy) and writes `dist/` all-or-nothing;
//! [`render`] turns a compiled policy and the engine (WASM + wasm-bindgen glue, handed in by the
//! caller, see [`render::EngineWasm`]) into the one-file Action; [`artifacts`] renders the
//! deploy-cli and Terraform formats; [`scaffold`] writes the `actionkit init` presets.
//!
//! Owns: the templates' data (the tera templates themselves live in `templates/`), rendering,
//! determinism and the size check. Must not depend on `deploy` (no HTTP client), `harness` or the
//! CLI; it reads the manifest through the `manifest` crate and compiles policies through `policy`.

#![deny(missing_docs)]

pub mod artifacts;
pub mod project;
pub mod render;
pub mod scaffold;
