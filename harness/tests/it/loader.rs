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
    let action = Action::from_source("broken", "let attempts = 0;\nattempts++;\nthrow new Error('config missing ' + attempts);");
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
fn no_filesystem_or_process_globals() {
    let action = Action::from_source(
        "sandbox",
        "exports.onExecutePostLogin = async (event, api) => {\n  const found = [typeof process, typeof __dirname, typeof fetch, typeof Buffer, typeof WebAssembly];\n  let fs;\n  try { require('fs'); fs = 'present'; } catch (e) { fs = e.code; }\n  api.access.deny(found.join(',') + ',' + fs);\n};",
    );
    let outcome = Harness::new().run(&action, &fixture()).expect("run");
    assert_eq!(outcome.denied.expect("denied").reason, "undefined,undefined,function,function,object,MODULE_NOT_FOUND");
}
