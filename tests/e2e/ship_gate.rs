//! What fails its tests does not ship: `build` and `deploy --apply` run the inline tests and the
//! fixture snapshots first and refuse on a failure, unless `--allow-failing-tests` says otherwise
//! (loudly). A plan still shows what would change.

use std::path::{Path, PathBuf};

use crate::deploy::{assert_ok, deploy, fake, stderr, stdout};
use crate::util::{actionkit, copy_dir, root};

/// A copy of an example whose policy gets an inline test that cannot pass.
fn with_failing_inline_test(example: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(example);
    copy_dir(&root().join("examples").join(example), &dir);
    let policy = dir.join("policy.toml");
    let mut text = std::fs::read_to_string(&policy).unwrap();
    text.push_str(
        "\n[[test]]\nname = \"wrong on purpose\"\nevent = { resource_server = { identifier = \"https://other\" } }\n\
         expect = [{ type = \"deny\", reason = \"nope\" }]\n",
    );
    std::fs::write(&policy, text).unwrap();
    (tmp, dir)
}

fn build(project: &Path, extra: &[&str]) -> std::process::Output {
    actionkit().arg("build").arg(project).args(extra).output().unwrap()
}

#[test]
fn build_refuses_a_project_whose_inline_test_fails() {
    let (_tmp, project) = with_failing_inline_test("express-configure");
    let output = build(&project, &[]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("policy: wrong on purpose"), "the failing test is named:\n{err}");
    assert!(err.contains("decisions (- expected, + actual):"), "the same diff as `check`:\n{err}");
    assert!(err.contains("refusing to build: 1 of "), "{err}");
    assert!(err.contains("--allow-failing-tests"), "the way out is named:\n{err}");
    assert!(!project.join("dist").exists(), "nothing was written");

    let output = build(&project, &["--allow-failing-tests"]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("building although 1 of "), "said loudly:\n{err}");
    assert!(project.join("dist").is_dir());
}

#[test]
fn build_refuses_a_fixture_without_a_snapshot_and_writes_no_pending_file() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("ec");
    copy_dir(&root().join("examples/express-configure"), &project);
    std::fs::copy(project.join("fixtures/admin.json"), project.join("fixtures/admin-copy.json")).unwrap();
    let output = build(&project, &[]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("admin-copy.json"), "{err}");
    assert!(err.contains("refusing to build"), "{err}");
    let pending: Vec<_> = std::fs::read_dir(project.join("fixtures/snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap.new"))
        .collect();
    assert!(pending.is_empty(), "build writes no snapshot files: {pending:?}");
}

#[test]
fn deploy_apply_refuses_failing_tests_before_talking_to_the_tenant() {
    let (_tmp, project) = with_failing_inline_test("okta-express-configure");
    let fake = fake();
    let output = deploy(&fake, &project, &["--apply"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("refusing to deploy: 1 of "), "{}", stderr(&output));
    assert!(fake.requests().is_empty(), "no request reached the tenant: {:?}", fake.requests());

    // A plan still shows the changes, and says an apply would be refused.
    let output = deploy(&fake, &project, &["--plan"]);
    assert_ok(&output);
    assert!(stdout(&output).contains("create"), "{}", stdout(&output));
    assert!(stderr(&output).contains("an apply would be refused"), "{}", stderr(&output));
    assert!(fake.writes().is_empty(), "a plan writes nothing");

    let output = deploy(&fake, &project, &["--apply", "--allow-failing-tests"]);
    assert_ok(&output);
    assert!(stderr(&output).contains("deploying although 1 of "), "{}", stderr(&output));
    assert!(!fake.writes().is_empty());
}

#[test]
fn a_plan_needs_secret_names_only_and_is_never_applied_without_values() {
    let (_tmp, project) = crate::deploy::project("\"last\"");
    let fake = fake();
    // No secret values at all, as in a pull-request job.
    let output = crate::deploy::deploy_with(&fake, &project, &["--plan"], &[]);
    assert_ok(&output);
    let out = stdout(&output);
    assert!(out.contains("create"), "{out}");
    assert!(out.contains("applying needs the values of SERVICE_INIT_LOGIN_URL, TENANT_DOMAIN"), "{out}");
    assert!(fake.writes().is_empty());
    // Applying still checks every value before any write.
    let output = crate::deploy::deploy_with(&fake, &project, &["--apply"], &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("no value for secrets"), "{}", stderr(&output));
    assert!(fake.writes().is_empty());
}
