//! The bodies of the fuzz targets, shared by the libFuzzer binaries (`fuzz_targets/`) and the
//! workspace test that replays every corpus on stable (`tests/e2e/fuzz_replay.rs`). Each one
//! takes arbitrary bytes and must never panic; where an input is accepted, it also checks a
//! property that must hold for it.

use action_core::ir;
use action_core::value::parse_json;

/// The policy compiler on any text: diagnostics or a policy, never a panic; a compiled policy's
/// IR decodes to itself and decides on an empty event.
pub fn policy_compile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(compiled) = policy::compile(text, "fuzz.toml") {
        let encoded = ir::encode(&compiled.policy);
        let decoded = ir::decode(encoded.as_bytes()).expect("a compiled policy's IR decodes");
        assert_eq!(decoded, compiled.policy, "IR round trip");
        let _ = policy::disasm::disassemble(&compiled.policy);
        let _ = compiled.run_tests();
    }
}

/// The IR decoder on any bytes: an error or a policy that re-encodes to an equal policy.
pub fn ir_decode(data: &[u8]) {
    if let Ok(policy) = ir::decode(data) {
        let again = ir::decode(ir::encode(&policy).as_bytes()).expect("re-encoded IR decodes");
        assert_eq!(again, policy, "IR round trip");
    }
}

/// The policies `decide_event` runs events against: every feature and expression form in use.
const POLICIES: &[&str] = &[
    include_str!("../../examples/express-configure/policy.toml"),
    include_str!("../../examples/okta-express-configure/policy.toml"),
    include_str!("../../policy/tests/policies/full.toml"),
    include_str!("../../policy/tests/policies/abac.toml"),
];

/// `decide` on any event bytes (the first byte picks the policy), as the WASM engine reads them:
/// an error or an outcome whose JSON the engine's reader reads back.
pub fn decide_event(data: &[u8]) {
    // Compiled once: the target is about events, not about compiling.
    static COMPILED: std::sync::OnceLock<Vec<(String, ir::Policy)>> = std::sync::OnceLock::new();
    let compiled = COMPILED.get_or_init(|| {
        POLICIES
            .iter()
            .map(|source| {
                let policy = policy::compile(source, "policy.toml").expect("bundled policies compile").policy;
                (ir::encode(&policy), policy)
            })
            .collect()
    });
    let Some((pick, event)) = data.split_first() else { return };
    let (ir_text, policy) = &compiled[usize::from(*pick) % compiled.len()];
    if let Ok(outcome) = action_core::decide_json(ir_text.as_bytes(), event) {
        parse_json(outcome.to_json().as_bytes()).expect("the outcome is JSON");
    }
    if let Ok(event) = parse_json(event) {
        let _ = policy::event::decide_as_the_action_does(policy, &event);
    }
}

/// The fixture loader on any text: a fixture or an error, never a panic.
pub fn fixture_load(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = harness::Fixture::parse(text);
}
