use std::path::Path;

use crate::util;

/// `<action>.<case>.json` belongs to `<action>.js`.
fn action_of(fixture: &Path) -> String {
    let stem = fixture.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    stem.split('.').next().unwrap_or_default().to_string()
}

#[test]
fn corpus_outcomes() {
    insta::glob!("..", "fixtures/*.json", |path| {
        let action = util::action(&action_of(path));
        let fixture = harness::Fixture::from_file(path).expect("fixture");
        let outcome = harness::Harness::with_limits(util::machine_independent()).run(&action, &fixture).expect("run");
        util::settings().bind(|| insta::assert_json_snapshot!(outcome));
    });
}

#[test]
fn every_action_has_a_fixture_and_every_fixture_an_action() {
    let root = util::root();
    let fixtures: Vec<String> = std::fs::read_dir(root.join("fixtures"))
        .expect("fixtures dir")
        .map(|e| action_of(&e.expect("entry").path()))
        .collect();
    for entry in std::fs::read_dir(root.join("actions")).expect("actions dir") {
        let path = entry.expect("entry").path();
        // `actions/node_modules` holds in-house packages the Actions require, not Actions.
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        assert!(fixtures.contains(&name), "action `{name}` has no fixture");
    }
    for name in &fixtures {
        assert!(root.join("actions").join(format!("{name}.js")).exists(), "fixture for missing action `{name}`");
    }
}
