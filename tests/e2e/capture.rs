//! Recorded logins: an Action built with `--capture` logs, under real Node 22, what its policy
//! sees (no secret, no personal value unmasked: checked with marker values); `fixtures import`
//! turns the lines into fixtures that decide exactly as the logins did.

use std::path::Path;

use crate::util::{actionkit, node22, root};

/// The Action run by real Node 22 with the recording `api` (tests/node/recorder.js): its Outcome,
/// logs included.
fn node_outcome(action: &Path, fixture: &Path) -> serde_json::Value {
    let output = std::process::Command::new(node22())
        .arg(root().join("tests/node/recorder.js"))
        .env("ACTIONKIT_AUTH0_FACTS", auth0_platform::runtime_facts_json())
        .arg(action)
        .arg(fixture)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const POLICY: &str = r#"version = 1

[api]
identifier = "urn:auth0:express-configure"

[attributes]
"user.app_metadata.is_admin" = "dyn?"
"user.app_metadata.tier" = "string?"

[[rule]]
id = "corp-admins"
when = 'has(user.app_metadata.is_admin) && user.app_metadata.is_admin == true && has(user.email) && user.email.emailDomain() == "corp.example"'
grant = ["express_configure:sso"]

[[rule]]
id = "known-people"
when = 'has(user.name) && user.name != "" && user.user_id != "" && request.ip != "" && has(secrets.MARKER_SECRET) && secrets.MARKER_SECRET != "" && has(user.app_metadata.tier) && user.app_metadata.tier == "gold"'
grant = ["express_configure:scim"]
"#;

fn project(dir: &Path) {
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(dir.join("actionkit.toml"), "[action]\nname = \"capturing\"\n").unwrap();
    std::fs::write(dir.join("policy.toml"), POLICY).unwrap();
}

/// A login with marker values everywhere a person or a secret could leak.
fn login(i: usize, admin: bool, tier: &str) -> serde_json::Value {
    let sample: serde_json::Value = serde_json::from_str(auth0_platform::event::SAMPLE_EVENT_JSON).unwrap();
    let mut event = sample;
    event["user"]["email"] = format!("markeremail{i}@corp.example").into();
    event["user"]["name"] = format!("MARKERNAME{i}").into();
    event["user"]["user_id"] = format!("auth0|MARKERID{i}").into();
    event["request"]["ip"] = format!("203.0.113.{i}").into();
    event["secrets"] = serde_json::json!({ "MARKER_SECRET": "MARKERSECRETVALUE" });
    event["user"]["app_metadata"] = serde_json::json!({ "is_admin": admin, "tier": tier });
    serde_json::json!({ "event": event })
}

#[test]
fn captured_logins_are_masked_and_import_into_fixtures_that_decide_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(&dir);
    let dist = tmp.path().join("dist");
    let out = actionkit().arg("build").arg(&dir).arg("--capture").arg("-o").arg(&dist).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("logs what the policy sees"), "{}", text(&out.stderr));
    let action = dist.join("capturing.js");

    // Real Node 22 runs the capturing Action on six logins (two of them the same as the policy
    // sees them: same person, same attributes).
    let logins = [
        (1, true, "gold"),
        (2, true, "silver"),
        (3, false, "gold"),
        (4, false, "none"),
        (1, true, "gold"),
        (5, true, "gold"),
    ];
    let mut log_lines = Vec::new();
    let mut decisions = Vec::new();
    for (n, (i, admin, tier)) in logins.iter().enumerate() {
        let file = tmp.path().join(format!("login-{n}.json"));
        std::fs::write(&file, login(*i, *admin, tier).to_string()).unwrap();
        let outcome = node_outcome(&action, &file);
        let logs: Vec<String> =
            outcome["logs"].as_array().unwrap().iter().map(|l| l["message"].as_str().unwrap().to_string()).collect();
        let captured: Vec<&String> = logs.iter().filter(|l| l.starts_with("actionkit-capture ")).collect();
        assert_eq!(captured.len(), 1, "one capture line per login: {logs:?}");
        let line = captured[0];
        for marker in ["MARKERSECRETVALUE", "MARKER_SECRET", "markeremail", "MARKERNAME", "MARKERID", "203.0.113."] {
            assert!(!line.contains(marker), "`{marker}` leaked into the capture line: {line}");
        }
        assert!(line.contains("@corp.example"), "an email keeps its domain: {line}");
        // As a log stream exports it: one JSON object per line, the console output inside.
        log_lines.push(
            serde_json::json!({ "type": "log", "data": { "details": { "stdout": format!("{line}\n") } } }).to_string(),
        );
        decisions.push(crate::util::api_calls(&outcome));
    }
    let export = tmp.path().join("logs.jsonl");
    std::fs::write(&export, log_lines.join("\n")).unwrap();

    let captured_dir = tmp.path().join("captured");
    let out = actionkit()
        .args(["fixtures", "import"])
        .arg(&export)
        .arg("--project")
        .arg(&dir)
        .arg("--out-dir")
        .arg(&captured_dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["captured"], 6, "{summary}");
    assert_eq!(summary["distinct"], 5, "the repeated login is one fixture: {summary}");

    // Each imported fixture decides as its login did in Node 22. Secrets are not captured, so
    // the `known-people` rule (it reads one) cannot hold on an imported fixture: the scim grant
    // is the one difference, and it is the documented one.
    let mut imported: Vec<serde_json::Value> = Vec::new();
    for entry in std::fs::read_dir(&captured_dir).unwrap() {
        let path = entry.unwrap().path();
        let out =
            actionkit().arg("explain").arg(&dir).arg("--event").arg(&path).args(["--format", "json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        imported.push(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["decisions"].clone());
        let fixture = std::fs::read_to_string(&path).unwrap();
        for marker in ["MARKERSECRETVALUE", "markeremail", "MARKERNAME", "MARKERID", "203.0.113."] {
            assert!(!fixture.contains(marker), "`{marker}` in {}", path.display());
        }
    }
    let granted_sso = |calls: &serde_json::Value| calls.to_string().contains("express_configure:sso");
    let node_sso = decisions.iter().filter(|d| granted_sso(d)).count();
    let imported_sso = imported.iter().filter(|d| d.to_string().contains("express_configure:sso")).count();
    // Logins 1 (twice), 2 and 5 are corp admins: 4 logins, 3 distinct.
    assert_eq!((node_sso, imported_sso), (4, 3));

    // A complete fixture from a captured login decides as the capture does.
    let first = std::fs::read_dir(&captured_dir).unwrap().next().unwrap().unwrap().path();
    let out = actionkit()
        .args(["fixtures", "new", "from-capture", "--project"])
        .arg(&dir)
        .arg("--from")
        .arg(&first)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explain = |event: &Path| {
        let out =
            actionkit().arg("explain").arg(&dir).arg("--event").arg(event).args(["--format", "json"]).output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["decisions"].clone()
    };
    assert_eq!(explain(&dir.join("fixtures/from-capture.json")), explain(&first));
}

#[test]
fn the_normal_build_has_no_capture_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(&dir);
    let dist = tmp.path().join("dist");
    let out = actionkit().arg("build").arg(&dir).arg("-o").arg(&dist).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let code = std::fs::read_to_string(dist.join("capturing.js")).unwrap();
    assert!(!code.contains("actionkit-capture") && !code.contains("captureMask"));
}
