//! The generated Actions must do exactly what the guides' snippets do on well-formed events, and
//! the documented safer thing on malformed ones (docs/deviations.md). Both run under Node 22.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::util::{api_calls, build_example, fixtures, root, run_flow};

/// Fixtures on which the generated Action deliberately differs from the snippets.
const EXPRESS_CONFIGURE_DEVIATIONS: &[&str] = &[
    // The snippet splits the JSON array text on commas: `["[\"Acme.com\"", ...]`.
    "admin-json-array-domains",
    // The snippet routes every Gmail user to this customer's IdP.
    "admin-public-email-domain",
    // The snippet crashes on the missing list (TypeError) and fails the login.
    "admin-no-enrolled-factors-list",
];
const OKTA_DEVIATIONS: &[&str] = &[
    // The snippet sets `init_login_uri` to undefined; the generated Action fails clearly.
    "missing-login-url-secret",
];

/// The guides' snippets live in the harness corpus, verbatim but for a leading comment.
fn seed(name: &str) -> PathBuf {
    root().join("harness/tests/actions").join(name)
}

/// The calls without the index of the Action that made them (one generated Action stands for
/// a flow of several snippets).
fn calls_and_error(outcome: &Value) -> Value {
    let calls = api_calls(outcome);
    let error = outcome["error"].get("message").cloned().unwrap_or(Value::Null);
    json!({"calls": calls, "error": error})
}

fn compare(example: &str, snippets: &[&str], deviations: &[&str]) {
    let (_tmp, dist) = build_example(example);
    let generated = dist.join(format!("{}.js", action_name(example)));
    let snippets: Vec<PathBuf> = snippets.iter().map(|s| seed(s)).collect();
    let mut compared = 0;
    for fixture in fixtures(example) {
        let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        let ours = calls_and_error(&run_flow(&fixture, std::slice::from_ref(&generated)));
        let theirs = calls_and_error(&run_flow(&fixture, &snippets));
        if deviations.contains(&name.as_str()) {
            assert_ne!(ours, theirs, "{example}/{name} is listed as a deviation but behaves the same");
            insta::assert_json_snapshot!(
                format!("{example}__deviation__{name}"),
                json!({"generated": ours, "guide_snippets": theirs})
            );
        } else {
            assert_eq!(ours, theirs, "{example}/{name}: the generated Action differs from the guide's snippets");
            insta::assert_json_snapshot!(format!("{example}__{name}"), ours);
            compared += 1;
        }
    }
    assert!(compared >= 3, "too few well-formed fixtures compared for {example}");
}

fn action_name(example: &str) -> String {
    let manifest = std::fs::read_to_string(root().join("examples").join(example).join("actionkit.toml")).unwrap();
    let manifest: toml::Value = toml::from_str(&manifest).unwrap();
    manifest["action"]["name"].as_str().unwrap().to_string()
}

#[test]
fn express_configure_matches_the_auth0_guide_snippets() {
    compare(
        "express-configure",
        &["abac_scopes.js", "domain_aliases.js", "mfa_express.js"],
        EXPRESS_CONFIGURE_DEVIATIONS,
    );
}

#[test]
fn okta_express_configure_matches_the_okta_guide_snippet() {
    compare("okta-express-configure", &["sp_client_id.js"], OKTA_DEVIATIONS);
}
