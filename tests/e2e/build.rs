//! `actionkit build`: what it writes, that it is deterministic and small, and that bad input
//! gives clear errors and leaves nothing half-written.

use std::path::Path;

use crate::util::{actionkit, build_example, root, run};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn writes_the_action_and_every_deploy_artifact() {
    let (_tmp, dist) = build_example("okta-express-configure");
    let names: Vec<String> = files(&dist).into_iter().map(|(name, _)| name).collect();
    insta::assert_json_snapshot!(names);
    let action = read(&dist.join("express_configure_postlogin_action.js"));
    assert!(action.contains("exports.onExecutePostLogin = async (event, api) =>"));
    assert_eq!(action, read(&dist.join("auth0-deploy-cli/actions/express_configure_postlogin_action/code.js")));
    let env = read(&dist.join("secrets.example.env"));
    assert!(env.contains("\nSERVICE_INIT_LOGIN_URL=\n") && env.contains("\nTENANT_DOMAIN=\n"), "{env}");
}

#[test]
fn builds_are_byte_identical() {
    let (_a, first) = build_example("express-configure");
    let (_b, second) = build_example("express-configure");
    assert_eq!(files(&first), files(&second));
    // Also from another checkout location: nothing machine-specific may leak into the output
    // (a path in the Action would make every deploy from another machine a code change).
    let elsewhere = tempfile::tempdir().unwrap();
    let project = elsewhere.path().join("somewhere/else");
    std::fs::create_dir_all(project.join("fixtures")).unwrap();
    for file in ["actionkit.toml", "policy.toml"] {
        std::fs::copy(root().join("examples/express-configure").join(file), project.join(file)).unwrap();
    }
    let output = actionkit().arg("build").arg(&project).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(files(&project.join("dist")), files(&first));
}

/// The bundled examples and the Action file each builds.
const EXAMPLE_ACTIONS: [(&str, &str); 2] = [
    ("express-configure", "express-configure.js"),
    ("okta-express-configure", "express_configure_postlogin_action.js"),
];

#[test]
fn generated_actions_fit_auth0s_limit_and_our_budget() {
    for (example, file) in EXAMPLE_ACTIONS {
        let (_tmp, dist) = build_example(example);
        let size = std::fs::metadata(dist.join(file)).unwrap().len();
        // Auth0 refuses Actions over 100 kB; real policies need room, and every byte of the
        // engine is decoded and compiled on each cold start (docs/PERFORMANCE.md tracks the
        // sizes; the bundled examples were 39,514 and 37,598 bytes on 2026-12-07).
        assert!(size <= 40_000, "{example}: {size} bytes is over the 40,000-byte budget for the examples");
    }
}

#[test]
fn the_wrapper_is_stable() {
    let (_tmp, dist) = build_example("express-configure");
    let action = read(&dist.join("express-configure.js"));
    // Snapshot the wrapper and glue, not the inlined engine or the hashes.
    let redacted: Vec<String> = action
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("const ENGINE_WASM = ") {
                "  const ENGINE_WASM = \"[engine: brotli + base64]\";".to_string()
            } else if line.contains(" sha256: ") {
                let (head, _) = line.split_once(" sha256: ").unwrap();
                format!("{head} sha256: [hash]")
            } else {
                line.replace(env!("CARGO_PKG_VERSION"), "[version]")
            }
        })
        .collect();
    insta::assert_snapshot!(redacted.join("\n"));
}

#[test]
fn a_missing_manifest_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let output = run(&["build", empty.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no `actionkit.toml` in"), "{stderr}");
    assert!(!empty.path().join("dist").exists());
}

#[test]
fn policy_errors_write_nothing() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("actionkit.toml"), "[action]\nname = \"ec\"\n").unwrap();
    std::fs::write(
        project.path().join("policy.toml"),
        "version = 1\n[api]\nidentifier = \"urn:x\"\n[[rule]]\nid = \"a\"\nwhen = 'user.app_metdata.x == 1'\ngrant = [\"s\"]\n",
    )
    .unwrap();
    let output = actionkit().arg("build").arg(project.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("app_metdata"), "{stderr}");
    assert!(!project.path().join("dist").exists());
}

#[test]
fn a_foreign_output_directory_is_not_replaced() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("precious.txt"), "keep me").unwrap();
    let project = root().join("examples/express-configure");
    let output = actionkit().arg("build").arg(&project).arg("-o").arg(out.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("refusing to replace"));
    assert_eq!(read(&out.path().join("precious.txt")), "keep me");
}

#[test]
fn an_unwritable_output_directory_is_a_clear_error() {
    let out = tempfile::tempdir().unwrap();
    let blocker = out.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let project = root().join("examples/express-configure");
    let target = blocker.join("dist");
    let output = actionkit().arg("build").arg(&project).arg("-o").arg(&target).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
}

#[test]
fn a_known_missing_secret_value_fails_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    let init = run(&["init", project.to_str().unwrap(), "--preset", "okta-express-configure"]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    // The manifest names `.env`; with the file present, a secret without a value is known to be missing.
    std::fs::write(project.join(".env"), "TENANT_DOMAIN=https://acme.us.auth0.com\n").unwrap();
    let output = actionkit().arg("build").arg(&project).env_remove("SERVICE_INIT_LOGIN_URL").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no value for the secret SERVICE_INIT_LOGIN_URL"), "{stderr}");
    assert!(!project.join("dist").exists());
    // The environment can supply it (as in CI); without the file nothing is known and it builds.
    let output =
        actionkit().arg("build").arg(&project).env("SERVICE_INIT_LOGIN_URL", "https://app/login").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    std::fs::remove_file(project.join(".env")).unwrap();
    assert!(actionkit().arg("build").arg(&project).output().unwrap().status.success());
}

/// A warm Action instance (Auth0 keeps them for many logins): the engine's memory must not grow
/// from one login to the next (its arena allocator starts over after every decision, see
/// action-core/src/arena.rs), and a repeat must decide exactly as the first run did. Run under
/// Node 22 on every fixture of both examples, 300 rounds.
#[test]
fn a_warm_instance_decides_the_same_in_constant_memory() {
    for (example, file) in EXAMPLE_ACTIONS {
        let (_tmp, dist) = build_example(example);
        let fixtures = crate::util::fixtures(example);
        let output = std::process::Command::new(crate::util::node22())
            .arg(crate::util::root().join("tests/node/steady-memory.js"))
            .arg(dist.join(file))
            .arg("300")
            .args(&fixtures)
            .output()
            .unwrap();
        assert!(output.status.success(), "{example}: {}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["instances"], 1, "{example}: {report}");
        assert_eq!(report["calls"], 300 * fixtures.len(), "{example}: {report}");
        assert_eq!(report["pages_after_all"], report["pages_after_first"], "{example}: memory grew: {report}");
    }
}
