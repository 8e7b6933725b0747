use std::io::Write;

use harness::{Action, Fixture, FixtureError, Harness, Limits, RunError};

#[test]
fn non_utf8_action_is_a_clear_error() {
    let mut file = tempfile_path("bad.js");
    file.1.write_all(b"exports.x = '\xff\xfe';").expect("write");
    let err = Action::from_file(&file.0).expect_err("not utf-8");
    assert!(matches!(err, RunError::NotUtf8 { offset: 13, .. }), "{err}");
}

#[test]
fn missing_files_are_clear_errors() {
    assert!(matches!(Action::from_file("/nonexistent/a.js"), Err(RunError::Read { .. })));
    assert!(matches!(Fixture::from_file("/nonexistent/e.json"), Err(FixtureError::Io { .. })));
}

#[test]
fn malformed_fixture_reports_position() {
    let err = Fixture::parse("{\n  \"user\": {\"user_id\": \"a\"\n}").expect_err("malformed");
    assert_eq!(err.to_string(), "malformed fixture JSON at line 3, column 1: EOF while parsing an object");
}

#[test]
fn oversized_source_is_rejected_before_running() {
    let source = format!(
        "// {}\nexports.onExecutePostLogin = async () => {{}};",
        "x".repeat(auth0_platform::action::MAX_SOURCE_BYTES)
    );
    let err = Harness::new()
        .run(&Action::from_source("big", source), &Fixture::parse("{}").expect("fixture"))
        .expect_err("too big");
    assert!(matches!(err, RunError::SourceTooLarge { .. }), "{err}");
}

#[test]
fn huge_event_runs() {
    let big: Vec<String> = (0..20_000).map(|i| format!("group-{i}")).collect();
    let event = serde_json::json!({"user": {"user_id": "u", "app_metadata": {"groups": big}}});
    let action = Action::from_source(
        "count",
        "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x.example/n', event.user.app_metadata.groups.length); };",
    );
    let outcome = Harness::new().run(&action, &Fixture::from_event(event).expect("fixture")).expect("run");
    assert_eq!(outcome.id_token.claims["https://x.example/n"], 20_000);
}

#[test]
fn configurable_time_budget_applies_to_virtual_time() {
    // Real time is scaled out of the way (virtual time is not scaled): the verdict is the timer's.
    let limits = Limits { time_budget: std::time::Duration::from_millis(100), ..crate::util::machine_independent() };
    let action = Action::from_source(
        "sleepy",
        "exports.onExecutePostLogin = async () => { await new Promise((r) => setTimeout(r, 150)); };",
    );
    let outcome = Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    let error = outcome.error.expect("timeout");
    assert_eq!(error.kind, harness::ErrorKind::Timeout);
    assert_eq!(error.message, "the execution exceeded the 100 ms time budget");
}

#[test]
fn catch_cannot_swallow_the_real_time_budget() {
    // Each iteration is cheap, so the loop limit is far away; the deadline checked by the
    // console native stops it.
    let limits = Limits { time_budget: std::time::Duration::from_millis(200), ..Limits::default() };
    let action = Action::from_source(
        "busy",
        "exports.onExecutePostLogin = async () => {\n  for (;;) {\n    try { console.log('tick'); } catch (e) {}\n  }\n};",
    );
    let outcome = Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    assert_eq!(outcome.error.expect("timeout").kind, harness::ErrorKind::Timeout);
}

/// A file in a fresh temporary directory (kept alive by the returned guard).
fn tempfile_path(name: &str) -> (std::path::PathBuf, std::fs::File, TempDir) {
    let dir = TempDir::new();
    let path = dir.0.join(name);
    let file = std::fs::File::create(&path).expect("create");
    (path, file, dir)
}

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let unique = format!("harness-it-{}-{:?}", std::process::id(), std::thread::current().id());
        let path = std::env::temp_dir().join(unique.replace(['(', ')'], ""));
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
