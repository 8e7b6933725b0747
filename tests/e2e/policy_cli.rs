//! `actionkit check` and `actionkit explain` as a user sees them (stderr/stdout snapshots).

use crate::util::{actionkit, root};

fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = actionkit().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_reports_every_problem_with_location_and_help() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("policy.toml"),
        r#"version = 1

[api]
identifier = "urn:auth0:express-configure"

[mfa]
challenge = ["email", "sms"]

[[rule]]
id = "admins"
when = 'user.app_metdata.is_admin == true'
grant = ["express_configure:sso"]

[[rule]]
id = "admins"
when = 'size(user.email) > "3"'
grant = ["bad scope"]
"#,
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(tmp.path(), &["check", "policy.toml"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_stderr", stderr);
    insta::assert_snapshot!("check_stdout", stdout);
}

#[test]
fn explain_shows_decisions_trace_and_what_determined_them() {
    let example = root().join("examples/express-configure");
    let (code, stdout, stderr) =
        run_in(&example, &["explain", ".", "--event", "fixtures/admin-public-email-domain.json"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("explain_stdout", stdout);

    let (code, stdout, _) =
        run_in(&example, &["explain", ".", "--event", "fixtures/non-admin.json", "--format", "json"]);
    assert_eq!(code, 0);
    let outcome: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(outcome["decisions"], serde_json::json!([{"type": "deny", "reason": "Access denied"}]));
}

#[test]
fn explain_points_at_malformed_events() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("event.json"), "{\n  \"user\": {\n    \"x\": tru\n  }\n}\n").unwrap();
    let policy = root().join("examples/express-configure/policy.toml");
    let (code, _, stderr) = run_in(tmp.path(), &["explain", policy.to_str().unwrap(), "--event", "event.json"]);
    assert_eq!(code, 2);
    // The same reader and words as `run` and `test` (serde_json notices `tru` at the line break).
    assert!(stderr.contains("malformed fixture JSON at line 4, column 1: expected ident"), "{stderr}");
}

#[test]
fn diagnostics_as_json_for_tools() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("policy.toml"),
        "version = 1\n[api]\nidentifier = \"urn:x\"\n[[rule]]\nid = \"a\"\nwhen = 'user.app_metdata.x == 1'\ngrant = [\"s\"]\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["check", "policy.toml", "--error-format", "json"]);
    assert_eq!(code, 1);
    // Every line of stderr is one JSON object: the diagnostics, then the count.
    let lines: Vec<serde_json::Value> =
        stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let diagnostics: Vec<&serde_json::Value> = lines.iter().filter(|l| l.get("code").is_some()).collect();
    assert_eq!(diagnostics.len(), 1, "{stderr}");
    assert_eq!(lines.last().unwrap()["message"], "policy.toml: 1 error", "{stderr}");
    assert_eq!(diagnostics[0]["code"], "policy::unknown-attribute");
    assert_eq!(diagnostics[0]["help"], "did you mean `user.app_metadata`?");
    let offset = diagnostics[0]["labels"][0]["span"]["offset"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(tmp.path().join("policy.toml")).unwrap();
    assert!(text[offset..].starts_with("user.app_metdata"));
}

#[test]
fn check_runs_one_inline_test_and_says_where_a_failing_one_is() {
    let tmp = tempfile::tempdir().unwrap();
    let mut policy = std::fs::read_to_string(root().join("examples/express-configure/policy.toml")).unwrap();
    policy.push_str(
        "\n[[test]]\nname = \"wrong on purpose\"\nevent = { resource_server = { identifier = \"https://other\" } }\n\
         expect = [{ type = \"deny\", reason = \"nope\" }]\n",
    );
    std::fs::write(tmp.path().join("policy.toml"), &policy).unwrap();
    let line = policy.lines().position(|l| l == "name = \"wrong on purpose\"").unwrap() + 1;

    let (code, stdout, stderr) = run_in(tmp.path(), &["check", "--test", "anyone else is denied"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 test passed"), "{stdout}");

    let (code, _, stderr) = run_in(tmp.path(), &["check", "--test", "wrong on purpose"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("test `wrong on purpose` failed (./policy.toml:{line}:8)")), "{stderr}");
    assert!(stderr.contains("decisions (- expected, + actual):"), "{stderr}");

    let (code, _, stderr) = run_in(tmp.path(), &["check", "--test", "no such test"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no inline test called `no such test`"), "{stderr}");
}
