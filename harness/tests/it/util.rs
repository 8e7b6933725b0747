use std::path::{Path, PathBuf};

use harness::{Action, Limits};

/// Auth0's limits, except that real time counts 1/50 against the time budget: a test whose
/// verdict is another limit (loops, recursion, fuel, memory) or virtual time must not become a
/// timeout on a loaded machine. Tests of the time budget itself use `Limits::default()`.
pub fn machine_independent() -> Limits {
    Limits { real_time_scale: 50, ..Limits::default() }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// A corpus Action; the `npm_*` ones find their packages where `scripts/setup.sh` installs
/// `tests/npm` (the same directory the Node 22 twin of the conformance test resolves from).
pub fn action(name: &str) -> Action {
    let action = Action::from_file(root().join("actions").join(format!("{name}.js"))).expect("corpus action");
    let packages = action.packages().clone().with_node_modules(corpus_node_modules(name));
    action.with_packages(packages)
}

/// `ACTIONKIT_NODE_MODULES`, or the cache directory `scripts/setup.sh` installs into by default.
fn corpus_node_modules(action: &str) -> PathBuf {
    let dir = std::env::var_os("ACTIONKIT_NODE_MODULES").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        home.join(".cache/actionkit/npm/node_modules")
    });
    assert!(
        !action.starts_with("npm_") || dir.is_dir(),
        "the corpus's npm packages are not installed at {}: run `scripts/setup.sh` (or the README's test command, scripts/test.sh)",
        dir.display()
    );
    dir
}

/// Snapshot settings shared by every Outcome snapshot: timings are not deterministic.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".stats.duration_ms", "[duration]");
    // Node's loader errors name files by absolute path (`Require stack:` ends with the Action's
    // file, packages are where set-up installed them): where they are is not part of the Outcome.
    settings.add_filter(&literal(&root().display().to_string()), "[tests]");
    settings.add_filter(&literal(&corpus_node_modules("").display().to_string()), "[node_modules]");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// A regex matching `text` literally.
fn literal(text: &str) -> String {
    text.chars().map(|c| if ".+*?()|[]{}^$\\".contains(c) { format!("\\{c}") } else { c.to_string() }).collect()
}
