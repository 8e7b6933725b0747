//! Times a fixture suite in the harness: `cargo run --release -p harness --example suite --
//! ACTION.js FIXTURE.json N`. Prints one JSON line: Boa context + Action load (setup), the first
//! run (WASM compile and instantiate included), the median warm run, and the wall time of N runs
//! as `actionkit test` would do them (a fresh instance per fixture) and on one warm instance.

use std::time::Instant;

use harness::{Action, Fixture, Harness};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, action, fixture, n] = args.as_slice() else {
        return Err("usage: suite ACTION.js FIXTURE.json N".into());
    };
    let n: usize = n.parse()?;
    let action = Action::from_file(action)?;
    let fixture = Fixture::from_file(fixture)?;
    let harness = Harness::new();

    let started = Instant::now();
    let mut flow = harness.flow(std::slice::from_ref(&action))?;
    let setup_ms = ms(started);
    let started = Instant::now();
    flow.run(&fixture)?;
    let first_run_ms = ms(started);
    let mut warm = Vec::with_capacity(n);
    let warm_started = Instant::now();
    for _ in 0..n {
        let started = Instant::now();
        flow.run(&fixture)?;
        warm.push(ms(started));
    }
    let warm_suite_ms = ms(warm_started);
    warm.sort_by(f64::total_cmp);

    let fresh_started = Instant::now();
    for _ in 0..n {
        harness.run(&action, &fixture)?;
    }
    let fresh_suite_ms = ms(fresh_started);
    println!(
        "{{\"setup_ms\":{setup_ms:.3},\"first_run_ms\":{first_run_ms:.3},\"warm_median_ms\":{:.3},\"warm_suite_ms\":{warm_suite_ms:.1},\"fresh_suite_ms\":{fresh_suite_ms:.1},\"runs\":{n}}}",
        warm[warm.len() / 2]
    );
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
