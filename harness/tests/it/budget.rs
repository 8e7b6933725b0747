//! The time budget stops CPU-bound JS that never calls a host function: top-level code, the
//! handler and what it awaits run on Boa's budgeted evaluation path, which yields to the harness
//! to check the deadline.

//!
//! No verdict here depends on the machine's speed: a runaway never ends by itself, so on any
//! machine it ends as a timeout (how soon is not asserted), and a run that must finish gets a
//! budget a thousand times what it needs.

use std::time::Duration;

use harness::{Action, ErrorKind, Fixture, Harness, Limits};

/// Budget of runs that only a runaway ends.
const BUDGET: Duration = Duration::from_millis(300);

/// Budget of flows whose calm runs must finish (a few milliseconds of work each) before a
/// runaway run is cut off.
const CALM_BUDGET: Duration = Duration::from_secs(3);

/// Runs `source` with a 300 ms budget.
fn run(source: &str) -> harness::Outcome {
    let limits = Limits { time_budget: BUDGET, ..Limits::default() };
    let action = Action::from_source("runaway", source);
    Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run")
}

fn assert_timed_out(source: &str) {
    let error = run(source).error.expect("the runaway must fail the login");
    assert_eq!(error.kind, ErrorKind::Timeout, "{}", error.message);
    assert_eq!(error.message, "the execution exceeded the 300 ms time budget");
}

#[test]
fn loop_spread_across_calls_is_stopped_by_the_budget() {
    // Every frame stays below the per-frame loop limit, so only the deadline can stop it.
    assert_timed_out(
        "function f() { for (let i = 0; i < 9e5; i++) {} }\n\
         exports.onExecutePostLogin = async () => { while (true) f(); };",
    );
}

#[test]
fn catch_cannot_swallow_the_budget_of_a_call_loop() {
    assert_timed_out(
        "function f() { for (let i = 0; i < 1e3; i++) {} }\n\
         exports.onExecutePostLogin = async () => { for (;;) { try { f(); } catch (e) {} } };",
    );
}

#[test]
fn awaited_async_function_that_spins_is_stopped_by_the_budget() {
    assert_timed_out(
        "function f() { for (let i = 0; i < 1e3; i++) {} }\n\
         async function spin() { while (true) f(); }\n\
         exports.onExecutePostLogin = async () => { await spin(); };",
    );
}

#[test]
fn top_level_code_that_spins_is_stopped_by_the_budget() {
    let outcome = run("function f() { for (let i = 0; i < 1e3; i++) {} }\n\
         while (true) f();\n\
         exports.onExecutePostLogin = async () => {};");
    let error = outcome.error.expect("the runaway must fail the login");
    assert_eq!(error.kind, ErrorKind::Timeout, "{}", error.message);
}

#[test]
fn a_warm_instance_cut_off_by_the_budget_runs_again_cold() {
    // Module state counts executions; the cut-off instance is replaced, so the count restarts.
    let limits = Limits { time_budget: CALM_BUDGET, ..Limits::default() };
    let action = Action::from_source(
        "flaky",
        "let runs = 0;\n\
         function f() { for (let i = 0; i < 1e3; i++) {} }\n\
         exports.onExecutePostLogin = async (event, api) => {\n\
           runs++;\n\
           api.idToken.setCustomClaim('https://x.example/runs', runs);\n\
           if (event.user.spin) while (true) f();\n\
         };",
    );
    let mut flow = Harness::with_limits(limits).flow(std::slice::from_ref(&action)).expect("flow");
    let calm = Fixture::parse(r#"{"user": {"user_id": "u"}}"#).expect("fixture");
    let spin = Fixture::parse(r#"{"user": {"user_id": "u", "spin": true}}"#).expect("fixture");
    let first = flow.run(&calm).expect("run");
    assert_eq!(first.id_token.claims["https://x.example/runs"], 1);
    let second = flow.run(&calm).expect("run");
    assert_eq!(second.id_token.claims["https://x.example/runs"], 2);
    assert_eq!(flow.run(&spin).expect("run").error.expect("timeout").kind, ErrorKind::Timeout);
    let after = flow.run(&calm).expect("run");
    assert_eq!(after.error, None);
    assert_eq!(after.id_token.claims["https://x.example/runs"], 1);
}

#[test]
fn loop_in_a_promise_job_is_stopped_by_the_loop_limit() {
    // Code resumed after an `await` runs inside a promise job, which Boa 0.22 runs to completion
    // without yielding (see docs/outcome.md, "Runaway code"); the per-frame loop limit stops it,
    // and the login fails with that limit, as when the loop runs before any `await` (the
    // vendored Boa passes the limit error on instead of leaving the handler's promise pending).
    let limits = Limits { loop_iterations: 100_000, ..crate::util::machine_independent() };
    let action = Action::from_source(
        "job",
        "exports.onExecutePostLogin = async (event, api) => {\n\
           await null;\n\
           try { for (;;) {} } catch (e) { api.idToken.setCustomClaim('https://x.example/caught', true); }\n\
         };",
    );
    let outcome = Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    let error = outcome.error.expect("the runaway must fail the login");
    assert_eq!(error.kind, ErrorKind::Limit, "{}", error.message);
    assert_eq!(error.message, "RuntimeLimitError: reached the maximum number of iteration loops on this execution");
    assert!(outcome.calls.is_empty(), "the limit error must not be catchable: {:?}", outcome.calls);
}

#[test]
fn loop_in_a_timer_callback_awaited_by_the_handler_is_stopped_by_the_loop_limit() {
    let limits = Limits { loop_iterations: 100_000, ..crate::util::machine_independent() };
    let action = Action::from_source(
        "timer",
        "exports.onExecutePostLogin = async () => {\n\
           await new Promise((r) => setTimeout(r, 10));\n\
           await new Promise((resolve) => setTimeout(() => { for (;;) {} }, 0));\n\
         };",
    );
    let outcome = Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    assert_eq!(outcome.error.expect("limit").kind, ErrorKind::Limit);
}

#[test]
fn endless_chain_of_promise_jobs_is_stopped_by_the_budget() {
    // Each job is short, but the queue never empties; the deadline is checked between jobs.
    assert_timed_out(
        "exports.onExecutePostLogin = async () => {\n\
           const spin = () => Promise.resolve().then(spin);\n\
           spin();\n\
           await new Promise(() => {});\n\
         };",
    );
}

#[test]
fn cpu_bound_promise_job_is_stopped_by_the_watchdog_and_keeps_what_was_recorded() {
    // After `await`, the handler runs inside one promise job that Boa cannot interrupt; every
    // frame stays below the loop limit, so only the watchdog thread can end the run.
    let outcome = run("function f() { for (let i = 0; i < 9e5; i++) {} }\n\
         exports.onExecutePostLogin = async (event, api) => {\n\
           console.log('before the spin');\n\
           api.idToken.setCustomClaim('https://x.example/before', true);\n\
           await null;\n\
           while (true) f();\n\
         };");
    let error = outcome.error.as_ref().expect("the runaway must fail the login");
    assert_eq!(error.kind, ErrorKind::Timeout, "{}", error.message);
    assert_eq!(error.message, "the execution exceeded the 300 ms time budget");
    assert_eq!(outcome.logs[0].message, "before the spin");
    assert_eq!(outcome.calls.len(), 1);
    assert!(outcome.calls[0].discarded, "a timed-out Action's commands are discarded");
    assert!(outcome.id_token.claims.is_empty());
    assert_eq!(outcome.actions[0].status, harness::ActionStatus::Failed);
}

#[test]
fn cpu_bound_timer_callback_is_stopped_by_the_watchdog() {
    assert_timed_out(
        "function f() { for (let i = 0; i < 9e5; i++) {} }\n\
         exports.onExecutePostLogin = async () => {\n\
           await new Promise((resolve) => setTimeout(() => { while (true) f(); resolve(); }, 10));\n\
         };",
    );
}

#[test]
fn a_flow_whose_worker_was_abandoned_runs_again_on_fresh_instances() {
    let limits = Limits { time_budget: CALM_BUDGET, ..Limits::default() };
    let first = Action::from_source(
        "first",
        "exports.onExecutePostLogin = async (event, api) => { api.accessToken.addScope('a'); };",
    );
    let spinner = Action::from_source(
        "spinner",
        "let runs = 0;\n\
         function f() { for (let i = 0; i < 9e5; i++) {} }\n\
         exports.onExecutePostLogin = async (event, api) => {\n\
           runs++;\n\
           api.idToken.setCustomClaim('https://x.example/runs', runs);\n\
           await null;\n\
           if (event.user.spin) while (true) f();\n\
         };",
    );
    let third = Action::from_source("third", "exports.onExecutePostLogin = async () => {};");
    let mut flow = Harness::with_limits(limits).flow(&[first, spinner, third]).expect("flow");
    let calm = Fixture::parse(r#"{"user": {"user_id": "u"}}"#).expect("fixture");
    let spin = Fixture::parse(r#"{"user": {"user_id": "u", "spin": true}}"#).expect("fixture");
    assert_eq!(flow.run(&calm).expect("run").id_token.claims["https://x.example/runs"], 1);
    let stuck = flow.run(&spin).expect("run");
    let statuses: Vec<_> = stuck.actions.iter().map(|a| (a.name.as_str(), a.status, a.calls)).collect();
    assert_eq!(
        statuses,
        [
            ("first", harness::ActionStatus::Completed, 1),
            ("spinner", harness::ActionStatus::Failed, 1),
            ("third", harness::ActionStatus::Skipped, 0)
        ]
    );
    assert_eq!(stuck.error.expect("timeout").action.as_deref(), Some("spinner"));
    // Module state restarts: the abandoned instances are gone.
    assert_eq!(flow.run(&calm).expect("run").id_token.claims["https://x.example/runs"], 1);
}

#[test]
fn an_unbounded_time_budget_is_no_deadline() {
    let limits = Limits { time_budget: Duration::MAX, ..Limits::default() };
    let action =
        Action::from_source("calm", "exports.onExecutePostLogin = async (event, api) => { api.access.deny('ok'); };");
    let outcome = Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.denied.expect("denied").reason, "ok");
}

#[test]
fn a_real_time_scale_lets_slow_machines_finish_but_keeps_the_budget_in_force() {
    // About 2 million iterations in frames of 900k: far more than 1 ms of real time on any
    // machine, nothing a scale of 100,000 cannot absorb; the loop ends by itself.
    let source = "function f() { for (let i = 0; i < 9e5; i++) {} }\n\
                  exports.onExecutePostLogin = async (event, api) => { f(); f(); f(); api.idToken.setCustomClaim('done', true); };";
    let action = Action::from_source("slow", source);
    let fixture = Fixture::parse("{}").expect("fixture");
    let tight = Limits { time_budget: Duration::from_millis(1), ..Limits::default() };
    let outcome = Harness::with_limits(tight.clone()).run(&action, &fixture).expect("run");
    assert_eq!(outcome.error.map(|e| e.kind), Some(ErrorKind::Timeout), "1 ms of real time is not enough");
    let scaled = Limits { real_time_scale: 100_000, ..tight };
    let outcome = Harness::with_limits(scaled).run(&action, &fixture).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.id_token.claims["done"], true);
}
