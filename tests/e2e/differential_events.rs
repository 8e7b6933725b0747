//! The differential test of the event contract: random Auth0-shaped events (keys missing, nulls,
//! values of the wrong type, integral and non-integral numbers, unicode, large values) over the
//! bundled policies and a policy using every feature, decided natively (as `explain` does), by the
//! built Action in the harness (Boa + wasmi), and by the built Action under Node 22. All three
//! must make the same `api` calls, or fail the login the same way.
//!
//! CI runs `CASES` events per bundled policy and 10 on each of 8 generated policies;
//! `ACTIONKIT_DIFFERENTIAL_CASES=5000` runs that many on each.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::util::{actionkit, api_calls, root, run_flow};

const CASES: usize = 40;

/// A small deterministic generator (xorshift), so a failing case is reproducible by its seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A value for an attribute: usually of the expected shape, often not.
fn value(g: &mut Gen, expected: &Value) -> Value {
    match g.below(12) {
        0 => Value::Null,
        1 => json!(g.below(40)),
        2 => json!(12.0),
        3 => json!(11.5),
        4 => json!(9007199254740993u64),
        5 => json!(true),
        6 => json!("contractor"),
        7 => json!(["contractor", "employee"]),
        8 => json!([1, "x"]),
        9 => json!({"nested": "object"}),
        10 => json!("ünïcödé ✓ ".repeat(1 + g.below(3) as usize)),
        _ => expected.clone(),
    }
}

fn email(g: &mut Gen) -> Value {
    let local = g.pick(&["ada", "Bob.Smith", "x", "名前"]);
    let domain = g.pick(&["acme.com", "ACME.io", "gmail.com", "example.org", "sub.acme.com", ""]);
    match g.below(8) {
        0 => Value::Null,
        1 => json!(7),
        2 => json!("not-an-address"),
        _ => json!(format!("{local}@{domain}")),
    }
}

fn event(g: &mut Gen, audience: &str, okta: bool) -> Value {
    let mut event = Map::new();
    if okta {
        if !g.chance(10) {
            event.insert(
                "request".into(),
                json!({"query": {"audience": if g.chance(85) { audience } else { "https://other" }}}),
            );
        }
        let mut metadata = Map::new();
        if !g.chance(20) {
            metadata.insert("express_configure_sp_client_id".into(), value(g, &json!("svc_123")));
        }
        event.insert("client".into(), json!({"client_id": "c", "name": "n", "metadata": metadata}));
        let mut secrets = Map::new();
        for (name, good) in
            [("TENANT_DOMAIN", "https://acme.us.auth0.com"), ("SERVICE_INIT_LOGIN_URL", "https://app/login")]
        {
            if !g.chance(15) {
                secrets.insert(name.into(), json!(if g.chance(90) { good } else { "" }));
            }
        }
        event.insert("secrets".into(), Value::Object(secrets));
    } else if !g.chance(10) {
        event.insert(
            "resource_server".into(),
            json!({"identifier": if g.chance(85) { audience } else { "https://api.example.com" }}),
        );
    }
    if !g.chance(10) {
        let mut user = Map::new();
        user.insert("user_id".into(), json!("auth0|1"));
        if !g.chance(20) {
            user.insert("email".into(), email(g));
        }
        if !g.chance(25) {
            let mut app = Map::new();
            for (key, expected) in [
                ("is_admin", json!(true)),
                ("level", json!(12)),
                ("roles", json!(["employee"])),
                ("tier", json!("gold")),
            ] {
                if g.chance(60) {
                    app.insert(key.into(), value(g, &expected));
                }
            }
            user.insert("app_metadata".into(), Value::Object(app));
        }
        if g.chance(70) {
            let factors = match g.below(4) {
                0 => json!([]),
                1 => json!([{"type": "webauthn-platform"}]),
                2 => json!([{"type": "otp"}, {"type": 5}]),
                _ => json!("not a list"),
            };
            user.insert("enrolledFactors".into(), factors);
        }
        event.insert("user".into(), Value::Object(user));
    }
    if g.chance(70) {
        let domains = match g.below(7) {
            0 => json!("acme.com, acme.io"),
            1 => json!("[\"Acme.com\", \"sub.acme.com\"]"),
            2 => json!("gmail.com,acme.com"),
            3 => json!("not a domain!, acme.com"),
            4 => json!(42),
            5 => json!(""),
            _ => json!("ACME.COM ,, acme.io"),
        };
        let mut metadata = Map::new();
        metadata.insert("domains".into(), domains);
        if g.chance(20) {
            metadata.insert("blocked".into(), value(g, &json!("billing overdue")));
        }
        event.insert("organization".into(), json!({"id": "org_1", "name": "acme", "metadata": metadata}));
    }
    Value::Object(event)
}

/// The `api` calls of the native decisions, as the harness and the Node runner record them;
/// a `fail` decision is the error message the Action throws.
fn native_calls(outcome: &action_core::Outcome) -> Value {
    // The engine's own JSON (what the Action parses), so numbers compare as the Action sees them.
    let answer: Value = serde_json::from_str(&outcome.to_json()).expect("the engine writes JSON");
    let mut calls = Vec::new();
    let mut error = Value::Null;
    for json in answer["decisions"].as_array().expect("decisions") {
        if json["type"] == "fail" {
            error = json["message"].clone();
            break;
        }
        calls.push(crate::one_event::call_of(json));
    }
    json!({"calls": calls, "error": error})
}

/// What the Action did: its calls, and the message it threw. (What Auth0 makes of the calls
/// afterwards, such as failing a login whose MFA factors are not usable, is the harness's
/// emulation of Auth0 and not part of the decision; the Node runner does not model it.)
fn recorded(outcome: &Value) -> Value {
    let calls = api_calls(outcome);
    let error = &outcome["error"];
    let thrown = match error.get("kind").and_then(Value::as_str) {
        None | Some("throw") => error.get("message").cloned().unwrap_or(Value::Null),
        Some(_) => Value::Null,
    };
    json!({"calls": calls, "error": thrown})
}

fn build(project: &Path, out: &Path) -> PathBuf {
    let output = actionkit().arg("build").arg(project).arg("-o").arg(out).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let name = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "js"))
        .expect("the Action");
    name
}

fn check_policy(project: &Path, audience: &str, okta: bool, seed: u64, cases: usize) {
    let cases = std::env::var("ACTIONKIT_DIFFERENTIAL_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    let tmp = tempfile::tempdir().unwrap();
    let action_path = build(project, &tmp.path().join("dist"));
    let policy_text = std::fs::read_to_string(project.join("policy.toml")).unwrap();
    let compiled = policy::compile(&policy_text, "policy.toml").expect("compiles");
    let action = harness::Action::from_file(&action_path).unwrap();
    let harness = harness::Harness::with_limits(harness::Limits { real_time_scale: 50, ..harness::Limits::default() });
    let mut g = Gen(seed);
    for case in 0..cases {
        let event = event(&mut g, audience, okta);
        let file = tmp.path().join(format!("event-{case}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&event).unwrap()).unwrap();

        let native_event = crate::one_event::engine_value(&file);
        let native = native_calls(&policy::event::decide_as_the_action_does(&compiled.policy, &native_event));
        let fixture = harness::Fixture::from_file(&file).unwrap();
        let boa = recorded(&harness.run(&action, &fixture).unwrap().to_json());
        assert_eq!(
            boa,
            native,
            "{}: case {case} (seed {seed}): the harness differs from explain\n{event:#}",
            project.display()
        );
        let node = recorded(&run_flow(&file, std::slice::from_ref(&action_path)));
        assert_eq!(
            node,
            native,
            "{}: case {case} (seed {seed}): Node 22 differs from explain\n{event:#}",
            project.display()
        );
    }
}

/// Conditions and effects generated policies are made of: every expression form the language
/// has, over attributes the events above fill with values of every type.
const CONDITIONS: &[&str] = &[
    "true",
    "has(user.app_metadata.is_admin) && user.app_metadata.is_admin == true",
    "has(user.app_metadata.level) && user.app_metadata.level >= 12",
    "has(user.app_metadata.level) && user.app_metadata.level % 2 == 0",
    "has(user.app_metadata.roles) && \"contractor\" in user.app_metadata.roles",
    "has(user.app_metadata.roles) && user.app_metadata.roles.exists(r, r.startsWith(\"emp\"))",
    "has(user.app_metadata.roles) && size(user.app_metadata.roles) > 1",
    "has(user.email) && user.email.emailDomain() in domain_aliases",
    "has(user.email) && user.email.lowerAscii().endsWith(\"@acme.com\")",
    "has(user.app_metadata.tier) && user.app_metadata.tier.trim().split(\",\").exists(t, t == \"gold\")",
    "has(organization) && has(organization.metadata.blocked)",
    "!has(user.app_metadata.tier) || user.app_metadata.tier != \"free\"",
    "has(user.app_metadata.level) ? user.app_metadata.level < 5 : false",
];
const EFFECTS: &[&str] = &[
    "grant = [\"express_configure:sso\"]",
    "grant = [\"express_configure:sso\", \"express_configure:scim\"]",
    "forbid = [\"express_configure:scim\"]",
    "forbid = [\"express_configure:scim\"]\non_error = \"skip\"",
    "deny = \"Not for you\"",
    "deny = { reason = 'has(user.app_metadata.tier) ? user.app_metadata.tier : \"no tier\"' }",
    "mfa = true\ngrant = [\"express_configure:sso\"]",
    "grant = [\"express_configure:sso\"]\n[[rule.claim]]\nname = \"https://example.com/level\"\nvalue = 'has(user.app_metadata.level) ? user.app_metadata.level * 2 : 0'",
    "grant = [\"express_configure:sso\"]\n[[rule.claim]]\nname = \"https://example.com/roles\"\ntoken = \"both\"\nvalue = 'has(user.app_metadata.roles) ? user.app_metadata.roles : []'",
];

/// A policy of 1 to 4 rules drawn from [`CONDITIONS`] and [`EFFECTS`], MFA on or off; `None`
/// when the checker refuses the combination (that is the checker's job, tested elsewhere).
fn generated_policy(g: &mut Gen) -> Option<String> {
    let mut text = String::from(
        "version = 1\n[api]\nidentifier = \"urn:auth0:express-configure\"\n[attributes]\n\
         \"user.app_metadata.is_admin\" = \"bool?\"\n\"user.app_metadata.level\" = \"int?\"\n\
         \"user.app_metadata.roles\" = \"list<string>?\"\n\"user.app_metadata.tier\" = \"string?\"\n\
         \"organization.metadata.blocked\" = \"string?\"\n[domain_aliases]\nmetadata_key = \"domains\"\n",
    );
    if g.chance(50) {
        text.push_str("[mfa]\nchallenge = [\"email\"]\nwebauthn_platform = true\n");
        if g.chance(50) {
            text.push_str(&format!("when = '{}'\n", g.pick(CONDITIONS)));
        }
    }
    for i in 0..1 + g.below(4) {
        text.push_str(&format!("[[rule]]\nid = \"r{i}\"\nwhen = '{}'\n{}\n", g.pick(CONDITIONS), g.pick(EFFECTS)));
    }
    policy::compile(&text, "policy.toml").is_ok().then_some(text)
}

#[test]
fn explain_the_harness_and_node_22_agree_on_random_events_and_policies() {
    let mut g = Gen(0x5eed_0004);
    let mut checked = 0;
    for _ in 0..8 {
        let Some(text) = generated_policy(&mut g) else { continue };
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join("policy.toml"), &text).unwrap();
        std::fs::write(project.path().join("actionkit.toml"), "[action]\nname = \"generated\"\n").unwrap();
        std::fs::create_dir_all(project.path().join("fixtures")).unwrap();
        let seed = g.next();
        check_policy(project.path(), "urn:auth0:express-configure", false, seed, 10);
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} generated policies compiled");
}

#[test]
fn explain_the_harness_and_node_22_agree_on_random_events() {
    check_policy(&root().join("examples/express-configure"), "urn:auth0:express-configure", false, 0x5eed_0001, CASES);
    check_policy(
        &root().join("examples/okta-express-configure"),
        "https://system.okta.com/actions/express-configure/v1",
        true,
        0x5eed_0002,
        CASES,
    );
    let every_feature = tempfile::tempdir().unwrap();
    crate::one_event::write_project(every_feature.path());
    check_policy(every_feature.path(), "urn:auth0:express-configure", false, 0x5eed_0003, CASES);
}
