//! The memory limit: an Action that keeps allocating is stopped with a `limit` failure instead
//! of growing until the process is killed.

use harness::{Action, ErrorKind, Fixture, Harness, Limits};

const HEAP: usize = 32 * 1024 * 1024;

/// The memory limit under test; real time barely counts, so a busy debug build (seconds for
/// these loops) never turns the test into one of the time budget.
fn limits() -> Limits {
    Limits { heap_bytes: HEAP, ..crate::util::machine_independent() }
}

#[test]
fn the_test_binary_meters_allocations() {
    assert!(harness::memory::bounded_allocator_installed());
}

#[test]
fn an_action_that_keeps_allocating_is_stopped_at_the_memory_limit() {
    // Small objects, as a real leak grows: far more than 32 MiB within the loop limit.
    let action = Action::from_source(
        "hoarder",
        "exports.onExecutePostLogin = async (event, api) => {\n\
           const kept = [];\n\
           try { for (let i = 0; i < 900000; i++) kept.push({ i, label: 'item-' + i, tags: [i, i + 1] }); }\n\
           catch (e) { api.idToken.setCustomClaim('https://x.example/caught', true); }\n\
           api.idToken.setCustomClaim('https://x.example/kept', kept.length);\n\
         };",
    );
    let outcome = Harness::with_limits(limits()).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    let error = outcome.error.expect("the hoarder must fail the login");
    assert_eq!(error.kind, ErrorKind::Limit, "{}", error.message);
    assert_eq!(error.message, "the Action allocated more than 32 MiB of memory (the harness's limit)");
    assert!(outcome.calls.is_empty(), "the limit cannot be caught: {:?}", outcome.calls);
}

#[test]
fn allocating_after_an_await_is_stopped_too() {
    // Inside a promise job the check comes at the next host call (here `console.log`).
    let action = Action::from_source(
        "job",
        "exports.onExecutePostLogin = async () => {\n\
           await null;\n\
           const kept = [];\n\
           for (let i = 0; i < 900000; i++) { kept.push({ i, label: 'item-' + i }); if (i % 1000 === 0) console.log(i); }\n\
         };",
    );
    let outcome = Harness::with_limits(limits()).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    let error = outcome.error.expect("the hoarder must fail the login");
    assert_eq!(error.kind, ErrorKind::Limit, "{}", error.message);
}

#[test]
fn memory_freed_during_a_run_does_not_count() {
    // Allocates about 10x the limit in total, but never holds more than a little of it.
    let action = Action::from_source(
        "churn",
        "exports.onExecutePostLogin = async (event, api) => {\n\
           let total = 0;\n\
           for (let round = 0; round < 40; round++) {\n\
             const batch = [];\n\
             for (let i = 0; i < 20000; i++) batch.push({ i, label: 'item-' + i });\n\
             total += batch.length;\n\
           }\n\
           api.idToken.setCustomClaim('https://x.example/total', total);\n\
         };",
    );
    let outcome = Harness::with_limits(limits()).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.id_token.claims["https://x.example/total"], 800_000);
}

#[test]
fn a_warm_instance_stopped_at_the_memory_limit_runs_again_cold() {
    let action = Action::from_source(
        "leaky",
        "const kept = [];\n\
         exports.onExecutePostLogin = async (event, api) => {\n\
           api.idToken.setCustomClaim('https://x.example/held', kept.length);\n\
           if (event.user.hoard) for (let i = 0; i < 900000; i++) kept.push({ i, label: 'item-' + i });\n\
         };",
    );
    let mut flow = Harness::with_limits(limits()).flow(std::slice::from_ref(&action)).expect("flow");
    let hoard = Fixture::parse(r#"{"user": {"user_id": "u", "hoard": true}}"#).expect("fixture");
    let calm = Fixture::parse(r#"{"user": {"user_id": "u"}}"#).expect("fixture");
    assert_eq!(flow.run(&hoard).expect("run").error.expect("limit").kind, ErrorKind::Limit);
    let after = flow.run(&calm).expect("run");
    assert_eq!(after.error, None);
    assert_eq!(after.id_token.claims["https://x.example/held"], 0);
}

#[test]
fn an_allocation_past_the_hard_cap_is_refused_without_stopping_the_process() {
    // 512 MiB at once is past 2 x 32 MiB + 256 MiB: refused, which an ArrayBuffer reports as a
    // catchable RangeError; the refusal is not counted, so the Action goes on normally.
    let action = Action::from_source(
        "big_buffer",
        "exports.onExecutePostLogin = async (event, api) => {\n\
           try { new ArrayBuffer(512 * 1024 * 1024); } catch (e) { console.log('caught', e.name); }\n\
           api.access.deny('after the refusal');\n\
         };",
    );
    let outcome = Harness::with_limits(limits()).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.logs[0].message, "caught RangeError");
    assert_eq!(outcome.denied.expect("denied").reason, "after the refusal");
}

#[test]
fn allocating_inside_one_cpu_bound_promise_job_is_stopped_by_the_watchdog() {
    // No host call, no job boundary: only the watchdog sees the worker over its limit; the
    // abandoned worker then sleeps at its next allocation instead of growing to the hard cap.
    let action = Action::from_source(
        "job_hoarder",
        "exports.onExecutePostLogin = async () => {\n\
           await null;\n\
           const kept = [];\n\
           const fill = () => { for (let i = 0; i < 1e5; i++) kept.push({ i, label: 'x' + i }); };\n\
           for (;;) fill();\n\
         };",
    );
    let limits = Limits { time_budget: std::time::Duration::from_secs(120), ..limits() };
    let outcome = Harness::with_limits(limits).run(&action, &Fixture::parse("{}").expect("fixture")).expect("run");
    let error = outcome.error.expect("the hoarder must fail the login");
    assert_eq!(error.kind, ErrorKind::Limit, "{}", error.message);
    assert_eq!(error.message, "the Action allocated more than 32 MiB of memory (the harness's limit)");
}
