use harness::{Action, ErrorKind, Fixture, Harness, Status};

fn fixture() -> Fixture {
    Fixture::parse(r#"{"user": {"user_id": "auth0|1"}, "request": {"query": {}}}"#).expect("fixture")
}

#[test]
fn top_level_code_runs_once_lazily_per_instance() {
    let action = Action::from_source(
        "counter",
        "let loads = 0;\nloads++;\nconsole.log('top level');\nlet runs = 0;\nexports.onExecutePostLogin = async (event, api) => {\n  runs++;\n  api.idToken.setCustomClaim('https://x.example/n', [loads, runs]);\n};",
    );
    let mut flow = Harness::new().flow(std::slice::from_ref(&action)).expect("flow");
    let first = flow.run(&fixture()).expect("run");
    let second = flow.run(&fixture()).expect("run");
    assert_eq!(first.id_token.claims["https://x.example/n"], serde_json::json!([1, 1]));
    assert_eq!(second.id_token.claims["https://x.example/n"], serde_json::json!([1, 2]));
    // Top-level logs belong to the first execution only.
    assert_eq!(first.logs.len(), 1);
    assert!(second.logs.is_empty());
}

#[test]
fn a_top_level_throw_is_rethrown_on_every_execution() {
    let action =
        Action::from_source("broken", "let attempts = 0;\nattempts++;\nthrow new Error('config missing ' + attempts);");
    let mut flow = Harness::new().flow(std::slice::from_ref(&action)).expect("flow");
    for _ in 0..2 {
        let outcome = flow.run(&fixture()).expect("run");
        let error = outcome.error.expect("error");
        assert_eq!((error.kind, error.message.as_str()), (ErrorKind::Load, "config missing 1"));
    }
}

#[test]
fn module_exports_and_exports_bindings() {
    let via_module = Action::from_source(
        "m",
        "module.exports = { onExecutePostLogin: async (event, api) => { api.access.deny(typeof require + typeof console + typeof exports); } };",
    );
    let outcome = Harness::new().run(&via_module, &fixture()).expect("run");
    assert_eq!(outcome.denied.expect("denied").reason, "functionobjectobject");
}

#[test]
fn async_function_check_accepts_async_methods_and_rejects_generators() {
    let method = Action::from_source("method", "exports.onExecutePostLogin = async function (event, api) {};");
    assert_eq!(Harness::new().run(&method, &fixture()).expect("run").status, Status::Completed);
    let generator = Action::from_source("gen", "exports.onExecutePostLogin = async function* (event, api) {};");
    let outcome = Harness::new().run(&generator, &fixture()).expect("run");
    assert_eq!(outcome.error.expect("error").kind, ErrorKind::Signature);
}

#[test]
fn node_globals_without_host_access() {
    let action = Action::from_source(
        "sandbox",
        "exports.onExecutePostLogin = async (event, api) => {\n  const found = [typeof __dirname, typeof fetch, typeof Buffer, typeof WebAssembly, JSON.stringify(process.env), process.version];\n  let fs;\n  try { require('fs'); fs = 'present'; } catch (e) { fs = e.code; }\n  api.access.deny(found.join(',') + ',' + fs);\n};",
    );
    let outcome = Harness::new().run(&action, &fixture()).expect("run");
    assert_eq!(
        outcome.denied.expect("denied").reason,
        "undefined,function,function,object,{},v22.14.0,MODULE_NOT_FOUND"
    );
}

#[test]
fn console_lines_are_formatted_like_nodes_util_format() {
    let action = Action::from_source(
        "console",
        "exports.onExecutePostLogin = async () => {\n  console.log({ a: { b: { c: { d: 1 } } } });\n  console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);\n  console.info('%d%% done', 50);\n  console.warn(new Map([['a', 1]]));\n  console.error({ 'b-c': 1, x: \"it's\" });\n};",
    );
    let outcome = Harness::new().run(&action, &fixture()).expect("run");
    let lines: Vec<(&str, &str)> = outcome.logs.iter().map(|l| (l.level.as_str(), l.message.as_str())).collect();
    // Expected values are what Node 20's util.format prints for the same arguments.
    assert_eq!(
        lines,
        [
            ("log", "{ a: { b: { c: [Object] } } }"),
            ("log", "[\n  1, 2, 3, 4,  5,\n  6, 7, 8, 9, 10\n]"),
            ("info", "50% done"),
            ("warn", "Map(1) { 'a' => 1 }"),
            ("error", "{ 'b-c': 1, x: \"it's\" }"),
        ]
    );
}

#[test]
fn console_output_is_capped_at_256_kib_per_execution() {
    // 300 lines of 1 KiB: everything past 256 KiB is dropped, the line crossing it is cut.
    let action = Action::from_source(
        "chatty",
        "exports.onExecutePostLogin = async () => {\n  for (let i = 0; i < 300; i++) console.log('x'.repeat(1023));\n};",
    );
    let outcome = Harness::new().run(&action, &fixture()).expect("run");
    let kept: usize = outcome.logs.iter().map(|l| l.message.len()).sum();
    assert_eq!(kept, 256 * 1024);
    assert_eq!(outcome.logs.len(), 257);
    assert_eq!(outcome.status, Status::Completed);
}

#[test]
fn each_execution_has_a_log_allowance_of_its_own() {
    // A chatty Action's cap does not silence the next one.
    let chatty = Action::from_source(
        "chatty",
        "exports.onExecutePostLogin = async () => {\n  for (let i = 0; i < 300; i++) console.log('x'.repeat(1023));\n};",
    );
    let quiet =
        Action::from_source("quiet", "exports.onExecutePostLogin = async () => { console.log('quiet says hi'); };");
    let outcome = Harness::new().run_flow(&[chatty, quiet], &fixture()).expect("run");
    assert_eq!(outcome.logs.last().expect("a line").message, "quiet says hi");
    assert_eq!(outcome.actions[1].persisted_log.as_deref(), Some("quiet says hi"));
}

#[test]
fn actions_modules_are_compiled_once_per_instance_with_their_own_secrets() {
    let action = Action::from_source(
        "uses_module",
        "exports.onExecutePostLogin = async (event, api) => {\n  const counter = require('actions:counter');\n  api.idToken.setCustomClaim('https://x.example/n', [counter.loads, counter.next(), counter.token, typeof event.secrets.TOKEN]);\n};",
    );
    let secrets = serde_json::Map::from_iter([("TOKEN".to_string(), serde_json::json!("module-secret"))]);
    let module = "let loads = 0;\nloads++;\nlet calls = 0;\nmodule.exports = { loads, next: () => ++calls, token: actions.secrets.TOKEN };";
    let fixture = fixture().with_module("counter", module, secrets).expect("module");
    let mut flow = Harness::new().flow(std::slice::from_ref(&action)).expect("flow");
    let first = flow.run(&fixture).expect("run");
    let second = flow.run(&fixture).expect("run");
    assert_eq!(first.id_token.claims["https://x.example/n"], serde_json::json!([1, 1, "module-secret", "undefined"]));
    // The warm instance reuses the compiled module: its state carries over.
    assert_eq!(second.id_token.claims["https://x.example/n"], serde_json::json!([1, 2, "module-secret", "undefined"]));
    // Another instance compiles its own.
    let other = Harness::new().run(&action, &fixture).expect("run");
    assert_eq!(other.id_token.claims["https://x.example/n"], serde_json::json!([1, 1, "module-secret", "undefined"]));
}

#[test]
fn an_actions_module_that_throws_is_compiled_again_on_the_next_require() {
    let action = Action::from_source(
        "retries",
        "exports.onExecutePostLogin = async (event, api) => {\n  let first;\n  try { require('actions:flaky'); } catch (e) { first = e.message; }\n  api.access.deny(first + ' then ' + require('actions:flaky').state);\n};",
    );
    let module = "globalThis.flakyLoads = (globalThis.flakyLoads || 0) + 1;\nif (globalThis.flakyLoads === 1) throw new Error('first load fails');\nmodule.exports = { state: 'loaded' };";
    let fixture = fixture().with_module("flaky", module, serde_json::Map::new()).expect("module");
    let outcome = Harness::new().run(&action, &fixture).expect("run");
    assert_eq!(outcome.denied.expect("denied").reason, "first load fails then loaded");
}

#[test]
fn modules_of_one_run_do_not_leak_into_the_next() {
    let action = Action::from_source(
        "late_module",
        "exports.onExecutePostLogin = async (event, api) => {\n  try { api.access.deny(require('actions:m').name); } catch (e) { api.access.deny(e.code); }\n};",
    );
    let with_module =
        fixture().with_module("m", "module.exports = { name: 'declared' };", serde_json::Map::new()).expect("module");
    let other =
        fixture().with_module("m", "module.exports = { name: 'other' };", serde_json::Map::new()).expect("module");
    let harness = Harness::new();
    assert_eq!(harness.run(&action, &with_module).expect("run").denied.expect("denied").reason, "declared");
    assert_eq!(harness.run(&action, &fixture()).expect("run").denied.expect("denied").reason, "MODULE_NOT_FOUND");
    // A warm instance too: the module follows each run's declarations.
    let mut flow = harness.flow(std::slice::from_ref(&action)).expect("flow");
    let denied = |outcome: harness::Outcome| outcome.denied.expect("denied").reason;
    assert_eq!(denied(flow.run(&with_module).expect("run")), "declared");
    assert_eq!(denied(flow.run(&other).expect("run")), "other");
    assert_eq!(denied(flow.run(&fixture()).expect("run")), "MODULE_NOT_FOUND");
    assert_eq!(denied(flow.run(&with_module).expect("run")), "declared");
}

/// The Action `source` finding npm packages in `tests/npm-tree/node_modules`.
fn with_npm_tree(source: &str) -> (Action, std::path::PathBuf) {
    let tree = std::fs::canonicalize(crate::util::root().join("npm-tree")).expect("npm-tree");
    (Action::from_source("npm", source).with_packages(harness::Packages::walking_up_from(&tree)), tree)
}

fn claim(outcome: &harness::Outcome, name: &str) -> serde_json::Value {
    outcome.id_token.claims.get(&format!("https://x.example/{name}")).cloned().unwrap_or_default()
}

#[test]
fn npm_packages_load_once_per_instance_with_nodes_module_bindings() {
    let (action, tree) = with_npm_tree(
        "const counter = require('counter');\n\
         exports.onExecutePostLogin = async (event, api) => {\n\
           api.idToken.setCustomClaim('https://x.example/same', require('counter') === counter);\n\
           api.idToken.setCustomClaim('https://x.example/loads', counter.loads());\n\
           api.idToken.setCustomClaim('https://x.example/where', counter.where);\n\
           api.idToken.setCustomClaim('https://x.example/config', counter.config);\n\
           api.idToken.setCustomClaim('https://x.example/this', counter.isThis);\n\
           api.idToken.setCustomClaim('https://x.example/data', require('data'));\n\
           api.idToken.setCustomClaim('https://x.example/resolved', require.resolve('data'));\n\
           api.idToken.setCustomClaim('https://x.example/cached', Object.keys(require.cache).length);\n\
         };",
    );
    let mut flow = Harness::new().flow(std::slice::from_ref(&action)).expect("flow");
    let first = flow.run(&fixture()).expect("run");
    let second = flow.run(&fixture()).expect("run");
    assert_eq!(first.error, None);
    let lib = tree.join("node_modules/counter/lib");
    let lib_index = lib.join("index.js").display().to_string();
    assert_eq!(claim(&first, "same"), true);
    assert_eq!(claim(&first, "loads"), 1);
    assert_eq!(claim(&second, "loads"), 1, "a warm instance keeps its modules");
    assert_eq!(
        claim(&first, "where"),
        serde_json::json!({ "filename": lib_index, "dirname": lib.display().to_string(), "id": lib_index, "self": lib_index })
    );
    assert_eq!(claim(&first, "config"), serde_json::json!({ "name": "counter-config", "level": 3 }));
    assert_eq!(claim(&first, "this"), true);
    assert_eq!(claim(&first, "data"), serde_json::json!({ "answer": 42 }));
    assert_eq!(claim(&first, "resolved"), tree.join("node_modules/data/data.json").display().to_string());
    assert_eq!(claim(&first, "cached"), 3);
    // A fresh instance (a new flow) loads the package again.
    let cold = Harness::new().run(&action, &fixture()).expect("run");
    assert_eq!(claim(&cold, "loads"), 1);
}

#[test]
fn a_require_cycle_sees_the_partial_exports_and_a_throwing_module_loads_again() {
    let (action, _) = with_npm_tree(
        "exports.onExecutePostLogin = async (event, api) => {\n\
           const a = require('cycle');\n\
           api.idToken.setCustomClaim('https://x.example/cycle', [a.before, a.after, a.b.sawOfA]);\n\
           let first;\n\
           try { require('thrower'); } catch (e) { first = e.message; }\n\
           api.idToken.setCustomClaim('https://x.example/thrower', [first, require('thrower')]);\n\
         };",
    );
    let outcome = Harness::new().run(&action, &fixture()).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(claim(&outcome, "cycle"), serde_json::json!(["a-before", "a-after", ["before"]]));
    assert_eq!(claim(&outcome, "thrower"), serde_json::json!(["first load fails", "loaded on attempt 2"]));
}

#[test]
fn missing_unexported_and_undeclared_packages_fail_with_nodes_errors() {
    let source = "exports.onExecutePostLogin = async (event, api) => {\n\
           const out = [];\n\
           for (const name of ['left-pad', 'cycle/lib/a.js', 'esm-only', 'counter', './local']) {\n\
             try { require(name); out.push('loaded'); } catch (e) { out.push(e.code + ': ' + e.message.split('\\n')[0]); }\n\
           }\n\
           api.idToken.setCustomClaim('https://x.example/errors', out);\n\
         };";
    let (action, tree) = with_npm_tree(source);
    let outcome = Harness::new().run(&action, &fixture()).expect("run");
    let modules = tree.join("node_modules");
    assert_eq!(
        claim(&outcome, "errors"),
        serde_json::json!([
            "MODULE_NOT_FOUND: Cannot find module 'left-pad'",
            format!(
                "ERR_PACKAGE_PATH_NOT_EXPORTED: Package subpath './lib/a.js' is not defined by \"exports\" in {}",
                modules.join("cycle/package.json").display()
            ),
            // An ES module: Node 22.12+ loads it with `require`.
            "loaded",
            "loaded",
            "MODULE_NOT_FOUND: Cannot find module './local'",
        ])
    );
    // Declared dependencies: Auth0 installs only those, so anything else is missing.
    let declared =
        action.clone().with_packages(harness::Packages::walking_up_from(&tree).declared([("cycle", "1.0.0")]));
    let outcome = Harness::new().run(&declared, &fixture()).expect("run");
    assert_eq!(claim(&outcome, "errors")[3], "MODULE_NOT_FOUND: Cannot find module 'counter'");
}
