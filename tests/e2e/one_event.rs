//! One event, one meaning: for the same fixture, `explain` (native), the built Action in the
//! harness (Boa + wasmi) and the built Action under Node 22 make the same `api` calls. The
//! fixtures are the cases where these paths used to disagree: objects Auth0 always sends left out
//! of the fixture, integral numbers written as `12.0` or `1.2e1`, values of the wrong type for
//! their declared attribute (fail closed), the domain-match rule and a computed deny reason.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::util::{actionkit, api_calls, run_flow};

const POLICY: &str = r#"version = 1

[api]
identifier = "urn:auth0:express-configure"

[attributes]
"user.app_metadata.is_admin" = "bool?"
"user.app_metadata.tier" = "string?"
"user.app_metadata.level" = "int?"
"user.app_metadata.roles" = "list<string>?"
"organization.metadata.blocked" = "string?"

[domain_aliases]
metadata_key = "domains"

[mfa]
when = 'has(user.app_metadata.is_admin) && user.app_metadata.is_admin == true'
challenge = ["email"]
webauthn_platform = true

[[rule]]
id = "blocked-organizations"
when = 'has(organization) && has(organization.metadata.blocked)'
deny = { reason = 'organization.metadata.blocked' }

[[rule]]
id = "level-12-configures"
when = 'has(user.app_metadata.level) && user.app_metadata.level >= 12'
grant = ["express_configure:sso", "express_configure:scim"]

[[rule]]
id = "own-domain-configures-sso"
when = 'has(user.email) && user.email.emailDomain() in domain_aliases'
grant = ["express_configure:sso"]

[[rule]]
id = "contractors-no-scim"
when = 'has(user.app_metadata.roles) && "contractor" in user.app_metadata.roles'
forbid = ["express_configure:scim"]

[[rule]]
id = "tier-claim"
when = 'true'
[[rule.claim]]
name = "https://example.com/tier"
value = 'has(user.app_metadata.tier) ? user.app_metadata.tier : "free"'
"#;

const EC: &str = r#""resource_server": {"identifier": "urn:auth0:express-configure"}"#;

/// Events (the body after the resource server) named for what they pin down.
fn events() -> Vec<(&'static str, String)> {
    let with = |rest: &str| format!("{{{EC}, {rest}}}");
    vec![
        ("no-app-metadata-object", with(r#""user": {"user_id": "auth0|1"}"#)),
        ("level-written-12.0", with(r#""user": {"app_metadata": {"level": 12.0}}"#)),
        ("level-written-1.2e1", with(r#""user": {"app_metadata": {"level": 1.2e1}}"#)),
        ("level-11.5-is-no-int", with(r#""user": {"app_metadata": {"level": 11.5}}"#)),
        ("roles-a-string", with(r#""user": {"app_metadata": {"level": 20, "roles": "contractor"}}"#)),
        ("roles-a-list", with(r#""user": {"app_metadata": {"level": 20, "roles": ["contractor"]}}"#)),
        ("tier-a-number", with(r#""user": {"app_metadata": {"tier": 3}}"#)),
        ("tier-null", with(r#""user": {"app_metadata": {"tier": null}}"#)),
        (
            "email-at-the-organization",
            with(
                r#""organization": {"id": "o", "metadata": {"domains": "acme.com"}}, "user": {"email": "Ada@ACME.com"}"#,
            ),
        ),
        (
            "blocked-with-reason",
            with(r#""organization": {"id": "o", "metadata": {"blocked": "billing overdue"}}, "user": {}"#),
        ),
        ("other-api", r#"{"resource_server": {"identifier": "https://api.example.com"}, "user": {}}"#.to_string()),
    ]
}

/// The `api` calls a list of decisions makes, as the harness and the Node runner record them.
fn calls_of(decisions: &Value) -> Value {
    Value::Array(decisions.as_array().expect("decisions").iter().map(call_of).collect())
}

/// The `api` call one decision (as JSON) makes.
pub(crate) fn call_of(d: &Value) -> Value {
    {
        {
            let (method, args) = match d["type"].as_str().unwrap() {
                "set_claim" if d["token"] == "id" => ("idToken.setCustomClaim", json!([d["name"], d["value"]])),
                "set_claim" => ("accessToken.setCustomClaim", json!([d["name"], d["value"]])),
                "add_scope" => ("accessToken.addScope", json!([d["scope"]])),
                "remove_scope" => ("accessToken.removeScope", json!([d["scope"]])),
                "deny" => ("access.deny", json!([d["reason"]])),
                "multifactor_enable" => ("multifactor.enable", json!([d["provider"]])),
                "challenge_with" => ("authentication.challengeWith", json!([{"type": d["factor"]}])),
                "enroll_with" => ("authentication.enrollWith", json!([{"type": d["factor"]}])),
                other => panic!("unexpected decision {other}"),
            };
            json!({"method": method, "args": args})
        }
    }
}

/// A fixture file's event as the engine reads it natively (the CLI's `explain` path).
pub(crate) fn engine_value(path: &Path) -> action_core::value::Value {
    let fixture = harness::Fixture::from_file(path).expect("fixture");
    policy::event::from_json(&serde_json::Value::Object(fixture.event().clone()))
}

/// Writes the every-feature project (policy, manifest, an empty fixtures directory) into `dir`.
pub(crate) fn write_project(dir: &Path) {
    std::fs::write(dir.join("policy.toml"), POLICY).unwrap();
    std::fs::write(dir.join("actionkit.toml"), "[action]\nname = \"one-event\"\n").unwrap();
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
}

fn run_json(args: &[&std::ffi::OsStr]) -> Value {
    let output = actionkit().args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn build(dir: &Path) -> PathBuf {
    write_project(dir);
    let output = actionkit().arg("build").arg(dir).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    dir.join("dist/one-event.js")
}

#[test]
fn explain_the_harness_and_node_22_decide_alike_on_every_event() {
    let tmp = tempfile::tempdir().unwrap();
    let action = build(tmp.path());
    let mut seen = Vec::new();
    for (name, event) in events() {
        let file = tmp.path().join(format!("{name}.json"));
        std::fs::write(&file, &event).unwrap();
        let native = run_json(&[
            "explain".as_ref(),
            tmp.path().as_os_str(),
            "--event".as_ref(),
            file.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let expected = calls_of(&native["decisions"]);
        let harness = run_json(&[
            "run".as_ref(),
            action.as_os_str(),
            "--event".as_ref(),
            file.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(api_calls(&harness), expected, "{name}: the harness differs from explain\n{event}");
        let node = run_flow(&file, std::slice::from_ref(&action));
        assert_eq!(api_calls(&node), expected, "{name}: Node 22 differs from explain\n{event}");
        seen.push(json!({"event": name, "calls": expected}));
    }
    // What they agree on, pinned (fail closed where the data is wrong).
    insta::assert_json_snapshot!(seen);
}
