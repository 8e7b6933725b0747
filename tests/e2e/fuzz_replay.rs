//! Every input the fuzzers kept (`fuzz/corpus/<target>/`, grown by `scripts/fuzz.sh`), replayed
//! through the same target bodies on the stable toolchain: what once found new code paths must
//! still neither panic nor break a target's property.

use std::path::Path;

#[path = "../../fuzz/src/targets.rs"]
mod targets;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus `{}` exists: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "the corpus `{}` is empty", dir.display());
    for input in inputs {
        let data = std::fs::read(&input).expect("readable corpus file");
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target} panicked on {}", input.display());
    }
}

#[test]
fn policy_compile_corpus() {
    replay("policy_compile", targets::policy_compile);
}

#[test]
fn ir_decode_corpus() {
    replay("ir_decode", targets::ir_decode);
}

#[test]
fn decide_event_corpus() {
    replay("decide_event", targets::decide_event);
}

#[test]
fn fixture_load_corpus() {
    replay("fixture_load", targets::fixture_load);
}
