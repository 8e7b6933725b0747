//! One convention for every command: the project argument and its default, `--format json`
//! (one JSON document on stdout, nothing else), `--error-format json` (only JSON lines on
//! stderr), the exit codes (0 ok, 1 findings, 2 input, 3 tenant) and the miette error path.

use std::path::Path;
use std::process::Output;

use crate::util::{actionkit, copy_dir, root};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    actionkit().current_dir(dir).args(args).env_remove("CI").env_remove("AUTH0_DOMAIN").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of an example project in a temporary directory.
fn example(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    copy_dir(&root().join("examples").join(name), &project);
    (tmp, project)
}

#[test]
fn a_directory_without_a_manifest_is_an_input_error_for_every_project_command() {
    let empty = tempfile::tempdir().unwrap();
    for command in [
        &["check"][..],
        &["explain", ".", "--event", "e.json"],
        &["test"],
        &["build"],
        &["deploy", "--plan"],
        &["doctor"],
    ] {
        // `.` is the default project of every one of them.
        let out = run_in(empty.path(), command);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("actionkit.toml") || stderr.contains("policy.toml"), "{command:?}: {stderr}");
        assert!(!stderr.contains("Caused by:"), "{command:?}: one error style, miette's: {stderr}");
        assert!(out.stdout.is_empty(), "{command:?}");
    }
}

#[test]
fn a_malformed_manifest_is_reported_with_its_span_by_every_command() {
    let (_tmp, project) = example("express-configure");
    let manifest = project.join("actionkit.toml");
    let text_before = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text_before.replacen("[action]", "[action]\nnmae = \"typo\"", 1)).unwrap();
    for command in [&["check"][..], &["test"], &["build"], &["deploy", "--plan"], &["doctor"]] {
        let out = run_in(&project, &[command, &["--error-format", "json"]].concat());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        let first: serde_json::Value = serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "manifest::invalid", "{command:?}: {stderr}");
        let offset = first["labels"][0]["span"]["offset"].as_u64().unwrap() as usize;
        assert!(std::fs::read_to_string(&manifest).unwrap()[offset..].starts_with("nmae"), "{command:?}");
    }
}

#[test]
fn format_json_prints_one_json_document_on_stdout_for_every_command() {
    let (_tmp, project) = example("express-configure");
    let event = project.join("fixtures/admin.json");
    let action_dir = tempfile::tempdir().unwrap();
    let built = run_in(&project, &["build", ".", "-o", action_dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let build: serde_json::Value = serde_json::from_slice(&built.stdout).unwrap();
    let action = build["action"].as_str().unwrap().to_string();
    assert!(build["bytes"].as_u64().unwrap() > 10_000);
    let cases: [(&[&str], &str); 5] = [
        (&["check"], "tests"),
        (&["explain", "--event", event.to_str().unwrap()], "decisions"),
        (&["test"], "tests"),
        (&["run", &action, "--event", event.to_str().unwrap()], "status"),
        (&["init", "fresh"], "files"),
    ];
    for (command, key) in cases {
        let out = run_in(&project, &[command, &["--format", "json"]].concat());
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{command:?}: stdout is not one JSON document ({e}): {}", text(&out.stdout)));
        assert!(json.get(key).is_some(), "{command:?}: no `{key}` in {json}");
    }
}

#[test]
fn error_format_json_makes_stderr_json_lines_end_to_end() {
    let (_tmp, project) = example("okta-express-configure");
    std::fs::write(project.join("fixtures/zz-broken.json"), "{ \"user\": ,, }").unwrap();
    let admin = std::fs::read_to_string(project.join("fixtures/express-configure-request.json")).unwrap();
    std::fs::write(project.join("fixtures/zz-new.json"), admin).unwrap();
    for command in [&["test"][..], &["build"], &["check", "--test", "nope"]] {
        let out = run_in(&project, &[command, &["--error-format", "json"]].concat());
        assert_ne!(out.status.code(), Some(0), "{command:?}");
        let stderr = text(&out.stderr);
        assert!(!stderr.trim().is_empty(), "{command:?}");
        for line in stderr.lines() {
            let json: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{command:?}: not JSON ({e}): {line}"));
            assert!(json["severity"].is_string(), "{command:?}: {line}");
        }
    }
}

#[test]
fn a_typo_in_the_fixtures_path_is_an_error_not_a_pass() {
    let (_tmp, project) = example("express-configure");
    let manifest = project.join("actionkit.toml");
    let text_before = std::fs::read_to_string(&manifest).unwrap();
    assert!(text_before.contains("fixtures = \"fixtures\""));
    std::fs::write(&manifest, text_before.replacen("fixtures = \"fixtures\"", "fixtures = \"fixturez\"", 1)).unwrap();
    let out = run_in(&project, &["test", "--error-format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let diagnostic: serde_json::Value = stderr
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|d| d.get("code").is_some())
        .unwrap();
    assert_eq!(diagnostic["code"], "manifest::fixtures-missing");
    let offset = diagnostic["labels"][0]["span"]["offset"].as_u64().unwrap() as usize;
    assert!(std::fs::read_to_string(&manifest).unwrap()[offset..].starts_with("\"fixturez\""));
    assert!(!text(&out.stdout).contains("passed"));
}

#[test]
fn orphaned_snapshots_are_reported_and_removed_by_update() {
    let (_tmp, project) = example("express-configure");
    std::fs::rename(project.join("fixtures/admin.json"), project.join("fixtures/admin-renamed.json")).unwrap();
    let out = run_in(&project, &["test", "--color", "never"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // The renamed fixture is new (and fails); its old snapshot is orphaned.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.trim_end().ends_with("1 new, 1 orphaned"), "{stdout}");
    assert!(stderr.contains("orphaned snapshot: admin.json"), "{stderr}");
    let out = run_in(&project, &["test", "--update"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!project.join("fixtures/snapshots/admin.snap").exists());
    assert!(project.join("fixtures/snapshots/admin-renamed.snap").exists());
    let out = run_in(&project, &["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("orphaned"));
}

#[test]
fn review_accepts_and_rejects_snapshots_one_by_one_without_cargo() {
    use std::io::Write as _;
    let (_tmp, project) = example("express-configure");
    let policy = project.join("policy.toml");
    let text_before = std::fs::read_to_string(&policy).unwrap();
    // Changes two fixtures' outcomes (the denial reason); accept the first, reject the second.
    std::fs::write(&policy, text_before.replace("deny_message = \"Access denied\"", "deny_message = \"Nope\""))
        .unwrap();
    let before: Vec<(String, String)> = std::fs::read_dir(project.join("fixtures/snapshots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let mut child = actionkit()
        .current_dir(&project)
        .args(["test", "--review", "--color", "never", "-j", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a\nr\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    let accepted = stderr.lines().filter(|l| l.contains("Accepted")).count();
    let rejected = stderr.lines().filter(|l| l.contains("Rejected")).count();
    assert_eq!((accepted, rejected), (1, 1), "{stderr}");
    let changed = before.iter().filter(|(path, text)| std::fs::read_to_string(path).unwrap() != *text).count();
    assert_eq!(changed, 1, "exactly the accepted snapshot changed: {stderr}");
    let pending = std::fs::read_dir(project.join("fixtures/snapshots"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().to_string_lossy().ends_with(".snap.new"))
        .count();
    assert_eq!(pending, 0, "the rejected one's pending file is gone: {stderr}");
}

#[test]
fn status_columns_line_up_with_colours_forced() {
    let (_tmp, project) = example("express-configure");
    std::fs::write(project.join("fixtures/zz-broken.json"), "{ \"user\": ,, }").unwrap();
    let out = actionkit()
        .current_dir(&project)
        .arg("test")
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(stderr.contains("\u{1b}["), "CLICOLOR_FORCE colours a pipe: {stderr}");
    let plain = strip_ansi(&stderr);
    // Every result line has its name in the same column, passed (`ok`) or not (`ERROR`).
    let starts: Vec<usize> = plain
        .lines()
        .filter(|l| l.trim_start().starts_with("ok ") || l.trim_start().starts_with("ERROR "))
        .map(|l| l.len() - l.trim_start().len() + l.trim_start().find(' ').unwrap() + 1)
        .collect();
    assert!(starts.len() >= 2 && starts.windows(2).all(|w| w[0] == w[1]), "{plain}");

    let out = actionkit()
        .current_dir(&project)
        .arg("test")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CI")
        .output()
        .unwrap();
    assert!(!text(&out.stderr).contains("\u{1b}["), "NO_COLOR: {}", text(&out.stderr));
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn completions_and_man_pages_come_from_the_same_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run_in(tmp.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains("actionkit") && script.contains("error-format"), "{shell}");
    }
    let out = run_in(tmp.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH actionkit"), "{page}");
    let out = run_in(tmp.path(), &["man", "--out-dir", "man"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(tmp.path().join("man/actionkit.1").is_file());
    assert!(tmp.path().join("man/actionkit-test.1").is_file());
}

#[test]
fn help_documents_exit_codes_and_the_tenant_variables() {
    let out = run(&["--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("Exit codes") && help.contains("3  tenant or network error"), "{help}");
    let out = run(&["deploy", "--help"]);
    let help = text(&out.stdout);
    for variable in ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_ACCESS_TOKEN"] {
        assert!(help.contains(variable), "{variable}: {help}");
    }
    // Global options are listed apart from the command's own.
    assert!(help.contains("Global options:"), "{help}");
}

fn run(args: &[&str]) -> Output {
    actionkit().args(args).output().unwrap()
}

#[test]
fn a_generated_fixture_is_complete_and_runs_on_both_examples() {
    let okta: &[&str] = &[
        "--set",
        "client.metadata.express_configure_sp_client_id=svc_123",
        "--set",
        "secrets.TENANT_DOMAIN=https://acme.us.auth0.com",
        "--set",
        "secrets.SERVICE_INIT_LOGIN_URL=https://app.acme.com/login",
    ];
    for (name, audience, extra) in [
        ("express-configure", "urn:auth0:express-configure", &["--set", "user.app_metadata.is_admin=true"][..]),
        ("okta-express-configure", "https://system.okta.com/actions/express-configure/v1", okta),
    ] {
        let example_name = name;
        let (_tmp, project) = example(example_name);
        let example = example_name;
        let new = [&["fixtures", "new", "generated", "--org", "acme", "--audience", audience][..], extra].concat();
        let out = run_in(&project, &new);
        assert_eq!(out.status.code(), Some(0), "{example}: {}", text(&out.stderr));
        let fixture = project.join("fixtures/generated.json");
        let event: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
        for path in auth0_platform::event::ALWAYS_SENT {
            let found = path.split('.').try_fold(&event, |value, part| value.get(part));
            assert!(found.is_some(), "{example}: the generated event lacks `{path}`");
        }
        // Deterministic: the same arguments write the same bytes.
        let first = std::fs::read(&fixture).unwrap();
        let again = run_in(&project, &[&new[..], &["--force"]].concat());
        assert_eq!(again.status.code(), Some(0));
        assert_eq!(std::fs::read(&fixture).unwrap(), first, "{example}");
        let refused = run_in(&project, &["fixtures", "new", "generated"]);
        assert_eq!(refused.status.code(), Some(2), "an existing fixture is not replaced without --force");

        let dist = tempfile::tempdir().unwrap();
        let built = run_in(&project, &["build", "-o", dist.path().to_str().unwrap(), "--allow-failing-tests"]);
        assert_eq!(built.status.code(), Some(0), "{example}: {}", text(&built.stderr));
        let action = std::fs::read_dir(dist.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "js"))
            .unwrap();
        let ran = run_in(
            &project,
            &["run", action.to_str().unwrap(), "--event", fixture.to_str().unwrap(), "--format", "json"],
        );
        assert_eq!(ran.status.code(), Some(0), "{example}: {}", text(&ran.stderr));
        let outcome: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
        assert_eq!(outcome["status"], "completed", "{example}: {outcome}");
        let calls = outcome["calls"].as_array().map_or(0, Vec::len);
        assert!(calls > 0, "{example}: the Express Configure path ran: {outcome}");
        // `test` has nothing to warn about: the event is one Auth0 would send.
        let tested = run_in(&project, &["test"]);
        assert!(!text(&tested.stderr).contains("which Auth0 always sends"), "{example}: {}", text(&tested.stderr));
        assert!(text(&tested.stderr).contains("NEW generated.json"), "{example}: {}", text(&tested.stderr));
    }
}

#[test]
fn events_missing_what_auth0_always_sends_are_warned_about() {
    let (_tmp, project) = example("express-configure");
    let fixture = project.join("fixtures/admin.json");
    let mut event: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let user = if event.get("event").is_some() { &mut event["event"]["user"] } else { &mut event["user"] };
    user.as_object_mut().unwrap().remove("email_verified");
    std::fs::write(&fixture, serde_json::to_string_pretty(&event).unwrap()).unwrap();
    let out = run_in(&project, &["test"]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("admin.json: the event lacks `user.email_verified`, which Auth0 always sends"), "{stderr}");

    // An inline test whose event has a `user` without a field a rule reads.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("policy.toml"),
        "version = 1\n[api]\nidentifier = \"urn:x\"\n[[rule]]\nid = \"verified\"\nwhen = 'user.email_verified'\ngrant = [\"s\"]\n\
         [[test]]\nname = \"partial user\"\nevent = { resource_server = { identifier = \"urn:x\" }, user = { user_id = \"auth0|1\" } }\n\
         expect = [{ type = \"deny\", reason = \"Access denied\" }]\n",
    )
    .unwrap();
    let out = run_in(tmp.path(), &["check", "policy.toml"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("inline test `partial user`")
            && stderr.contains("the event lacks `user.email_verified`, which Auth0 always sends and the policy reads"),
        "{stderr}"
    );
}

#[test]
fn javascript_errors_point_at_the_line_and_column_node_22_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let event = tmp.path().join("e.json");
    std::fs::write(&event, r#"{"user": {"user_id": "auth0|1"}}"#).unwrap();
    let cases = [
        ("syntax", "exports.onExecutePostLogin = async (event, api) => {\n  const a = 1;\n  const b = ;\n};\n"),
        ("first_line", "exports.onExecutePostLogin = async (event, api) => { const x = ; };\n"),
        ("nested", "function check(e) {\n  return e.nothing.deeper;\n}\nexports.onExecutePostLogin = async (event, api) => {\n  check(event);\n};\n"),
        ("thrown", "exports.onExecutePostLogin = async (event, api) => {\n  const a = 1;\n  throw new Error('mine');\n};\n"),
    ];
    for (name, source) in cases {
        let action = tmp.path().join(format!("{name}.js"));
        std::fs::write(&action, source).unwrap();
        // Where Node 22 says it is: the `file:line` header of a syntax error, else the first
        // frame of the stack.
        let probe = format!(
            "try {{ const m = require({path:?}); m.onExecutePostLogin({{}}, {{}}).catch((e) => console.log(e.stack.split('\\n')[1])); }} catch (e) {{ console.log(e.stack.split('\\n')[0]); }}",
            path = action.to_str().unwrap()
        );
        let node = std::process::Command::new(crate::util::node22()).args(["-e", &probe]).output().unwrap();
        let node_text = text(&node.stdout);
        let position = node_text
            .trim()
            .trim_end_matches(')')
            .rsplit_once(&format!("{name}.js:"))
            .map(|(_, p)| p.to_string())
            .unwrap_or_else(|| panic!("{name}: {node_text}"));
        let out = run_in(tmp.path(), &["run", action.to_str().unwrap(), "--event", event.to_str().unwrap()]);
        let stdout = text(&out.stdout);
        if name == "syntax" || name == "first_line" {
            // Node's header names the line only (`file.js:3`); the caret gives the column.
            assert!(stdout.contains(&format!("at {name}:{position}:")), "{name}: Node {position}, harness {stdout}");
        } else {
            assert!(stdout.contains(&format!("at {name}:{position}")), "{name}: Node {position}, harness {stdout}");
        }
    }
}

#[test]
fn an_inline_test_failure_is_a_compact_diff_without_the_update_hint() {
    let (_tmp, project) = example("express-configure");
    let policy = project.join("policy.toml");
    let text_before = std::fs::read_to_string(&policy).unwrap();
    // The inline test expects the old reason; the fixtures' snapshots are updated to the new one.
    std::fs::write(&policy, text_before.replace("deny_message = \"Access denied\"", "deny_message = \"Nope\""))
        .unwrap();
    let out = run_in(&project, &["test", "--update"]);
    assert_eq!(out.status.code(), Some(1));
    let out = run_in(&project, &["test", "--color", "never"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let failure: Vec<&str> =
        stderr.lines().skip_while(|l| !l.contains("FAILED policy:")).take_while(|l| !l.contains(" ok ")).collect();
    assert!(!failure.is_empty() && failure.len() <= 20, "{} lines:\n{stderr}", failure.len());
    assert!(stderr.contains("\"Access denied\"") && stderr.contains("\"Nope\""), "{stderr}");
    assert!(
        !stderr.contains("--update") && !stderr.contains("--review"),
        "nothing to accept for an inline test: {stderr}"
    );
}
