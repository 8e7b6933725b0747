use std::path::{Path, PathBuf};

use harness::{Action, Fixture, Harness, Outcome};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

pub fn action(name: &str) -> Action {
    Action::from_file(root().join("actions").join(format!("{name}.js"))).expect("corpus action")
}

pub fn fixture(name: &str) -> Fixture {
    Fixture::from_file(root().join("fixtures").join(format!("{name}.json"))).expect("corpus fixture")
}

/// Runs inline source against an inline event.
pub fn run_source(source: &str, event: &str) -> Outcome {
    let action = Action::from_source("inline", source);
    let fixture = Fixture::parse(event).expect("fixture");
    Harness::new().run(&action, &fixture).expect("run")
}

/// Snapshot settings shared by every Outcome snapshot: timings are not deterministic.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".stats.duration_ms", "[duration]");
    settings.set_prepend_module_to_snapshot(false);
    settings
}
