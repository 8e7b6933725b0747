//! Times a fixture suite in the harness: `cargo run --release -p harness --example suite --
//! ACTION.js FIXTURE.json N`. Prints one JSON line: Boa context + Action load (setup), the first
//! run (WASM compile and instantiate included), the median warm run, and the wall time of N runs
//! with a fresh instance per fixture (one after another, and on one thread per CPU as
//! `actionkit test` runs them) and on one warm instance.

use std::sync::atomic::{AtomicUsize, Ordering};
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
    // The run as the worker thread timed it, without the hand-off between threads.
    let mut in_engine = Vec::with_capacity(n);
    let warm_started = Instant::now();
    for _ in 0..n {
        let started = Instant::now();
        let outcome = flow.run(&fixture)?;
        warm.push(ms(started));
        in_engine.push(outcome.stats.duration_ms);
    }
    let warm_suite_ms = ms(warm_started);
    warm.sort_by(f64::total_cmp);
    in_engine.sort_by(f64::total_cmp);

    let fresh_started = Instant::now();
    for _ in 0..n {
        harness.run(&action, &fixture)?;
    }
    let fresh_suite_ms = ms(fresh_started);

    // As `actionkit test` runs a suite: fresh instances, one thread per CPU.
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let next = AtomicUsize::new(0);
    let parallel_started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    harness.run(&action, &fixture).expect("run");
                }
            });
        }
    });
    let parallel_suite_ms = ms(parallel_started);
    println!(
        "{{\"setup_ms\":{setup_ms:.3},\"first_run_ms\":{first_run_ms:.3},\"warm_median_ms\":{:.3},\"warm_engine_median_ms\":{:.3},\"warm_suite_ms\":{warm_suite_ms:.1},\"fresh_suite_ms\":{fresh_suite_ms:.1},\"parallel_suite_ms\":{parallel_suite_ms:.1},\"threads\":{threads},\"runs\":{n}}}",
        warm[warm.len() / 2],
        in_engine[in_engine.len() / 2]
    );
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
