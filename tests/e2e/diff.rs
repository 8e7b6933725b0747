//! `actionkit diff`: the logins a policy change affects, checked against deciding both versions
//! fixture by fixture with `explain`, on a directory and on a git revision.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{actionkit, copy_dir, root};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Logins in the style of recorded ones: the sample event with the attributes the rules read
/// varied (admin or not, factors enrolled, organization or not, another API).
fn write_logins(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let sample: serde_json::Value = serde_json::from_str(auth0_platform::event::SAMPLE_EVENT_JSON).unwrap();
    for i in 0..count {
        let mut event = sample.clone();
        event["user"]["user_id"] = format!("auth0|{i:04}").into();
        match i % 3 {
            0 => event["user"]["app_metadata"]["is_admin"] = true.into(),
            1 => event["user"]["app_metadata"]["is_admin"] = "true".into(),
            _ => {}
        }
        if i % 4 == 0 {
            event["user"]["enrolledFactors"] = serde_json::json!([{ "type": "webauthn-platform" }]);
        }
        if i % 5 == 0 {
            event.as_object_mut().unwrap().remove("organization");
        }
        if i % 7 == 0 {
            event["resource_server"]["identifier"] = "https://api.example.com".into();
        }
        event["organization"]["metadata"]["domains"] = serde_json::json!(format!("acme{i}.example"));
        std::fs::write(dir.join(format!("login-{i:04}.json")), serde_json::to_string_pretty(&event).unwrap()).unwrap();
    }
}

/// Version 2 of the example: WebAuthn-enrolled admins no longer get SCIM.
fn change_policy(project: &Path) {
    let policy = project.join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    let changed = text.replacen(
        "grant = [\"express_configure:sso\", \"express_configure:scim\"]\n",
        "grant = [\"express_configure:sso\", \"express_configure:scim\"]\n\n[[rule]]\nid = \"webauthn-no-scim\"\nwhen = 'has(user.enrolledFactors) && user.enrolledFactors.exists(f, f.type == \"webauthn-platform\")'\nforbid = [\"express_configure:scim\"]\n",
        1,
    );
    assert_ne!(text, changed);
    std::fs::write(&policy, changed).unwrap();
}

fn explained(project: &Path, event: &Path) -> serde_json::Value {
    let out =
        actionkit().arg("explain").arg(project).arg("--event").arg(event).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["decisions"].clone()
}

#[test]
fn diff_reports_exactly_the_logins_whose_decisions_change() {
    let tmp = tempfile::tempdir().unwrap();
    let (v1, v2, logins) = (tmp.path().join("v1"), tmp.path().join("v2"), tmp.path().join("logins"));
    copy_dir(&root().join("examples/express-configure"), &v1);
    copy_dir(&v1, &v2);
    change_policy(&v2);
    write_logins(&logins, 60);

    let out = actionkit()
        .arg("diff")
        .arg(&v2)
        .arg("--against")
        .arg(&v1)
        .arg("--fixtures")
        .arg(&logins)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    let reported: BTreeSet<String> = report["logins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| Path::new(l["fixture"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned())
        .collect();

    // Both versions decided one login at a time, as `explain` (the built Action's decisions).
    let mut expected = BTreeSet::new();
    for entry in std::fs::read_dir(&logins).unwrap() {
        let event = entry.unwrap().path();
        if explained(&v1, &event) != explained(&v2, &event) {
            expected.insert(event.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(!expected.is_empty() && expected.len() < 60, "the change affects some logins: {}", expected.len());
    assert_eq!(reported, expected);
    assert_eq!(out.status.code(), Some(1), "changes found: exit 1 for CI");
    assert_eq!(report["compared"], 60);
    let group = &report["groups"][0];
    assert_eq!(group["change"], "lose express_configure:scim", "{report}");
    assert_eq!(group["count"].as_u64().unwrap() as usize, expected.len());
    assert!(group["now_determined_by"].as_str().unwrap().contains("webauthn-no-scim"), "{report}");

    // The Markdown summary a CI job posts on the pull request.
    let out = actionkit()
        .arg("diff")
        .arg(&v2)
        .arg("--against")
        .arg(&v1)
        .arg("--fixtures")
        .arg(&logins)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let markdown = text(&out.stdout);
    assert!(markdown.contains(&format!("| {} | lose express_configure:scim |", expected.len())), "{markdown}");

    // Markdown is for `diff` only: a usage error elsewhere.
    let out = actionkit().args(["check", "--format", "markdown"]).arg(&v1).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    // No change: exit 0.
    let out =
        actionkit().arg("diff").arg(&v1).arg("--against").arg(&v1).arg("--fixtures").arg(&logins).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("60 logins compared against"), "{}", text(&out.stdout));
}

#[test]
fn diff_against_a_git_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("repo/app");
    copy_dir(&root().join("examples/express-configure"), &project);
    let repo = tmp.path().join("repo");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "v1"]);
    change_policy(&project);
    let out = actionkit().arg("diff").arg(&project).args(["--against", "HEAD", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changed: Vec<&str> =
        report["logins"].as_array().unwrap().iter().map(|l| l["fixture"].as_str().unwrap()).collect();
    assert!(changed.len() == 1 && changed[0].ends_with("admin-webauthn-enrolled.json"), "{report}");

    let out = actionkit().arg("diff").arg(&project).args(["--against", "no-such-rev"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("git revision"), "{}", text(&out.stderr));
}

#[test]
fn diff_against_the_action_live_on_the_tenant() {
    use crate::deploy::{deploy_with, fake, project, SECRETS};
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    let out = deploy_with(&fake, &dir, &["--apply"], &SECRETS);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let against_live = |extra: &[&str]| {
        let mut command = actionkit();
        command.arg("diff").arg(&dir).args(["--against", "live", "--format", "json"]).args(extra);
        crate::util::against_fake(&mut command, &fake).output().unwrap()
    };
    // What is deployed is what the project says: no login changes.
    let out = against_live(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A local change (another missing-data message) changes the logins that fail with it.
    let policy = dir.join("policy.toml");
    let before = std::fs::read_to_string(&policy).unwrap();
    let changed = before.replace(
        "missing_data_message = \"Unable to issue token for Express Configure API - missing data.\"",
        "missing_data_message = \"Missing data.\"",
    );
    assert_ne!(before, changed);
    std::fs::write(&policy, changed).unwrap();
    let logins = tempfile::tempdir().unwrap();
    let mut event: serde_json::Value = serde_json::from_str(auth0_platform::event::SAMPLE_EVENT_JSON).unwrap();
    event["request"]["query"]["audience"] = "https://system.okta.com/actions/express-configure/v1".into();
    event.as_object_mut().unwrap().remove("organization");
    std::fs::write(logins.path().join("no-org.json"), event.to_string()).unwrap();
    let out = against_live(&["--fixtures", logins.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["changed"], 1, "{report}");
    std::fs::write(&policy, &before).unwrap();

    // The live side is only what really decides: the policy is pre-loaded into the engine's
    // memory image, so a POLICY_IR text that is not that image's source is refused, not trusted.
    let name = "express_configure_postlogin_action";
    let code = fake.with(|t| t.action(name).unwrap()["deployed_version"]["code"].as_str().unwrap().to_owned());
    let ir = codegen::render::policy_ir_of(&code).expect("the deployed code has a POLICY_IR line");
    let edited_ir = ir.replacen("Unable to issue token", "Token refused", 1);
    assert_ne!(ir, edited_ir, "the IR carries the missing-data message");
    let edited_line = format!("const POLICY_IR = {};", serde_json::to_string(&edited_ir).unwrap());
    let original_line = format!("const POLICY_IR = {};", serde_json::to_string(&ir).unwrap());
    fake.with(|t| t.edit_deployed_code(name, |c| c.replacen(&original_line, &edited_line, 1)));
    let out = against_live(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("deployed::engine-mismatch"), "{}", text(&out.stderr));
    // An engine module that is not base64 of a brotli stream is unreadable, not skipped.
    fake.with(|t| t.edit_deployed_code(name, |c| c.replacen("const ENGINE_WASM = \"", "const ENGINE_WASM = \"!", 1)));
    let out = against_live(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("deployed::unreadable-engine"), "{}", text(&out.stderr));
    // A hand-written Action holds neither.
    fake.with(|t| t.edit_deployed_code(name, |_| "exports.onExecutePostLogin = async () => {};".to_owned()));
    let out = against_live(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("deployed::not-generated"), "{}", text(&out.stderr));
}
