//! Render tests with a stand-in engine, past pre-loading (which needs the real engine); the real
//! engine's output, pre-loaded, is tested end to end in the workspace's `tests/` (it is only
//! built with the `actionkit` binary).

use super::*;
use action_core::ir::{Gate, Scopes};

const GLUE: &str = "
function decide(event) { return wasm.decide(event); }
exports.decide = decide;
function load(policy_ir) {
const ret = wasm.load(policy_ir);
return ret;
}
exports.load = load;
const wasmPath = `${__dirname}/action_core_bg.wasm`;
            const wasmBytes = require('fs').readFileSync(wasmPath);
            const wasmModule = new WebAssembly.Module(wasmBytes);
";

fn policy(field: GateField) -> Policy {
    Policy {
        paths: vec![
            "user.app_metadata.is_admin".into(),
            "user.app_metadata".into(),
            "resource_server.identifier".into(),
            "secrets.TENANT_DOMAIN".into(),
        ],
        secrets: vec!["TENANT_DOMAIN".into()],
        gate: Gate { field, api_identifier: "urn:auth0:express-configure".into() },
        sp_claims: None,
        domain_aliases: None,
        scopes: Some(Scopes { deny_message: "No \"access\"".into() }),
        mfa: None,
        rules: vec![],
    }
}

fn render(engine: &EngineWasm<'_>, policy: &Policy) -> Result<RenderedAction, RenderError> {
    render_module(
        engine,
        engine.wasm,
        &action_core::ir::encode(policy),
        &ActionSource { name: "ec", policy_file: "policy.toml", policy_text: "version = 1", policy, capture: None },
    )
}

#[test]
fn inlines_the_module_and_accounts_for_every_byte() {
    let engine = EngineWasm { glue_js: GLUE, wasm: &[0, 97, 115, 109, 1, 0, 0, 0] };
    let action = render(&engine, &policy(GateField::ResourceServer)).unwrap();
    assert!(action.code.contains(INLINE_WASM_READ));
    assert!(!action.code.contains("readFileSync"));
    // The policy is pre-loaded: no call of the (removed) `load` export is left.
    assert!(!action.code.contains("wasm.load") && !action.code.contains(".load("));
    assert_eq!(action.sizes.total(), action.code.len());
    assert!(action.code.contains(r#"const DENY_MESSAGE = "No \"access\"";"#));
    assert!(action.code.contains("resourceServer.identifier === API_IDENTIFIER"));
    // deploy-cli would rewrite these markers inside code.js.
    assert!(!action.code.contains("##") && !action.code.contains("@@"));
}

#[test]
fn rendering_is_deterministic() {
    let engine = EngineWasm { glue_js: GLUE, wasm: &[7; 4096] };
    let p = policy(GateField::AudienceQuery);
    assert_eq!(render(&engine, &p).unwrap(), render(&engine, &p).unwrap());
    assert!(render(&engine, &p).unwrap().code.contains("query.audience === API_IDENTIFIER"));
}

#[test]
fn prefix_paths_cover_longer_ones() {
    let p = policy(GateField::ResourceServer);
    assert_eq!(
        path_segments(&p.paths),
        vec![vec!["resource_server", "identifier"], vec!["secrets", "TENANT_DOMAIN"], vec!["user", "app_metadata"],]
    );
}

#[test]
fn unexpected_glue_is_an_error() {
    let engine = EngineWasm { glue_js: "exports.decide = decide;", wasm: &[] };
    assert!(matches!(render(&engine, &policy(GateField::ResourceServer)), Err(RenderError::Glue(_))));
}

#[test]
fn oversized_actions_are_refused_with_a_breakdown() {
    // Incompressible bytes: base64 of ~80 KB of noise is ~107 KB.
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..80_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let engine = EngineWasm { glue_js: GLUE, wasm: &noise };
    match render(&engine, &policy(GateField::ResourceServer)) {
        Err(RenderError::TooLarge(sizes)) => {
            assert!(sizes.total() > ACTION_SIZE_LIMIT);
            assert!(sizes.wasm > 100_000);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

/// The keys of the template's `APPLY` table, in order.
fn apply_table_keys() -> Vec<String> {
    let start = TEMPLATE.find("const APPLY = {").expect("the template has an APPLY table");
    let body = &TEMPLATE[start..];
    let body = &body[..body.find("\n};").expect("the APPLY table ends")];
    body.lines().skip(1).filter_map(|line| line.trim().split_once(':').map(|(key, _)| key.trim().to_string())).collect()
}

#[test]
fn the_apply_table_has_exactly_one_entry_per_decision_kind_in_the_engines_order() {
    // The engine's answer numbers decision kinds by their place in Decision::KINDS, and the
    // wrapper by their place in the table: the orders must agree. A decision the table lacks
    // makes every login that meets it fail closed as "malformed decisions"; an entry no decision
    // has is dead code in every Action.
    let keys = apply_table_keys();
    let kinds: Vec<String> = action_core::Decision::KINDS.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys, kinds);
}

#[test]
fn the_policy_ir_reads_back_from_a_rendered_action() {
    let engine = EngineWasm { glue_js: GLUE, wasm: &[0, 97, 115, 109, 1, 0, 0, 0] };
    let policy = policy(GateField::ResourceServer);
    let action = render(&engine, &policy).unwrap();
    let ir = crate::render::policy_ir_of(&action.code).expect("the IR line");
    assert_eq!(ir, action_core::ir::encode(&policy));
    assert_eq!(crate::render::policy_ir_of("exports.onExecutePostLogin = async () => {};"), None);
}
