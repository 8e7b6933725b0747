//! The `WebAssembly` global, backed by wasmi.

use boa_engine::{Context, JsResult};

/// Installs `WebAssembly`.
pub(crate) fn register(_ctx: &mut Context) -> JsResult<()> {
    Ok(())
}
