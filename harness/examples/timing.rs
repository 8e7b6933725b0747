//! Prints how long the harness takes: instance setup, a small hand-written Action, and the
//! generated-style Action with the real WebAssembly engine (cold: compile + instantiate; warm).
//!
//! `cargo run -p harness --example timing` (numbers from the dev profile are pessimistic).

use std::time::Instant;

use harness::{Action, Fixture, Harness};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let harness = Harness::new();
    let cases = [("abac_scopes", "abac_scopes.admin"), ("engine_domain_aliases", "engine_domain_aliases.two_domains")];
    for (action, fixture) in cases {
        let action = Action::from_file(root.join("actions").join(format!("{action}.js")))?;
        let fixture = Fixture::from_file(root.join("fixtures").join(format!("{fixture}.json")))?;
        let runs = 50;
        let mut setup = Vec::new();
        let mut cold = Vec::new();
        let mut warm = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let mut flow = harness.flow(std::slice::from_ref(&action))?;
            setup.push(started.elapsed().as_secs_f64() * 1000.0);
            cold.push(flow.run(&fixture)?.stats.duration_ms);
            warm.push(flow.run(&fixture)?.stats.duration_ms);
        }
        println!(
            "{:<24} setup {:>7.2} ms   first run {:>7.2} ms   warm run {:>7.2} ms   (medians of {runs})",
            action.name(),
            median(&mut setup),
            median(&mut cold),
            median(&mut warm)
        );
    }
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
