//! Reading a request: its body (JSON, or a form for the token endpoint), its query parameters
//! and percent-encoded path segments. Shared by the server and every route module, so it
//! depends on none of them.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

/// Parses a JSON or form body (the token endpoint takes both); `Null` if it is neither.
pub(crate) fn parse_body(headers: &HeaderMap, body: &[u8]) -> Value {
    let form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        let text = String::from_utf8_lossy(body);
        let map: Map<String, Value> = text
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (decode(k), Value::String(decode(v))))
            .collect();
        return Value::Object(map);
    }
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

/// Percent-decodes a path segment or query value (`+` is a space, as in forms).
pub(crate) fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The raw (still encoded) value of `key` in a query string.
pub(crate) fn query_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == key).map(|(_, v)| v)
}
