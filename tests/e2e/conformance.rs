//! Boa vs Node 22: the harness corpus (`harness/tests/actions`, `harness/tests/fixtures`) run by
//! the harness and by real Node with the same recording `api` (`tests/node/recorder.js` shares
//! `harness/src/host/auth0/api.js`); the Outcomes must be equal, so every behaviour the corpus
//! pins down (section 10 of the Auth0 surface reference) is the same on both runtimes. The
//! `npm_*` Actions require npm packages installed by `scripts/setup.sh` (`tests/npm`); both
//! runtimes resolve them from the same `node_modules` (the harness through
//! `Packages::with_node_modules`, Node through `NODE_PATH`).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::util::{corpus_node_modules, node22, root};

/// Fixtures whose outcomes differ by design between the two runtimes (docs/outcome.md).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "intl_unavailable.basic",
        "Boa's Intl (ICU4X) vs V8's (ICU4C): numeric day/month patterns, one width per format, no percent/currency/unit styles, no formatToParts/RelativeTimeFormat/DisplayNames",
    ),
    ("saml_chained.basic", "engine error wording: `not a callable function` vs `x.y(...).z is not a function`"),
    ("syntax_error.basic", "parser message wording"),
    ("top_level_throw.basic", "`JSON.parse` message wording"),
];

/// Fixtures Node cannot finish: a synchronous infinite loop never yields (Auth0 kills it at 20 s).
const NODE_HANGS: &[&str] = &["infinite_loop.basic"];

fn without_stats(mut outcome: Value) -> Value {
    if let Value::Object(map) = &mut outcome {
        map.remove("stats");
    }
    outcome
}

#[test]
fn the_harness_corpus_behaves_the_same_on_boa_and_node_22() {
    let corpus = root().join("harness/tests");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(corpus.join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    fixtures.sort();
    // Real time barely counts against the budget: a loaded machine must not turn a loop, recursion
    // or virtual-time case into a timeout (the budget itself is tested in the harness crate).
    let harness = harness::Harness::with_limits(harness::Limits { real_time_scale: 50, ..harness::Limits::default() });
    let node_modules = corpus_node_modules();
    let mut compared = 0;
    let mut npm_compared = 0;
    let mut mismatches = Vec::new();
    for fixture_path in &fixtures {
        let name = fixture_path.file_stem().unwrap().to_string_lossy().into_owned();
        if NODE_HANGS.contains(&name.as_str()) {
            continue;
        }
        let action_name = name.split('.').next().unwrap();
        let action_path = corpus.join("actions").join(format!("{action_name}.js"));
        let action = harness::Action::from_file(&action_path).unwrap();
        let action = {
            let packages = action.packages().clone().with_node_modules(&node_modules);
            action.with_packages(packages)
        };
        let fixture = harness::Fixture::from_file(fixture_path).unwrap();
        let boa = without_stats(serde_json::to_value(harness.run(&action, &fixture).unwrap()).unwrap());
        let output = Command::new(node22())
            .arg(root().join("tests/node/recorder.js"))
            .env("ACTIONKIT_AUTH0_FACTS", auth0_platform::runtime_facts_json())
            .env("NODE_PATH", &node_modules)
            .arg(&action_path)
            .arg(fixture_path)
            .output()
            .unwrap();
        // Like `actionkit run`: 0 completed, 1 the login failed, 2 the recorder could not run.
        assert!(matches!(output.status.code(), Some(0 | 1)), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let node = without_stats(serde_json::from_slice(&output.stdout).unwrap());
        let known = KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == name);
        match (boa == node, known) {
            (true, false) => {
                compared += 1;
                npm_compared += usize::from(action_name.starts_with("npm_"));
            }
            (false, true) => {}
            (true, true) => mismatches.push(format!("{name}: listed as a known difference but equal; remove it")),
            (false, false) => mismatches.push(format!("{name}: Boa and Node differ\n  boa:  {boa}\n  node: {node}")),
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(compared >= 204, "only {compared} fixtures compared");
    assert!(npm_compared >= 32, "only {npm_compared} fixtures of Actions with npm packages compared");
}
