use std::path::{Path, PathBuf};

use harness::Action;

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
