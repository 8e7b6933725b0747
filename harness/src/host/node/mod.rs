//! The Node globals and modules Actions rely on: `Buffer`, `require` (built-in module table, the
//! fixture's Actions Modules and npm packages from the Action's `node_modules`), `URL`/`URLSearchParams`, `FormData`, `fetch` answered from the
//! fixture, a seeded `Math.random`. The JS side is `node.js`; this file holds its natives.

use std::io::Read;

use base64::Engine as _;
use boa_engine::object::builtins::{AlignedVec, JsArrayBuffer};
use boa_engine::{Context, JsArgs, JsNativeError, JsObject, JsResult, JsString, JsValue, Source};
use serde_json::{json, Value};

use super::{arg_string, natives, run_prelude, Host};

pub(crate) mod digest;
use crate::outcome::FetchRecord;
use crate::packages::Format;

const NODE_JS: &str = include_str!("node.js");

/// Largest inflated payload accepted from `zlib`, against decompression bombs.
const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// What the Node prelude hands back: the `require` function and the `Math.random` reseeder.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) require: JsValue,
    pub(crate) reseed: JsObject,
}

/// Installs the Node shims; returns `require` for the module wrapper.
pub(crate) fn register(ctx: &mut Context, format: JsObject) -> JsResult<Node> {
    let native = natives(
        ctx,
        &[
            ("base64Decode", base64_decode, 1),
            ("base64Encode", base64_encode, 2),
            ("inflate", inflate, 2),
            ("fetch", fetch, 1),
            ("actionsModule", actions_module, 1),
            ("digest", digest, 2),
            ("hmac", hmac, 3),
            ("resolvePackage", resolve_package, 2),
            ("loadPackage", load_package, 1),
        ],
    );
    native.set(JsString::from("seed"), 0, false, ctx)?;
    native.set(JsString::from("format"), format, false, ctx)?;
    let exports = run_prelude(ctx, NODE_JS, native)?;
    let exports =
        exports.as_object().ok_or_else(|| JsNativeError::typ().with_message("node prelude returned no object"))?;
    let require = exports.get(JsString::from("require"), ctx)?;
    let reseed = exports
        .get(JsString::from("reseed"), ctx)?
        .as_object()
        .ok_or_else(|| JsNativeError::typ().with_message("node prelude returned no reseed"))?;
    Ok(Node { require, reseed })
}

/// Copies the bytes of an `ArrayBuffer` argument.
pub(crate) fn bytes_arg(args: &[JsValue], i: usize) -> JsResult<Vec<u8>> {
    let object = args
        .get_or_undefined(i)
        .as_object()
        .ok_or_else(|| JsNativeError::typ().with_message("expected an ArrayBuffer"))?;
    let buffer = JsArrayBuffer::from_object(object)?;
    buffer
        .to_vec()
        .ok_or_else(|| JsNativeError::typ().with_message("Cannot perform operation on a detached ArrayBuffer").into())
}

/// A new `ArrayBuffer` holding `bytes`.
pub(crate) fn array_buffer(bytes: &[u8], ctx: &mut Context) -> JsResult<JsValue> {
    let block = AlignedVec::from_slice(0, bytes);
    Ok(JsArrayBuffer::from_byte_block(block, ctx)?.into())
}

/// `digest(algorithm, bytes)`: the digest as an `ArrayBuffer`.
fn digest(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let algorithm = digest::Algorithm::from_node_name(&arg_string(args, 0, ctx)?)
        .ok_or_else(|| JsNativeError::error().with_message("Digest method not supported"))?;
    let data = bytes_arg(args, 1)?;
    array_buffer(&algorithm.digest(&data), ctx)
}

/// `hmac(algorithm, key, bytes)`: the HMAC as an `ArrayBuffer`.
fn hmac(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, ctx)?;
    let algorithm = digest::Algorithm::from_node_name(&name)
        .ok_or_else(|| JsNativeError::typ().with_message(format!("Invalid digest: {name}")))?;
    let key = bytes_arg(args, 1)?;
    let data = bytes_arg(args, 2)?;
    array_buffer(&algorithm.hmac(&key, &data), ctx)
}

fn base64_decode(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, ctx)?;
    // Node's decoder is lenient: it ignores whitespace and accepts both alphabets, with or
    // without padding.
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(cleaned.as_bytes())
        .map_err(|e| JsNativeError::typ().with_message(format!("invalid base64: {e}")))?;
    array_buffer(&bytes, ctx)
}

fn base64_encode(_: &JsValue, args: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let bytes = bytes_arg(args, 0)?;
    let url = args.get_or_undefined(1).to_boolean();
    let text = if url {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    } else {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    Ok(JsString::from(text).into())
}

fn zlib_error(kind: &str, e: impl std::fmt::Display) -> boa_engine::JsError {
    let code = if kind == "brotli" { "ERR__ERROR_FORMAT_PADDING_1" } else { "Z_DATA_ERROR" };
    JsNativeError::error().with_message(format!("{kind}: {e} ({code})")).into()
}

fn inflate(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let input = bytes_arg(args, 0)?;
    let mut kind = arg_string(args, 1, ctx)?;
    if kind == "auto" {
        kind = if input.starts_with(&[0x1f, 0x8b]) { "gzip".into() } else { "zlib".into() };
    }
    let mut out = Vec::new();
    let limit = MAX_INFLATED_BYTES + 1;
    let read = match kind.as_str() {
        "gzip" => flate2::read::MultiGzDecoder::new(&input[..]).take(limit).read_to_end(&mut out),
        "zlib" => flate2::read::ZlibDecoder::new(&input[..]).take(limit).read_to_end(&mut out),
        "raw" => flate2::read::DeflateDecoder::new(&input[..]).take(limit).read_to_end(&mut out),
        "brotli" => brotli_decompressor::Decompressor::new(&input[..], 4096).take(limit).read_to_end(&mut out),
        other => return Err(JsNativeError::typ().with_message(format!("unknown compression `{other}`")).into()),
    };
    read.map_err(|e| zlib_error(&kind, e))?;
    if out.len() as u64 > MAX_INFLATED_BYTES {
        return Err(JsNativeError::range()
            .with_message(format!("inflated data exceeds the harness limit of {MAX_INFLATED_BYTES} bytes"))
            .into());
    }
    array_buffer(&out, ctx)
}

/// The declared Actions Module `name` as JSON `{source, secrets}`, `undefined` when the fixture
/// declares none of that name.
fn actions_module(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, ctx)?;
    let host = Host::of(ctx)?;
    let declared = host
        .0
        .borrow()
        .modules
        .get(&name)
        .map(|module| json!({ "source": module.source(), "secrets": module.secrets() }));
    Ok(declared.map_or_else(JsValue::undefined, |module| JsString::from(module.to_string()).into()))
}

/// `resolvePackage(specifier, parentPath)`: Node's CommonJS resolution of an npm `require`
/// (`parentPath` `null` for the Action itself), as JSON `{path, format}` or `{error, code}`.
fn resolve_package(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let specifier = arg_string(args, 0, ctx)?;
    let parent = match args.get_or_undefined(1) {
        v if v.is_null_or_undefined() => None,
        v => Some(std::path::PathBuf::from(v.to_string(ctx)?.to_std_string_escaped())),
    };
    let packages = Host::of(ctx)?.0.borrow().packages.clone();
    let answer = match packages.resolve(&specifier, parent.as_deref()) {
        Ok(resolved) => json!({
            "path": resolved.path.display().to_string(),
            "format": match resolved.format {
                Format::CommonJs => "commonjs",
                Format::Json => "json",
            },
        }),
        Err(e) => json!({ "error": e.to_string(), "code": e.code() }),
    };
    Ok(JsString::from(answer.to_string()).into())
}

/// `loadPackage(path)`: a resolved file's text for JSON, or for CommonJS its code compiled in
/// Node's module wrapper `(exports, require, module, __filename, __dirname)` as a function (so
/// stack traces name the file).
fn load_package(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let path = std::path::PathBuf::from(arg_string(args, 0, ctx)?);
    let packages = Host::of(ctx)?.0.borrow().packages.clone();
    let text = packages.read(&path).map_err(|e| JsNativeError::error().with_message(e.to_string()))?;
    // Node strips a byte-order mark, and a `#!` line is a comment in a module.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if path.extension().is_some_and(|e| e == "json") {
        return Ok(JsString::from(text).into());
    }
    let body = match text.strip_prefix("#!") {
        Some(rest) => format!("//{rest}"),
        None => text.to_string(),
    };
    let wrapper = format!("(function (exports, require, module, __filename, __dirname) {{{body}\n}})");
    ctx.eval(Source::from_bytes(&wrapper).with_path(&path))
}

/// Answers a request from the fixture's recorded responses; never touches the network.
fn fetch(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let host = Host::of(ctx)?;
    host.check_limits()?;
    let request: Value = serde_json::from_str(&arg_string(args, 0, ctx)?).map_err(|e| {
        JsNativeError::typ().with_message(format!(
            "fetch: the harness cannot record this request ({e}); a header or body string with a lone \
                 surrogate (half of a UTF-16 pair) has no UTF-8 form"
        ))
    })?;
    let method = request["method"].as_str().unwrap_or("GET").to_string();
    let url = request["url"].as_str().unwrap_or_default().to_string();
    let body = request["body"].as_str().map(String::from);
    let form = request["form"].as_array().map(|entries| {
        entries
            .iter()
            .map(|entry| {
                let part = |i: usize| entry[i].as_str().unwrap_or_default().to_string();
                (part(0), part(1))
            })
            .collect::<Vec<_>>()
    });
    let state = host.0.borrow();
    let found = state.fetch.iter().find(|m| {
        let want = m.method.as_deref().unwrap_or("GET");
        (want == "*" || want.eq_ignore_ascii_case(&method)) && m.url == url
    });
    let mut record = FetchRecord {
        seq: 0,
        action: state.action.clone(),
        method: method.clone(),
        url: url.clone(),
        body,
        form,
        status: None,
        error: None,
    };
    let answer = match found {
        None => {
            let message = format!(
                "no recorded response for {method} {url} (the harness has no network: add it to the fixture's \"fetch\" list)"
            );
            record.error = Some(message.clone());
            json!({ "error": message })
        }
        Some(mock) if mock.error.is_some() => {
            record.error = mock.error.clone();
            json!({ "error": mock.error })
        }
        Some(mock) => {
            let status = mock.status.unwrap_or(200);
            record.status = Some(status);
            let mut headers = mock.headers.clone();
            let body = match &mock.body {
                None => String::new(),
                Some(Value::String(text)) => text.clone(),
                Some(json) => {
                    headers.entry("content-type").or_insert_with(|| Value::String("application/json".into()));
                    json.to_string()
                }
            };
            json!({ "status": status, "headers": headers, "body": body })
        }
    };
    state.recorder.lock().fetch(record);
    Ok(JsString::from(answer.to_string()).into())
}
