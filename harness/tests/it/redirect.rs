use harness::{Action, ErrorKind, Fixture, Harness, Status};
use serde_json::json;

const ACTION: &str = r#"
exports.onExecutePostLogin = async (event, api) => {
  const token = api.redirect.encodeToken({
    secret: event.secrets.SECRET,
    payload: { state: 'st-1', color: 'blue' },
  });
  api.redirect.sendUserTo('https://app.example.com/step', { query: { session_token: token } });
};
exports.onContinuePostLogin = async (event, api) => {
  const payload = api.redirect.validateToken({ secret: event.secrets.SECRET });
  api.idToken.setCustomClaim('https://x.example/color', payload.color);
  api.idToken.setCustomClaim('https://x.example/claims', Object.keys(payload).sort());
};
"#;

fn event() -> serde_json::Value {
    json!({
        "secrets": {"SECRET": "s3cret"},
        "user": {"user_id": "auth0|42"},
        "request": {"ip": "203.0.113.7", "hostname": "tenant.example.com", "query": {}, "body": {}}
    })
}

/// Runs the paused flow and returns the token it redirected with.
fn token() -> String {
    let fixture = Fixture::from_event(event()).expect("fixture");
    let outcome = Harness::new().run(&Action::from_source("step", ACTION), &fixture).expect("run");
    assert_eq!(outcome.status, Status::Redirected);
    let url = outcome.redirect.expect("redirect").url;
    url.split("session_token=").nth(1).expect("token in url").to_string()
}

fn resume(token: &str, clock: &str) -> harness::Outcome {
    let fixture = Fixture::parse(
        &json!({"event": event(), "clock": clock, "resume": {"body": {"session_token": token, "state": "st-1"}}})
            .to_string(),
    )
    .expect("fixture");
    Harness::new().run(&Action::from_source("step", ACTION), &fixture).expect("run")
}

#[test]
fn encoded_token_validates_on_continue() {
    let outcome = resume(&token(), "2025-01-01T00:05:00Z");
    assert_eq!(outcome.status, Status::Completed, "{:?}", outcome.error);
    assert_eq!(outcome.id_token.claims["https://x.example/color"], "blue");
    // Auth0's claim set: iat, iss, sub, exp, ip, then the payload.
    assert_eq!(
        outcome.id_token.claims["https://x.example/claims"],
        json!(["color", "exp", "iat", "ip", "iss", "state", "sub"])
    );
    assert_eq!(outcome.actions[0].entries, ["onExecutePostLogin", "onContinuePostLogin"]);
}

#[test]
fn tampered_and_expired_tokens_are_rejected() {
    let good = token();
    let mut tampered = good.clone();
    tampered.pop();
    tampered.push(if good.ends_with('A') { 'B' } else { 'A' });
    let outcome = resume(&tampered, "2025-01-01T00:05:00Z");
    let error = outcome.error.expect("invalid signature");
    assert_eq!(
        (error.kind, error.message.as_str()),
        (ErrorKind::Throw, "The session token is invalid: invalid signature")
    );

    // The default lifetime is 900 s.
    let outcome = resume(&good, "2025-01-01T00:15:00Z");
    assert_eq!(outcome.error.expect("expired").message, "The session token is invalid: jwt expired");
}
