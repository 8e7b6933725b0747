//! The generator of actionkit: everything that runs on the author's machine and never ships in
//! the Action. `codegen` owns the pipeline from policy text to a deployed Action: policy text →
//! checked AST → IR ([`action_core::ir::Policy`]) → rendered artifacts → deploy.
//!
//! [`policy`] is the policy compiler: it parses the TOML policy file and its CEL conditions,
//! checks them against the Auth0 post-login event schema, reports every problem at once as
//! miette diagnostics, and lowers the result to the engine's IR.
//!
//! [`manifest`] reads a project's `actionkit.toml`; [`render`] turns a compiled policy and the
//! engine (WASM + wasm-bindgen glue, handed in by the caller, see [`render::Engine`]) into the
//! one-file Action; [`artifacts`] writes the deploy-cli and Terraform formats; [`project`] runs
//! the whole build for a project directory and writes `dist/` all-or-nothing.

#![deny(missing_docs)]

pub mod artifacts;
pub mod deploy;
pub mod manifest;
pub mod policy;
pub mod project;
pub mod render;
pub mod scaffold;

pub use policy::{compile, Compiled, Diagnostics};
