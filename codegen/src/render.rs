//! Renders the one-file Action: the template `templates/action.js.tera`, the wasm-bindgen glue
//! of the engine with the module inlined (brotli + base64, inflated by Node's built-in `zlib`)
//! and the compiled policy already loaded into it ([`preload`]), and the policy as IR text.
//!
//! Rendering is deterministic: the same engine, policy and names give byte-identical output.

use std::fmt;
use std::io::{Read, Write};

use action_core::ir::{self, GateField, Policy};
use base64::Engine as _;
use miette::Diagnostic;
use sha2::{Digest, Sha256};

use auth0_platform::action::MAX_SOURCE_BYTES as ACTION_SIZE_LIMIT;

pub mod preload;

/// Above this size `actionkit build` warns: little room is left for policy growth.
pub const ACTION_SIZE_WARNING: usize = 80_000;

const TEMPLATE: &str = include_str!("../../templates/action.js.tera");

/// The two glue lines that read the `.wasm` file next to the glue (wasm-bindgen `--target
/// nodejs`); the Action has no such file, so they are replaced by the inlined module.
const GLUE_WASM_PATH: &str = "const wasmPath = `${__dirname}/";
const GLUE_WASM_READ: &str = "const wasmBytes = require('fs').readFileSync(wasmPath);";
/// First and last line of the glue's wrapper of the `load` export, which pre-loading removes.
const GLUE_LOAD_START: &str = "function load(policy_ir) {";
const GLUE_LOAD_END: &str = "exports.load = load;";
const INLINE_WASM_READ: &str =
    "const wasmBytes = require('zlib').brotliDecompressSync(Buffer.from(ENGINE_WASM, 'base64'));";

/// The decision engine's WebAssembly build: `action-core` compiled to WASM plus its wasm-bindgen
/// `nodejs` glue.
/// The `actionkit` binary embeds one at build time; tests may hand in their own.
#[derive(Debug, Clone, Copy)]
pub struct EngineWasm<'a> {
    /// The wasm-bindgen glue (`--target nodejs`).
    pub glue_js: &'a str,
    /// The WASM module the glue loads.
    pub wasm: &'a [u8],
}

impl EngineWasm<'_> {
    /// The engine's SHA-256, hex, as printed in generated headers.
    pub fn hash(&self) -> String {
        sha256_hex(self.wasm)
    }
}

/// What goes into one Action besides the engine.
#[derive(Debug, Clone, Copy)]
pub struct ActionSource<'a> {
    /// The Action name (from the manifest).
    pub name: &'a str,
    /// The policy file as the user named it.
    pub policy_file: &'a str,
    /// The policy file's text (hashed into the header).
    pub policy_text: &'a str,
    /// The compiled policy.
    pub policy: &'a Policy,
    /// Log what the policy sees at each login (`actionkit build --capture`).
    pub capture: Option<&'a Capture>,
}

/// How an Action captures the logins it sees (`actionkit build --capture`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capture {
    /// Dotted paths whose values are logged as they are, not pseudonymized (the author opts in).
    pub reveal: Vec<String>,
}

/// A rendered Action and where its bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedAction {
    /// The Action's source code.
    pub code: String,
    /// Its size, by part.
    pub sizes: SizeBreakdown,
}

/// The parts of an Action's size, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeBreakdown {
    /// The wasm-bindgen glue.
    pub glue: usize,
    /// The inlined WASM module (compressed, base64).
    pub wasm: usize,
    /// The compiled policy and the attribute path list.
    pub policy: usize,
    /// Everything else: header, wrapper, decision application.
    pub wrapper: usize,
}

impl SizeBreakdown {
    /// The whole file.
    pub fn total(&self) -> usize {
        self.glue + self.wasm + self.policy + self.wrapper
    }
}

impl fmt::Display for SizeBreakdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} bytes: engine {} (WASM, brotli+base64) + glue {} + policy {} + wrapper {}",
            self.total(),
            self.wasm,
            self.glue,
            self.policy,
            self.wrapper
        )
    }
}

/// Why an Action could not be rendered.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum RenderError {
    /// The engine glue does not look like wasm-bindgen's `nodejs` output.
    #[error("the engine's wasm-bindgen glue does not have the expected shape: {0}")]
    #[diagnostic(
        code("render::glue"),
        help("the wasm-bindgen version changed; update codegen::render for its loader lines")
    )]
    Glue(&'static str),
    /// The template failed.
    #[error("rendering the Action template failed")]
    #[diagnostic(code("render::template"))]
    Template(#[from] tera::Error),
    /// The Action would exceed Auth0's size limit.
    #[error("the Action would be over Auth0's limit of {ACTION_SIZE_LIMIT} bytes: {0}")]
    #[diagnostic(code("render::too-large"), help("shrink the policy: fewer or shorter rules, claims and messages"))]
    TooLarge(SizeBreakdown),
    /// The policy could not be loaded into the engine at build time.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Preload(#[from] preload::PreloadError),
}

/// Renders the Action file for `source` with `engine`.
///
/// # Errors
///
/// [`RenderError`] when the glue has an unexpected shape, the engine cannot pre-load the policy,
/// or the result exceeds [`ACTION_SIZE_LIMIT`].
pub fn render_action(engine: &EngineWasm<'_>, source: &ActionSource<'_>) -> Result<RenderedAction, RenderError> {
    let policy_ir = ir::encode(source.policy);
    let module = preload::preload(engine.wasm, policy_ir.as_bytes())?;
    render_module(engine, &module, &policy_ir, source)
}

/// Renders with `module`, the engine with `policy_ir` pre-loaded.
fn render_module(
    engine: &EngineWasm<'_>,
    module: &[u8],
    policy_ir: &str,
    source: &ActionSource<'_>,
) -> Result<RenderedAction, RenderError> {
    let glue = inline_glue(engine.glue_js)?;
    let policy = source.policy;
    let wasm_base64 = base64::engine::general_purpose::STANDARD.encode(brotli(module));
    let paths_json = json(&path_segments(&policy.paths));
    let policy_ir_json = json(policy_ir);
    let deny_message = policy.scopes.as_ref().map_or("Access denied", |s| s.deny_message.as_str());

    let mut context = tera::Context::new();
    context.insert("name", source.name);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    context.insert("policy_file", source.policy_file);
    context.insert("policy_hash", &sha256_hex(source.policy_text.as_bytes()));
    context.insert("engine_hash", &engine.hash());
    context.insert("api_identifier", &policy.gate.api_identifier);
    context.insert("api_identifier_json", &json(&policy.gate.api_identifier));
    context.insert("gate_field", policy.gate.field.as_str());
    context.insert(
        "gate_description",
        match policy.gate.field {
            GateField::ResourceServer => "event.resource_server.identifier",
            GateField::AudienceQuery => "event.request.query.audience",
        },
    );
    context.insert("secrets", &policy.secrets);
    context.insert("paths_json", &paths_json);
    context.insert("policy_ir_json", &policy_ir_json);
    context.insert("deny_message_json", &json(deny_message));
    context.insert("compression", "brotli");
    context.insert("wasm_base64", &wasm_base64);
    context.insert("glue", &glue);
    context.insert("capture", &source.capture.is_some());
    context.insert("name_json", &json(source.name));
    context.insert("capture_reveal_json", &json(&source.capture.map(|c| c.reveal.clone()).unwrap_or_default()));
    context.insert("capture_personal_keys_json", &json(auth0_platform::event::PERSONAL_KEYS));

    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::new());
    tera.add_raw_template("action.js", TEMPLATE)?;
    let code = tera.render("action.js", &context)?;

    let sizes = SizeBreakdown {
        glue: glue.len(),
        wasm: wasm_base64.len(),
        policy: paths_json.len() + policy_ir_json.len(),
        wrapper: code.len() - glue.len() - wasm_base64.len() - paths_json.len() - policy_ir_json.len(),
    };
    if sizes.total() > ACTION_SIZE_LIMIT {
        return Err(RenderError::TooLarge(sizes));
    }
    Ok(RenderedAction { code, sizes })
}

/// Replaces the glue's file read by the inlined module and indents it into the wrapper function.
fn inline_glue(glue: &str) -> Result<String, RenderError> {
    let mut out = String::with_capacity(glue.len());
    let (mut saw_path, mut saw_read) = (false, false);
    let mut in_doc_comment = false;
    let (mut in_load_wrapper, mut saw_load) = (false, false);
    for line in glue.lines() {
        let line = line.trim();
        // JSDoc blocks (our Rust doc comments, copied by wasm-bindgen) are dropped: they cost
        // bytes and may hold backticks.
        if in_doc_comment || line.starts_with("/**") {
            in_doc_comment = !line.ends_with("*/");
            continue;
        }
        if line.starts_with(GLUE_WASM_PATH) {
            saw_path = true;
            continue;
        }
        if line == GLUE_WASM_READ {
            saw_read = true;
            out.push_str("  ");
            out.push_str(INLINE_WASM_READ);
            out.push('\n');
            continue;
        }
        // The policy is pre-loaded (see `preload`): the module has no `load` export left.
        if in_load_wrapper || line == GLUE_LOAD_START {
            in_load_wrapper = line != GLUE_LOAD_END;
            saw_load = true;
            continue;
        }
        if line.is_empty() {
            continue;
        }
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    if !saw_path || !saw_read {
        return Err(RenderError::Glue("no `readFileSync(wasmPath)` loader lines"));
    }
    if !saw_load || in_load_wrapper {
        return Err(RenderError::Glue("no complete `load` wrapper to remove"));
    }
    if out.contains("require('fs')") || out.contains("__dirname") {
        return Err(RenderError::Glue("other file-system access left in the glue"));
    }
    // Trimming lines is only safe when no string literal spans lines.
    if out.contains('`') {
        return Err(RenderError::Glue("a template literal, which line trimming could change"));
    }
    Ok(out.trim_end().to_string())
}

/// Splits dotted attribute paths into segments and drops paths already covered by a prefix
/// (copying `user.app_metadata` whole makes `user.app_metadata.is_admin` redundant; keeping both
/// would make the wrapper's prune write into the copied object).
fn path_segments(paths: &[String]) -> Vec<Vec<&str>> {
    let mut sorted: Vec<Vec<&str>> = paths.iter().map(|p| p.split('.').collect()).collect();
    sorted.sort();
    sorted.dedup();
    let mut kept: Vec<Vec<&str>> = Vec::new();
    for path in sorted {
        if !kept.iter().any(|k| path.starts_with(k)) {
            kept.push(path);
        }
    }
    kept
}

/// The compiled policy (IR text) inside an Action this module rendered, read back from its
/// `const POLICY_IR = "...";` line: what a deployed Action decides with (`actionkit diff
/// --against live`). `None` for an Action actionkit did not generate.
pub fn policy_ir_of(action_code: &str) -> Option<String> {
    let start = action_code.find(POLICY_IR_LINE)? + POLICY_IR_LINE.len();
    let rest = &action_code[start..];
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<String>();
    stream.next()?.ok()
}

/// How the template declares the IR (`templates/action.js.tera`).
const POLICY_IR_LINE: &str = "\nconst POLICY_IR = ";
/// How the template declares the engine module (base64 of its brotli stream).
const ENGINE_WASM_LINE: &str = "const ENGINE_WASM = \"";

/// Why a deployed Action's compiled policy cannot be trusted as what it decides with.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum DeployedPolicyError {
    /// No `POLICY_IR` or no `ENGINE_WASM` line: not an Action actionkit rendered.
    #[error("the deployed Action was not generated by actionkit: it holds no compiled policy and engine")]
    #[diagnostic(code("deployed::not-generated"))]
    NotGenerated,
    /// The engine module is not valid base64 of a brotli stream.
    #[error("the deployed Action's engine module cannot be read ({0})")]
    #[diagnostic(code("deployed::unreadable-engine"), help("the deployed code was changed after actionkit built it"))]
    UnreadableEngine(String),
    /// The policy text does not pre-load into this actionkit's engine.
    #[error("the deployed Action's compiled policy does not load into this actionkit's engine")]
    #[diagnostic(
        code("deployed::policy-does-not-load"),
        help("it was built by another actionkit version; compare against the git revision you deployed")
    )]
    PolicyDoesNotLoad(#[source] preload::PreloadError),
    /// Pre-loading the policy text into this actionkit's engine gives another module than the
    /// one deployed.
    #[error("the deployed Action's engine module is not this actionkit's engine with its compiled policy pre-loaded: that policy text may not be what decides its logins")]
    #[diagnostic(
        code("deployed::engine-mismatch"),
        help("it was built by another actionkit version, or edited after the build; compare against the git revision you deployed, or redeploy")
    )]
    EngineMismatch,
}

/// The compiled policy (IR text) a deployed Action decides with, verified: since the policy is
/// pre-loaded at build time, the `POLICY_IR` text does not drive the run, the engine module's
/// memory image does. The text is trusted only when pre-loading it into `engine` gives exactly the
/// deployed module (`actionkit diff --against live` must compare with what runs).
///
/// # Errors
///
/// [`DeployedPolicyError`] when the code is not actionkit's, its module is unreadable, or the
/// module is not `engine` with that policy pre-loaded.
pub fn verified_policy_ir_of(engine: &EngineWasm<'_>, action_code: &str) -> Result<String, DeployedPolicyError> {
    let ir = policy_ir_of(action_code).ok_or(DeployedPolicyError::NotGenerated)?;
    let deployed = engine_module_of(action_code)?;
    let rebuilt = preload::preload(engine.wasm, ir.as_bytes()).map_err(DeployedPolicyError::PolicyDoesNotLoad)?;
    if deployed != rebuilt {
        return Err(DeployedPolicyError::EngineMismatch);
    }
    Ok(ir)
}

/// The engine module inlined in an Action this module rendered (`ENGINE_WASM`, decoded).
fn engine_module_of(action_code: &str) -> Result<Vec<u8>, DeployedPolicyError> {
    let start = action_code.find(ENGINE_WASM_LINE).ok_or(DeployedPolicyError::NotGenerated)? + ENGINE_WASM_LINE.len();
    let rest = &action_code[start..];
    let end = rest.find('"').ok_or(DeployedPolicyError::NotGenerated)?;
    let compressed = base64::engine::general_purpose::STANDARD
        .decode(&rest[..end])
        .map_err(|e| DeployedPolicyError::UnreadableEngine(format!("base64: {e}")))?;
    let mut module = Vec::new();
    brotli::Decompressor::new(compressed.as_slice(), 4096)
        .read_to_end(&mut module)
        .map_err(|e| DeployedPolicyError::UnreadableEngine(format!("brotli: {e}")))?;
    Ok(module)
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serialising strings and lists of strings cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        // Writing to a Vec cannot fail.
        let _ = writer.write_all(bytes);
    }
    out
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
