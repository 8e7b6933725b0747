//! `actionkit test`: the bundled examples pass against their committed snapshots, and a changed
//! outcome, a new fixture or a malformed one fail with a clear report.

use std::path::Path;

use crate::util::{actionkit, copy_dir, corpus_node_modules, root};

fn test_in(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let output = actionkit().arg("test").arg(dir).args(extra).env_remove("CI").output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bundled_examples_pass_with_committed_snapshots() {
    for example in ["express-configure", "okta-express-configure"] {
        let tmp = tempfile::tempdir().unwrap();
        let junit = tmp.path().join("junit.xml");
        let (code, stdout, stderr) =
            test_in(&root().join("examples").join(example), &["--junit", junit.to_str().unwrap()]);
        assert_eq!(code, 0, "{example}:\n{stderr}");
        let fixtures = std::fs::read_dir(root().join("examples").join(example).join("fixtures"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"))
            .count();
        assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
        let passed: usize = stdout.trim().split(' ').next().unwrap().parse().unwrap();
        assert!(passed > fixtures, "{example}: inline tests and {fixtures} fixtures expected, {passed} passed");
        let xml = std::fs::read_to_string(&junit).unwrap();
        assert!(xml.contains(&format!("tests=\"{passed}\" failures=\"0\"")), "{xml}");
    }
}

#[test]
fn a_changed_outcome_fails_with_a_diff_and_update_accepts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    copy_dir(&root().join("examples/express-configure"), &project);
    let policy = project.join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("deny_message = \"Access denied\"", "deny_message = \"Nope\"")).unwrap();

    let (code, stdout, stderr) = test_in(&project, &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("the outcome changed:"), "{stderr}");
    assert!(
        stderr.contains("-    \"reason\": \"Access denied\"") && stderr.contains("+    \"reason\": \"Nope\""),
        "{stderr}"
    );
    assert!(project.join("fixtures/snapshots/non-admin.snap.new").is_file());
    assert!(stdout.contains(" failed") && !stdout.contains(" 0 failed"), "{stdout}");

    // The inline test still expects the old message: accept the snapshots, fix the test, pass.
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("reason = \"Access denied\"", "reason = \"Nope\"")).unwrap();
    let (code, _, stderr) = test_in(&project, &["--update"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!project.join("fixtures/snapshots/non-admin.snap.new").exists());
    let (code, _, stderr) = test_in(&project, &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn new_and_malformed_fixtures_fail_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    copy_dir(&root().join("examples/okta-express-configure"), &project);
    std::fs::write(project.join("fixtures/zz-broken.json"), "{\n  \"user\": {\n    \"user_id\": 1,,\n}").unwrap();
    let admin = std::fs::read_to_string(project.join("fixtures/express-configure-request.json")).unwrap();
    std::fs::write(project.join("fixtures/zz-new.json"), admin).unwrap();

    let (code, stdout, stderr) = test_in(&project, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("zz-broken.json") && stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("no snapshot yet"), "{stderr}");
    // The malformed fixture fails; the one without a snapshot is new, not failed.
    assert!(stdout.trim_end().ends_with("1 failed, 1 new"), "{stdout}");
    assert!(stderr.contains("NEW zz-new.json"), "{stderr}");
}

#[test]
fn fixtures_run_in_parallel_report_like_a_serial_run() {
    // The table keeps the fixtures' order whatever finishes first; only the timings differ.
    let without_timings = |text: &str| -> Vec<String> {
        text.lines()
            .map(|line| line.split("  ").filter(|part| !part.ends_with(" ms")).collect::<Vec<_>>().join("  "))
            .collect()
    };
    let example = root().join("examples/express-configure");
    let (serial_code, serial_out, serial_err) = test_in(&example, &["-j", "1", "--color", "never"]);
    let (parallel_code, parallel_out, parallel_err) = test_in(&example, &["-j", "3", "--color", "never"]);
    assert_eq!((serial_code, parallel_code), (0, 0), "{serial_err}\n{parallel_err}");
    assert_eq!(serial_out, parallel_out);
    assert_eq!(without_timings(&serial_err), without_timings(&parallel_err));
    assert!(serial_err.contains("admin.json"), "{serial_err}");
}

/// A hand-written Action bound before the generated one, with an npm dependency.
const SESSION_ACTION: &str = "// Bound before Express Configuration: the session lifetime, from configuration.
const ms = require('ms');

exports.onExecutePostLogin = async (event, api) => {
  const lifetime = ms(event.secrets.SESSION_LIFETIME || '12h');
  api.idToken.setCustomClaim('https://example.com/session_lifetime_s', lifetime / 1000);
  console.log('session lifetime', ms(lifetime, { long: true }));
};
";

#[test]
fn a_flow_with_a_hand_written_action_and_its_npm_dependency_snapshots_like_any_other() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    copy_dir(&root().join("examples/express-configure"), &project);
    std::fs::remove_dir_all(project.join("fixtures/snapshots")).unwrap();
    std::fs::create_dir_all(project.join("actions")).unwrap();
    std::fs::write(project.join("actions/session.js"), SESSION_ACTION).unwrap();
    // `npm install --save-exact ms@2.1.3`, from the packages scripts/setup.sh installed.
    copy_dir(&corpus_node_modules().join("ms"), &project.join("node_modules/ms"));
    let manifest = project.join("actionkit.toml");
    let base = std::fs::read_to_string(&manifest).unwrap();
    let with_flow = |dependencies: &str| {
        format!("{base}\n[[flow]]\npath = \"actions/session.js\"\n{dependencies}\n\n[[flow]]\ngenerated = true\n")
    };
    std::fs::write(&manifest, with_flow("dependencies = { \"ms\" = \"2.1.3\" }")).unwrap();

    let (code, _, stderr) = test_in(&project, &["--update"]);
    assert_eq!(code, 0, "{stderr}");
    let snapshot = std::fs::read_to_string(project.join("fixtures/snapshots/admin.snap")).unwrap();
    for expected in [
        "\"https://example.com/session_lifetime_s\": 43200",
        "\"message\": \"session lifetime 12 hours\"",
        "\"name\": \"session\"",
        "\"name\": \"express-configure\"",
    ] {
        assert!(snapshot.contains(expected), "`{expected}` missing from\n{snapshot}");
    }
    let (code, stdout, stderr) = test_in(&project, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    // `actionkit run` of the file alone finds the package as Node would: in node_modules above it.
    let run = actionkit()
        .args(["run", "actions/session.js", "--event", "fixtures/admin.json", "--format", "json"])
        .current_dir(&project)
        .output()
        .unwrap();
    let outcome: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(outcome["id_token"]["claims"]["https://example.com/session_lifetime_s"], 43200, "{outcome}");

    // Installed is not what is declared: nothing runs, and the error says what to install.
    std::fs::write(&manifest, with_flow("dependencies = { \"ms\" = \"2.1.2\" }")).unwrap();
    let (code, _, stderr) = test_in(&project, &[]);
    assert_eq!(code, 2, "{stderr}");
    // The diagnostic as one line (miette wraps it to the terminal's width).
    let error = stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(
        error.contains("`actions/session.js` cannot run as in Auth0: dependency `ms` is declared as `2.1.2`"),
        "{error}"
    );
    assert!(error.contains("npm install --save-exact ms@2.1.2"), "{error}");

    // Not declared: Auth0 would not install it, so the Action cannot load, whatever node_modules holds.
    std::fs::write(&manifest, with_flow("")).unwrap();
    let (code, _, stderr) = test_in(&project, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("Cannot find module 'ms'"), "{stderr}");
}
