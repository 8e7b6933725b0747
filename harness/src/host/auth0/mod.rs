//! The Auth0 side of the runtime: the recording `api` object (`api.js`) and the loader's handler
//! lookup, over a few natives (record, abort, HS256) and Auth0's limits (`native.limits`, from
//! the `auth0-platform` crate).

use base64::Engine as _;
use boa_engine::{Context, JsArgs, JsNativeError, JsObject, JsResult, JsString, JsValue};
use serde_json::Value;

use super::{arg_string, natives, run_prelude, Host};

const API_JS: &str = include_str!("api.js");

/// Installs the api factory; returns `{makeApi, getHandler}`.
pub(crate) fn register(ctx: &mut Context) -> JsResult<JsObject> {
    let native = natives(
        ctx,
        &[
            ("record", record, 3),
            ("abort", abort, 1),
            ("redirectTarget", redirect_target, 1),
            ("hs256", hs256_sign, 2),
            ("b64url", b64url, 1),
            ("b64urlDecode", b64url_decode, 1),
        ],
    );
    // Auth0's limits come from `auth0_platform`, the one place they are written down.
    let limits: Value = serde_json::from_str(&auth0_platform::runtime_facts_json())
        .map_err(|e| JsNativeError::typ().with_message(format!("Auth0 limits are not JSON: {e}")))?;
    let limits = JsValue::from_json(&limits, ctx)?;
    native.set(JsString::from("limits"), limits, false, ctx)?;
    run_prelude(ctx, API_JS, native)?
        .as_object()
        .ok_or_else(|| JsNativeError::typ().with_message("api prelude returned no object").into())
}

/// `record(method, argsJson, threwMessage | undefined)`.
fn record(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let host = Host::of(ctx)?;
    host.check_limits()?;
    let method = arg_string(args, 0, ctx)?;
    let json = arg_string(args, 1, ctx)?;
    let values = match serde_json::from_str::<Value>(&json) {
        Ok(Value::Array(values)) => values,
        Ok(other) => vec![other],
        Err(_) => vec![Value::String(json)],
    };
    let threw = match args.get_or_undefined(2) {
        v if v.is_undefined() => None,
        v => Some(v.to_string(ctx)?.to_std_string_escaped()),
    };
    let state = host.0.borrow();
    state.recorder.lock().call(&state.action, method, values, threw, state.settled);
    Ok(JsValue::undefined())
}

fn abort(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let message = arg_string(args, 0, ctx)?;
    let host = Host::of(ctx)?;
    let mut state = host.0.borrow_mut();
    if state.aborted.is_none() {
        state.aborted = Some(message);
    }
    Ok(JsValue::undefined())
}

fn redirect_target(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let url = arg_string(args, 0, ctx)?;
    Host::of(ctx)?.0.borrow_mut().redirect = Some(url);
    Ok(JsValue::undefined())
}

fn hs256_sign(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let secret = arg_string(args, 0, ctx)?;
    let data = arg_string(args, 1, ctx)?;
    let mac = super::node::digest::Algorithm::Sha256.hmac(secret.as_bytes(), data.as_bytes());
    Ok(JsString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)).into())
}

fn b64url(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, ctx)?;
    Ok(JsString::from(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text.as_bytes())).into())
}

fn b64url_decode(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, ctx)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('=').as_bytes())
        .map_err(|e| JsNativeError::typ().with_message(format!("invalid base64url: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|e| JsNativeError::typ().with_message(format!("invalid UTF-8: {e}")))?;
    Ok(JsString::from(text).into())
}
