//! Soundness of the `has()` guard check: whenever the checker accepts a condition, evaluating it
//! on any event that follows the declared schema (each optional attribute present or absent)
//! never fails with `no such key`. Random conditions mix correct, misplaced and missing guards;
//! the checker must refuse exactly those that could read an absent attribute.

use action_core::value::Value;
use action_core::{decide, RuleResult, Trace};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

const HEAD: &str = r#"version = 1
[api]
identifier = "api"
[attributes]
"user.app_metadata.p" = "int?"
"user.app_metadata.q" = "string?"
"user.app_metadata.r" = "{x: int?}?"
[[rule]]
id = "r"
grant = ["s"]
"#;

/// Presence tests, and reads of optional attributes.
const HAS: &[&str] =
    &["has(user.app_metadata.p)", "has(user.app_metadata.q)", "has(user.app_metadata.r)", "has(user.app_metadata.r.x)"];
const READS: &[&str] = &[
    "user.app_metadata.p > 0",
    "user.app_metadata.q == \"a\"",
    "size(user.app_metadata.q) > 0",
    "user.app_metadata.r.x == 1",
    "size(user.app_metadata.r) == 1",
];

/// Conditions built from presence tests and reads, combined with `&&`, `||`, `!` and `?:`.
/// Shrinks towards a single atom.
fn condition() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        proptest::sample::select(HAS).prop_map(str::to_string),
        proptest::sample::select(READS).prop_map(str::to_string),
    ];
    atom.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            2 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} && {b})")),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} || {b})")),
            1 => inner.clone().prop_map(|a| format!("!{a}")),
            1 => (inner.clone(), inner.clone(), inner).prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
        ]
    })
}

/// Every combination of present and absent optional attributes.
fn events() -> Vec<Value> {
    let mut out = Vec::new();
    for mask in 0..16u32 {
        let mut meta = Value::Map(Vec::new());
        if mask & 1 != 0 {
            meta.insert("p", Value::Int(1));
        }
        if mask & 2 != 0 {
            meta.insert("q", Value::Str("a".into()));
        }
        if mask & 4 != 0 {
            let mut r = Value::Map(Vec::new());
            if mask & 8 != 0 {
                r.insert("x", Value::Int(1));
            }
            meta.insert("r", r);
        }
        let mut user = Value::Map(Vec::new());
        user.insert("app_metadata", meta);
        let mut rs = Value::Map(Vec::new());
        rs.insert("identifier", Value::Str("api".into()));
        let mut event = Value::Map(Vec::new());
        event.insert("resource_server", rs);
        event.insert("user", user);
        out.push(event);
    }
    out
}

/// Checks one condition; returns whether the checker accepted it.
fn check(when: &str) -> Result<bool, TestCaseError> {
    let Ok(compiled) = policy::compile(&format!("{HEAD}when = '{when}'\n"), "guards.toml") else {
        return Ok(false);
    };
    for event in events() {
        let outcome = decide(&compiled.policy, &event);
        for t in &outcome.trace {
            if let Trace::Rule { result: RuleResult::Error { message }, .. } = t {
                prop_assert!(
                    !message.starts_with("no such key"),
                    "accepted `{}` but it reads an absent attribute on {}: {}",
                    when,
                    event.to_json(),
                    message
                );
            }
        }
    }
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn accepted_conditions_never_read_absent_attributes(when in condition()) {
        check(&when)?;
    }
}

/// The generator must produce both accepted and refused conditions.
#[test]
fn the_checker_accepts_some_and_refuses_some() {
    let mut runner = TestRunner::deterministic();
    let conditions = condition();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..300 {
        let when = conditions.new_tree(&mut runner).expect("a condition").current();
        match check(&when) {
            Ok(true) => accepted += 1,
            Ok(false) => refused += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(accepted > 20 && refused > 20, "{accepted} accepted, {refused} refused");
}
