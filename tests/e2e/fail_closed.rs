//! The generated Action fails closed: when its engine cannot decide, an Express Configure login
//! is denied with the policy's message (details in console.error), and other logins are still
//! untouched. Each case corrupts one part of a real generated file and runs it under Node 22.

use std::path::Path;
use std::process::Command;

use crate::util::{build_example, node22, root};

fn corrupt(action: &str, what: &str) -> String {
    match what {
        "engine" => {
            let start = action.find("const ENGINE_WASM = \"").unwrap() + "const ENGINE_WASM = \"".len();
            format!("{}AAAA{}", &action[..start], &action[start + 4..])
        }
        // The engine answers with an error (it cannot read what it is given). The policy itself
        // is in the module's memory image (pre-loaded at build time), covered by "engine".
        "answer" => action.replacen("JSON.stringify(prune(event))", "'{'", 1),
        // A decision kind the wrapper does not know (the answer numbers kinds, see
        // `Outcome::to_action_answer`), after the real ones.
        "decisions" => action.replacen(
            "if (!Array.isArray(answer))",
            "answer[0].push(99, 'grant_everything');\n  if (!Array.isArray(answer))",
            1,
        ),
        _ => unreachable!("unknown corruption {what}"),
    }
}

fn run(dir: &Path, action: &str, fixture: &str) -> (serde_json::Value, String) {
    let file = dir.join("action.js");
    std::fs::write(&file, action).unwrap();
    let output = Command::new(node22())
        .arg(root().join("tests/node/run-flow.js"))
        .env("ACTIONKIT_AUTH0_FACTS", auth0_platform::runtime_facts_json())
        .arg(root().join("examples/express-configure/fixtures").join(fixture))
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (serde_json::from_slice(&output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_broken_engine_denies_express_configure_logins_and_leaves_others_alone() {
    let (_tmp, dist) = build_example("express-configure");
    let original = std::fs::read_to_string(dist.join("express-configure.js")).unwrap();
    for what in ["engine", "answer", "decisions"] {
        let action = corrupt(&original, what);
        assert_ne!(action, original, "corruption `{what}` changed nothing");
        let (outcome, stderr) = run(&dist, &action, "admin.json");
        assert_eq!(
            outcome["calls"],
            serde_json::json!([{"action": 0, "method": "access.deny", "args": ["Access denied"]}]),
            "{what}"
        );
        assert!(outcome["error"].is_null(), "{what}: {outcome}");
        assert!(stderr.contains("actionkit: denying urn:auth0:express-configure access"), "{what}: {stderr}");
        let (outcome, _) = run(&dist, &action, "other-api.json");
        assert_eq!(outcome["calls"], serde_json::json!([]), "{what}: other APIs must stay untouched");
    }
}
