use harness::{Action, ActionStatus, ErrorKind, Fixture, Harness, Status};

fn actions(sources: &[(&str, &str)]) -> Vec<Action> {
    sources.iter().map(|(name, src)| Action::from_source(*name, *src)).collect()
}

const EVENT: &str = r#"{"user": {"user_id": "auth0|1", "app_metadata": {"plan": "free"}, "user_metadata": {}},
  "request": {"ip": "203.0.113.7", "query": {}, "body": {}},
  "transaction": {"protocol": "oidc-basic-profile", "metadata": {}},
  "authentication": {"methods": [{"name": "pwd", "timestamp": "2025-01-01T00:00:00.000Z"}]}}"#;

fn fixture() -> Fixture {
    Fixture::parse(EVENT).expect("fixture")
}

#[test]
fn metadata_is_visible_to_later_actions_only() {
    let flow = actions(&[
        ("first", "exports.onExecutePostLogin = async (event, api) => {\n  api.user.setAppMetadata('plan', 'gold');\n  api.user.setAppMetadata('gone', null);\n  console.log('first sees', event.user.app_metadata.plan);\n};"),
        ("second", "exports.onExecutePostLogin = async (event, api) => {\n  console.log('second sees', event.user.app_metadata.plan);\n  event.user.app_metadata.plan = 'mutated';\n};"),
        ("third", "exports.onExecutePostLogin = async (event, api) => {\n  console.log('third sees', event.user.app_metadata.plan);\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    let logs: Vec<&str> = outcome.logs.iter().map(|l| l.message.as_str()).collect();
    // Event mutations do not leak to later Actions; metadata commands do.
    assert_eq!(logs, ["first sees free", "second sees gold", "third sees gold"]);
    assert_eq!(outcome.status, Status::Completed);
}

#[test]
fn deny_stops_later_actions_but_keeps_its_commands() {
    let flow = actions(&[
        ("deny", "exports.onExecutePostLogin = async (event, api) => {\n  api.access.deny('no');\n  api.idToken.setCustomClaim('https://x.example/after_deny', 1);\n};"),
        ("later", "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://x.example/later', 1);\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    assert_eq!(outcome.status, Status::Denied);
    assert_eq!(outcome.actions[0].status, ActionStatus::Denied);
    assert_eq!(outcome.actions[1].status, ActionStatus::Skipped);
    assert!(outcome.id_token.claims.contains_key("https://x.example/after_deny"));
    assert!(!outcome.id_token.claims.contains_key("https://x.example/later"));
    assert_eq!(outcome.denied.as_ref().map(|d| d.reason.clone()), Some("no".into()));
}

#[test]
fn a_throw_discards_that_actions_commands_and_stops_the_flow() {
    let flow = actions(&[
        ("ok", "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://x.example/ok', 1);\n};"),
        ("boom", "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://x.example/boom', 1);\n  await null;\n  throw new TypeError('bad input');\n};"),
        ("never", "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://x.example/never', 1);\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    assert_eq!(outcome.status, Status::Failed);
    let error = outcome.error.as_ref().expect("error");
    assert_eq!(
        (error.kind, error.name.as_deref(), error.message.as_str()),
        (ErrorKind::Throw, Some("TypeError"), "bad input")
    );
    assert_eq!(error.action.as_deref(), Some("boom"));
    let claims: Vec<&String> = outcome.id_token.claims.keys().collect();
    assert_eq!(claims, ["https://x.example/ok"]);
    assert!(outcome.calls[1].discarded);
    assert_eq!(outcome.actions[2].status, ActionStatus::Skipped);
}

/// The flow's event with the user enrolled in `factors` (and `tenant` as the fixture's wrapper key).
fn enrolled_fixture(factors: &[&str], tenant: &str) -> Fixture {
    let mut event: serde_json::Value = serde_json::from_str(EVENT).expect("event");
    event["user"]["enrolledFactors"] = factors.iter().map(|f| serde_json::json!({ "type": f })).collect();
    Fixture::parse(&format!(r#"{{"event": {event}, "tenant": {tenant}}}"#)).expect("fixture")
}

#[test]
fn mfa_pauses_and_later_actions_see_the_passed_factor() {
    let flow = actions(&[
        ("challenge", "exports.onExecutePostLogin = async (event, api) => {\n  api.authentication.challengeWith({ type: 'phone' }, { additionalFactors: [{ type: 'otp' }] });\n};"),
        ("check", "exports.onExecutePostLogin = async (event, api) => {\n  const mfa = event.authentication.methods.find((m) => m.name === 'mfa');\n  api.idToken.setCustomClaim('https://x.example/mfa', mfa && mfa.type);\n};"),
    ]);
    // phone is enabled but not enrolled, so the step passes with the first factor left.
    let outcome = Harness::new().run_flow(&flow, &enrolled_fixture(&["otp"], "{}")).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.id_token.claims["https://x.example/mfa"], "otp");
    assert_eq!(outcome.mfa.steps.len(), 1);
    assert_eq!(outcome.mfa.steps[0].factor, Some(serde_json::json!({ "type": "otp" })));
}

#[test]
fn an_mfa_step_that_cannot_happen_fails_the_login_before_later_actions() {
    let flow = actions(&[
        ("challenge", "exports.onExecutePostLogin = async (event, api) => {\n  api.authentication.challengeWith({ type: 'otp' });\n};"),
        ("later", "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://x.example/later', 1);\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    assert_eq!(outcome.status, Status::Failed);
    let error = outcome.error.as_ref().expect("error");
    assert_eq!((error.kind, error.action.as_deref()), (ErrorKind::Authentication, Some("challenge")));
    assert!(error.message.contains("otp: not enrolled by the user"), "{}", error.message);
    assert_eq!(outcome.actions[0].status, ActionStatus::Completed);
    assert_eq!(outcome.actions[1].status, ActionStatus::Skipped);
    assert!(outcome.id_token.claims.is_empty());
}

#[test]
fn an_enrolled_factor_is_seen_by_later_actions_and_satisfies_a_later_challenge() {
    let flow = actions(&[
        ("enroll", "exports.onExecutePostLogin = async (event, api) => {\n  api.authentication.enrollWith({ type: 'otp' });\n};"),
        ("again", "exports.onExecutePostLogin = async (event, api) => {\n  console.log(event.user.enrolledFactors.map((f) => f.type).join(','));\n  api.authentication.challengeWith({ type: 'otp' });\n};"),
        ("check", "exports.onExecutePostLogin = async (event, api) => {\n  console.log(event.authentication.methods.filter((m) => m.name === 'mfa').map((m) => m.type).join(','));\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &enrolled_fixture(&[], "{}")).expect("run");
    assert_eq!(outcome.error, None);
    let logs: Vec<&str> = outcome.logs.iter().map(|l| l.message.as_str()).collect();
    // The challenge is already satisfied by the enrollment: no second step.
    assert_eq!(logs, ["otp", "otp"]);
    assert_eq!(outcome.mfa.steps[1].factor, None);
}

#[test]
fn set_primary_user_discards_only_that_actions_user_metadata() {
    let flow = actions(&[
        ("before", "exports.onExecutePostLogin = async (event, api) => {\n  api.user.setUserMetadata('kept', 1);\n};"),
        ("link", "exports.onExecutePostLogin = async (event, api) => {\n  api.user.setUserMetadata('dropped', 1);\n  api.user.setAppMetadata('linked', true);\n  api.authentication.setPrimaryUser('auth0|primary');\n};"),
        ("after", "exports.onExecutePostLogin = async (event, api) => {\n  console.log(Object.keys(event.user.user_metadata).join(','), event.user.app_metadata.linked);\n};"),
    ]);
    let fixture = enrolled_fixture(&[], r#"{"linked_accounts": {"auth0|primary": ["auth0|1"]}}"#);
    let outcome = Harness::new().run_flow(&flow, &fixture).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.logs[0].message, "kept true");
    assert_eq!(outcome.user.user_metadata.keys().collect::<Vec<_>>(), ["kept"]);
    assert_eq!(outcome.user.app_metadata["linked"], true);
    let dropped = outcome.calls.iter().find(|c| c.args.first() == Some(&"dropped".into())).expect("call");
    assert!(dropped.discarded);
}

#[test]
fn set_primary_user_needs_the_identity_linked_to_the_primary_user() {
    let flow = actions(&[(
        "link",
        "exports.onExecutePostLogin = async (event, api) => {\n  api.authentication.setPrimaryUser('auth0|primary');\n};",
    )]);
    let linked = enrolled_fixture(&[], r#"{"linked_accounts": {"auth0|primary": ["auth0|1"]}}"#);
    assert_eq!(Harness::new().run_flow(&flow, &linked).expect("run").status, Status::Completed);
    let elsewhere = enrolled_fixture(&[], r#"{"linked_accounts": {"auth0|other": ["auth0|1"]}}"#);
    let outcome = Harness::new().run_flow(&flow, &elsewhere).expect("run");
    assert_eq!(outcome.status, Status::Failed);
    assert!(outcome.error.expect("error").message.contains("is not a secondary identity of `auth0|primary`"));
    let undeclared = Harness::new().run_flow(&flow, &fixture()).expect("run");
    assert_eq!(undeclared.status, Status::Failed);
    assert!(undeclared.error.expect("error").message.contains("does not declare the tenant's linked accounts"));
}

#[test]
fn transaction_metadata_flows_to_later_actions() {
    let flow = actions(&[
        ("set", "exports.onExecutePostLogin = async (event, api) => {\n  api.transaction.setMetadata('risk', 'high');\n};"),
        ("read", "exports.onExecutePostLogin = async (event, api) => {\n  if (event.transaction.metadata.risk === 'high') api.access.deny('risky');\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    assert_eq!(outcome.status, Status::Denied);
    assert_eq!(outcome.transaction_metadata["risk"], "high");
}

#[test]
fn cache_is_shared_across_actions_of_one_execution() {
    let flow = actions(&[
        ("writer", "exports.onExecutePostLogin = async (event, api) => {\n  api.cache.set('k', 'v1');\n};"),
        ("reader", "exports.onExecutePostLogin = async (event, api) => {\n  console.log(JSON.stringify(api.cache.get('k')));\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    assert_eq!(outcome.logs[0].message, r#"{"value":"v1","expires_at":1735690500000}"#);
}

#[test]
fn resumed_redirect_without_continue_handler_fails_with_the_signature_message() {
    let flow = actions(&[(
        "redirect",
        "exports.onExecutePostLogin = async (event, api) => {\n  api.redirect.sendUserTo('https://example.com/x');\n};",
    )]);
    let fixture =
        Fixture::parse(&format!(r#"{{"event": {EVENT}, "resume": {{"query": {{"a": "1"}}}}}}"#)).expect("fixture");
    let outcome = Harness::new().run_flow(&flow, &fixture).expect("run");
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.actions[0].entries, ["onExecutePostLogin", "onContinuePostLogin"]);
    let error = outcome.error.expect("error");
    assert_eq!(error.kind, ErrorKind::Signature);
    assert!(
        error.message.starts_with("Invalid function signature for the \"onContinuePostLogin\" handler."),
        "{}",
        error.message
    );
}

#[test]
fn empty_flow_is_a_harness_error() {
    assert!(matches!(Harness::new().run_flow(&[], &fixture()), Err(harness::RunError::EmptyFlow)));
}

#[test]
fn a_redirect_splits_the_time_budget_into_two_trigger_executions() {
    // 15 s before the redirect and 15 s after it: each trigger execution is within its own 20 s
    // budget, although together they exceed one; 25 s after it exceeds the second budget.
    let source = |after_ms: u64| {
        format!(
            "const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
             exports.onExecutePostLogin = async (event, api) => {{\n  await sleep(15000);\n  api.redirect.sendUserTo('https://app.example.com/step');\n}};\n\
             exports.onContinuePostLogin = async (event, api) => {{\n  await sleep({after_ms});\n  api.idToken.setCustomClaim('https://x.example/resumed', true);\n}};"
        )
    };
    let fixture = Fixture::parse(&format!(r#"{{"event": {EVENT}, "resume": {{"query": {{}}}}}}"#)).expect("fixture");
    let within = Harness::new().run(&Action::from_source("slow", source(15_000)), &fixture).expect("run");
    assert_eq!(within.error, None);
    assert_eq!(within.status, Status::Completed);
    assert_eq!(within.id_token.claims["https://x.example/resumed"], true);
    assert_eq!(within.stats.virtual_time_ms, 30_000);
    let beyond = Harness::new().run(&Action::from_source("slow", source(25_000)), &fixture).expect("run");
    assert_eq!(beyond.error.expect("timeout").kind, ErrorKind::Timeout);
}

#[test]
fn metadata_set_before_a_redirect_is_persisted_for_the_continuation() {
    let flow = actions(&[(
        "consent",
        "exports.onExecutePostLogin = async (event, api) => {\n  api.user.setAppMetadata('step', 'redirected');\n  console.log('before', event.user.app_metadata.step);\n  api.redirect.sendUserTo('https://app.example.com/consent');\n};\n\
         exports.onContinuePostLogin = async (event, api) => {\n  console.log('after', event.user.app_metadata.step);\n};",
    )]);
    let fixture = Fixture::parse(&format!(r#"{{"event": {EVENT}, "resume": {{"query": {{}}}}}}"#)).expect("fixture");
    let outcome = Harness::new().run_flow(&flow, &fixture).expect("run");
    let logs: Vec<&str> = outcome.logs.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(logs, ["before undefined", "after redirected"]);
    assert_eq!(outcome.status, Status::Completed);
}

#[test]
fn each_action_has_its_own_persisted_log_and_silent_ones_none() {
    let flow = actions(&[
        ("chatty", "exports.onExecutePostLogin = async () => {\n  console.log('a'.repeat(200));\n  console.warn('b'.repeat(100));\n};"),
        ("silent", "exports.onExecutePostLogin = async () => {};"),
        ("short", "exports.onExecutePostLogin = async () => {\n  console.log('one');\n  console.error('two');\n};"),
    ]);
    let outcome = Harness::new().run_flow(&flow, &fixture()).expect("run");
    let persisted: Vec<Option<&str>> = outcome.actions.iter().map(|a| a.persisted_log.as_deref()).collect();
    let chatty = format!("{}\n{}", "a".repeat(200), "b".repeat(55));
    assert_eq!(persisted, [Some(chatty.as_str()), None, Some("one\ntwo")]);
    // The full output stays in `logs`, and a silent Action's summary has no key at all.
    assert_eq!(outcome.logs[1].message.len(), 100);
    assert!(outcome.to_json()["actions"][1].get("persisted_log").is_none());
}

#[test]
fn a_second_set_primary_user_in_the_same_transaction_is_rejected_even_from_another_action() {
    // Auth0's hasSetPrimaryUser() is per transaction, not per Action.
    let first = Action::from_source(
        "link",
        "exports.onExecutePostLogin = async (event, api) => { api.authentication.setPrimaryUser('auth0|primary'); };",
    );
    let second = Action::from_source(
        "relink",
        "exports.onExecutePostLogin = async (event, api) => {\n\
           try { api.authentication.setPrimaryUser('auth0|other'); } catch (e) { api.idToken.setCustomClaim('https://x.example/e', e.message); }\n\
         };",
    );
    let fixture = Fixture::parse(
        r#"{"event": {"user": {"user_id": "auth0|secondary"}}, "tenant": {"linked_accounts": {"auth0|primary": ["auth0|secondary"]}}}"#,
    )
    .expect("fixture");
    let outcome = Harness::new().run_flow(&[first, second], &fixture).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.primary_user.as_deref(), Some("auth0|primary"));
    assert_eq!(
        outcome.id_token.claims["https://x.example/e"],
        "The primary user can only be altered once per transaction"
    );
}
