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

pub fn action(name: &str) -> Action {
    Action::from_file(root().join("actions").join(format!("{name}.js"))).expect("corpus action")
}

/// Snapshot settings shared by every Outcome snapshot: timings are not deterministic.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".stats.duration_ms", "[duration]");
    settings.set_prepend_module_to_snapshot(false);
    settings
}
