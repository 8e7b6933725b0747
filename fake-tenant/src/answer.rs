//! What a route answers: a status and a JSON body, and Auth0's error body
//! `{statusCode, error, message, errorCode}`. Shared by every route module, so it depends on
//! none of them.

use axum::http::StatusCode;
use serde_json::{json, Value};

/// A route's answer: the status and the JSON body (`Null` for no body).
pub(crate) type Answer = (StatusCode, Value);

/// `200 OK` with `body`.
pub(crate) fn ok(body: Value) -> Answer {
    (StatusCode::OK, body)
}

/// Auth0's error body.
pub(crate) fn error_body(status: StatusCode, message: &str, code: Option<&str>) -> Value {
    let mut body = json!({
        "statusCode": status.as_u16(),
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": message,
    });
    if let Some(code) = code {
        body["errorCode"] = json!(code);
    }
    body
}

/// An error answer with Auth0's error body.
pub(crate) fn err(status: StatusCode, message: &str, code: Option<&str>) -> Answer {
    (status, error_body(status, message, code))
}

/// A 400 as Auth0's schema validation words it.
pub(crate) fn invalid(message: &str) -> Answer {
    err(StatusCode::BAD_REQUEST, &format!("Payload validation error: {message}"), Some("invalid_body"))
}
