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
pub(crate) mod esm;
pub(crate) mod keys;
use crate::outcome::FetchRecord;
use crate::packages::Format;

const NODE_JS: &str = include_str!("node.js");
const ASSERT_JS: &str = include_str!("assert.js");
const CJS_LEXER_JS: &str = include_str!("cjs_lexer.js");
const URL_LEGACY_JS: &str = include_str!("url_legacy.js");
const CRYPTO_JS: &str = include_str!("crypto.js");
const HTTP_JS: &str = include_str!("http.js");

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
            ("actionLine", action_line, 2),
            ("urlParse", url_parse, 2),
            ("urlSet", url_set, 3),
            ("domainTo", domain_to, 2),
            ("digest", digest, 2),
            ("hmac", hmac, 3),
            ("loadAssert", load_assert, 1),
            ("resolvePackage", resolve_package, 2),
            ("loadPackage", load_package, 1),
            ("actionFile", action_file, 0),
            ("requireModule", esm::require_module, 2),
            ("esmHooks", esm::esm_hooks, 1),
            ("onlyParsesAsModule", esm::only_parses_as_module_native, 1),
            ("packageSource", esm::package_source, 1),
            ("loadLexer", load_lexer, 0),
            ("loadUrlLegacy", load_url_legacy, 1),
            ("loadCrypto", load_crypto, 1),
            ("loadHttp", load_http, 1),
            ("keyImport", key_import, 2),
            ("keyExport", key_export, 4),
            ("keySign", key_sign, 4),
            ("keyVerify", key_verify, 5),
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

/// A [`keys::KeyError`] as the JS error Node throws: its class, message and `code` (and
/// OpenSSL's `library` and `reason` where Node passes an OpenSSL error on).
fn key_error(error: keys::KeyError, ctx: &mut Context) -> boa_engine::JsError {
    let native = if error.is_type_error() { JsNativeError::typ() } else { JsNativeError::error() };
    let object = native.with_message(error.to_string()).into_opaque(ctx);
    let mut properties = vec![("code", error.code())];
    if error == keys::KeyError::Unsupported {
        properties.extend([("library", "DECODER routines"), ("reason", "unsupported")]);
    }
    for (name, value) in properties {
        // Setting a property on a fresh error object cannot fail.
        let _ = object.set(JsString::from(name), JsString::from(value), false, ctx);
    }
    boa_engine::JsError::from_opaque(object.into())
}

/// The key a JS `KeyObject` holds: its DER (argument `i`) and whether it is private (`i + 1`).
fn held_key(args: &[JsValue], i: usize, ctx: &mut Context) -> JsResult<keys::AsymmetricKey> {
    let der = bytes_arg(args, i)?;
    let private = args.get_or_undefined(i + 1).to_boolean();
    keys::AsymmetricKey::from_held_der(&der, private).map_err(|e| key_error(e, ctx))
}

/// `keyImport(request, data)`: reads a key; `request` is JSON `{format, type, want, jwk}` with
/// `format` one of `pem`, `der`, `jwk`, `ec-point`. Answers JSON with the key's description and
/// its DER (base64) for the JS `KeyObject` to hold.
fn key_import(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let request: Value = serde_json::from_str(&arg_string(args, 0, ctx)?)
        .map_err(|e| JsNativeError::typ().with_message(format!("keyImport: {e}")))?;
    let wanted = if request["want"] == "private" { keys::Wanted::Private } else { keys::Wanted::Public };
    let imported = match request["format"].as_str().unwrap_or("pem") {
        "jwk" => keys::AsymmetricKey::from_jwk(&request["jwk"], wanted),
        "ec-point" => keys::AsymmetricKey::from_ec_point(&bytes_arg(args, 1)?),
        "der" => {
            let container = request["type"].as_str().and_then(keys::Container::from_node_name);
            match container {
                Some(container) => keys::AsymmetricKey::from_der(&bytes_arg(args, 1)?, container, wanted),
                None => Err(keys::KeyError::Unsupported),
            }
        }
        _ => {
            let text = String::from_utf8_lossy(&bytes_arg(args, 1)?).into_owned();
            keys::AsymmetricKey::from_pem(&text, wanted)
        }
    };
    let key = imported.map_err(|e| key_error(e, ctx))?;
    let mut answer = key.description();
    answer["der"] = Value::String(base64::engine::general_purpose::STANDARD.encode(key.to_der()));
    Ok(JsString::from(answer.to_string()).into())
}

/// `keyExport(der, private, format, type)`: PEM or JWK text (JSON), or DER as an `ArrayBuffer`;
/// `format` `ec-point` gives the uncompressed P-256 point.
fn key_export(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let key = held_key(args, 0, ctx)?;
    let format = arg_string(args, 2, ctx)?;
    if format == "ec-point" {
        let point = key.ec_point().ok_or_else(|| JsNativeError::typ().with_message("not an EC key"))?;
        return array_buffer(&point, ctx);
    }
    let container = args.get_or_undefined(3);
    let container = if container.is_undefined() { None } else { Some(arg_string(args, 3, ctx)?) };
    match key.export(&format, container.as_deref()).map_err(|e| key_error(e, ctx))? {
        keys::Exported::Text(text) => Ok(JsString::from(text).into()),
        keys::Exported::Bytes(bytes) => array_buffer(&bytes, ctx),
    }
}

/// What `keySign`/`keyVerify` read from their JSON options: the digest, padding and ECDSA
/// signature encoding.
fn signature_options(
    args: &[JsValue],
    i: usize,
    ctx: &mut Context,
) -> JsResult<(digest::Algorithm, keys::Padding, keys::DsaEncoding)> {
    let options: Value = serde_json::from_str(&arg_string(args, i, ctx)?)
        .map_err(|e| JsNativeError::typ().with_message(format!("signature options: {e}")))?;
    let name = options["digest"].as_str().unwrap_or("sha256");
    let algorithm = digest::Algorithm::from_node_name(name)
        .ok_or_else(|| key_error(keys::KeyError::InvalidDigest(name.to_string()), ctx))?;
    // Node's crypto.constants.RSA_PKCS1_PSS_PADDING.
    let padding = if options["padding"] == 6 {
        keys::Padding::Pss(keys::SaltLength::from_node(options["saltLength"].as_f64().unwrap_or(-2.0)))
    } else {
        keys::Padding::Pkcs1v15
    };
    let dsa = if options["dsaEncoding"] == "ieee-p1363" { keys::DsaEncoding::P1363 } else { keys::DsaEncoding::Der };
    Ok((algorithm, padding, dsa))
}

/// `keySign(der, private, data, options)`: the signature as an `ArrayBuffer`.
fn key_sign(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let key = held_key(args, 0, ctx)?;
    let data = bytes_arg(args, 2)?;
    let (algorithm, padding, dsa) = signature_options(args, 3, ctx)?;
    let signature = key.sign(algorithm, &data, padding, dsa).map_err(|e| key_error(e, ctx))?;
    array_buffer(&signature, ctx)
}

/// `keyVerify(der, private, data, signature, options)`: whether the signature holds.
fn key_verify(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let key = held_key(args, 0, ctx)?;
    let data = bytes_arg(args, 2)?;
    let signature = bytes_arg(args, 3)?;
    let (algorithm, padding, dsa) = signature_options(args, 4, ctx)?;
    let valid = key.verify(algorithm, &data, &signature, padding, dsa).map_err(|e| key_error(e, ctx))?;
    Ok(valid.into())
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

/// A module most Actions never use, evaluated on its first use rather than in every new context
/// (a fresh instance pays only for what it uses): `code` is a prelude taking the object the
/// native `name` is called with (its dependencies).
fn load_lazy_module(name: &str, code: &str, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let deps = args
        .first()
        .and_then(JsValue::as_object)
        .ok_or_else(|| JsNativeError::typ().with_message(format!("{name} needs its dependencies")))?;
    run_prelude(ctx, code, deps.clone())
}

/// `loadAssert(native)`: the `assert` module (assert.js), when an Action first needs it.
fn load_assert(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    load_lazy_module("loadAssert", ASSERT_JS, args, ctx)
}

/// `loadUrlLegacy(deps)`: Node's legacy `url.parse`/`format`/`resolve` (url_legacy.js), when an
/// Action first uses one of them.
fn load_url_legacy(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    load_lazy_module("loadUrlLegacy", URL_LEGACY_JS, args, ctx)
}

/// `loadCrypto(deps)`: `crypto` beyond randomness (crypto.js), when an Action first requires
/// `crypto` or touches `crypto.subtle` or `CryptoKey`.
fn load_crypto(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    load_lazy_module("loadCrypto", CRYPTO_JS, args, ctx)
}

/// `loadHttp(deps)`: `http` and `https` (http.js), when an Action first requires one.
fn load_http(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    load_lazy_module("loadHttp", HTTP_JS, args, ctx)
}

/// `loadLexer()`: cjs-module-lexer's `{ parse }`, evaluated when an ES module first imports a
/// CommonJS file.
fn load_lexer(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let wrapper = format!("(function (module) {{\n{CJS_LEXER_JS}\nreturn module.exports;\n}})");
    let module = JsObject::with_object_proto(ctx.intrinsics());
    let exports = JsObject::with_object_proto(ctx.intrinsics());
    module.set(JsString::from("exports"), exports, false, ctx)?;
    run_prelude(ctx, &wrapper, module)
}

/// `resolvePackage(specifier, parentPath)`: Node's CommonJS resolution of an npm `require`
/// (`parentPath` `null` for the Action itself), as JSON `{path, format}` or Node's error
/// (`{error, code, type, requireStack, properties}`, see [`resolve_error_json`]).
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
                Format::Typeless => "typeless",
                Format::Module => "module",
                Format::Json => "json",
            },
        }),
        Err(e) => resolve_error_json(&e),
    };
    Ok(JsString::from(answer.to_string()).into())
}

/// A resolution error as the JS loader builds Node's error from it: message, `code`, class,
/// whether `Require stack:` lines belong to it, and Node's other own properties.
pub(crate) fn resolve_error_json(error: &crate::packages::ResolveError) -> Value {
    let properties: serde_json::Map<String, Value> =
        error.properties().into_iter().map(|(k, v)| (k.to_string(), Value::String(v))).collect();
    json!({
        "error": error.to_string(),
        "code": error.code(),
        "type": if error.is_type_error() { "TypeError" } else { "Error" },
        "requireStack": error.has_require_stack(),
        "properties": properties,
    })
}

/// `actionFile()`: the Action's own file, `undefined` when it has none.
fn action_file(_: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let file = Host::of(ctx)?.0.borrow().packages.action_file().map(|f| f.display().to_string());
    Ok(file.map_or_else(JsValue::undefined, |f| JsString::from(f).into()))
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

/// A parsed URL's WHATWG components as JSON, for the JS `URL`.
fn url_components(url: &url::Url) -> JsValue {
    use url::quirks;
    let components = json!({
        "href": quirks::href(url),
        "origin": quirks::origin(url),
        "protocol": quirks::protocol(url),
        "username": quirks::username(url),
        "password": quirks::password(url),
        "host": quirks::host(url),
        "hostname": quirks::hostname(url),
        "port": quirks::port(url),
        "pathname": quirks::pathname(url),
        "search": quirks::search(url),
        "hash": quirks::hash(url),
    });
    JsString::from(components.to_string()).into()
}

/// `urlParse(input, base)`: the WHATWG parse of `input` against `base` (when not `undefined`)
/// by the `url` crate; `null` when either does not parse.
fn url_parse(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let input = arg_string(args, 0, ctx)?;
    let parsed = if args.get_or_undefined(1).is_undefined() {
        url::Url::parse(&input)
    } else {
        url::Url::parse(&arg_string(args, 1, ctx)?).and_then(|base| base.join(&input))
    };
    Ok(parsed.map_or_else(|_| JsValue::null(), |url| url_components(&url)))
}

/// `urlSet(href, component, value)`: the components after WHATWG's setter of `component` (a
/// setter that refuses the value leaves the URL as it was, as in Node).
fn url_set(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    use url::quirks;
    let href = arg_string(args, 0, ctx)?;
    let component = arg_string(args, 1, ctx)?;
    let value = arg_string(args, 2, ctx)?;
    let mut url = url::Url::parse(&href).map_err(|e| JsNativeError::typ().with_message(format!("urlSet: {e}")))?;
    // The setters' refusals are WHATWG's "return" steps: nothing changes.
    let _ = match component.as_str() {
        "href" => quirks::set_href(&mut url, &value).map_err(|_| ()),
        "protocol" => quirks::set_protocol(&mut url, &value),
        "username" => quirks::set_username(&mut url, &value),
        "password" => quirks::set_password(&mut url, &value),
        "host" => quirks::set_host(&mut url, &value),
        "hostname" => quirks::set_hostname(&mut url, &value),
        "port" => quirks::set_port(&mut url, &value),
        "pathname" => {
            quirks::set_pathname(&mut url, &value);
            Ok(())
        }
        "search" => {
            quirks::set_search(&mut url, &value);
            Ok(())
        }
        "hash" => {
            quirks::set_hash(&mut url, &value);
            Ok(())
        }
        other => return Err(JsNativeError::typ().with_message(format!("urlSet: no component `{other}`")).into()),
    };
    Ok(url_components(&url))
}

/// `domainTo(domain, "ascii" | "unicode" | "idna")`: `url.domainToASCII`/`domainToUnicode`, and the
/// legacy `url.parse`'s toASCII.
fn domain_to(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let domain = arg_string(args, 0, ctx)?;
    let converted = match arg_string(args, 1, ctx)?.as_str() {
        "unicode" => url::quirks::domain_to_unicode(&domain),
        // The legacy `url.parse`'s toASCII: UTS #46 with the WHATWG settings but no host parsing
        // (no IPv4 rewriting), `''` when it fails, as ada's `idna::to_ascii` in Node.
        "idna" => idna::domain_to_ascii(&domain).unwrap_or_default(),
        _ => url::quirks::domain_to_ascii(&domain),
    };
    Ok(JsString::from(converted).into())
}

/// `actionLine(name, line)`: the text of line `line` (from 1) of the running Action when `name`
/// is its name (how Boa's stack frames name it), for `assert`'s messages, which quote the
/// failed call as Node reads it from the file; `undefined` otherwise.
fn action_line(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, ctx)?;
    let line = args.get_or_undefined(1).to_u32(ctx)?;
    let host = Host::of(ctx)?;
    let state = host.0.borrow();
    if state.action != name || line == 0 {
        return Ok(JsValue::undefined());
    }
    let text = state.source.lines().nth(line as usize - 1);
    Ok(text.map_or_else(JsValue::undefined, |t| JsString::from(t).into()))
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
