use std::collections::BTreeMap;

use super::*;
use crate::resources::actions::{Action, SecretName, Version};
use crate::resources::triggers::BoundAction;
use crate::Secret;

fn desired(position: Position) -> Desired {
    Desired {
        name: "ec".into(),
        code: "code-v2".into(),
        runtime: "node22".into(),
        trigger: TriggerRef { id: "post-login".into(), version: "v3".into() },
        secret_names: vec!["TENANT_DOMAIN".into()],
        position,
        dependencies: vec![],
    }
}

fn values(names: &[&str]) -> SecretValues {
    SecretValues::from_map(
        names.iter().map(|n| (n.to_string(), Secret::new(format!("v-{n}")))).collect::<BTreeMap<_, _>>(),
    )
}

fn live_action(code: &str, secrets: &[&str], deployed: bool) -> Action {
    Action {
        id: "act_1".into(),
        name: "ec".into(),
        supported_triggers: vec![TriggerRef { id: "post-login".into(), version: "v3".into() }],
        code: code.into(),
        dependencies: vec![],
        runtime: Some("node22".into()),
        secrets: secrets.iter().map(|n| SecretName { name: n.to_string() }).collect(),
        status: "built".into(),
        all_changes_deployed: deployed,
        deployed_version: Some(Version { id: "ver_1".into(), number: 1, deployed: true, code: None }),
    }
}

fn binding(id: &str, name: &str) -> Binding {
    Binding { display_name: name.into(), action: BoundAction { id: id.into(), name: name.into() } }
}

fn flow(step: &BindingsStep) -> Vec<&str> {
    step.after.iter().map(|e| e.action_name.as_str()).collect()
}

#[test]
fn new_action_is_created_with_secrets_deployed_and_appended() {
    let live = Live { action: None, bindings: vec![binding("a", "audit")] };
    let plan = plan(&desired(Position::Last), &live, &values(&["TENANT_DOMAIN"]), PlanOptions::default()).unwrap();
    assert_eq!(plan.action, ActionStep::Create);
    assert!(matches!(&plan.secrets, SecretsStep::Send { names, .. } if names == &["TENANT_DOMAIN"]));
    assert!(plan.deploy.is_some());
    assert_eq!(flow(&plan.bindings), ["audit", "ec"]);
    assert!(plan.has_changes());
    let text = plan.to_string();
    assert!(
        text.contains("+ create") && text.contains("+TENANT_DOMAIN") && !text.contains("v-TENANT_DOMAIN"),
        "{text}"
    );
}

#[test]
fn missing_secret_value_is_an_error_before_any_write() {
    let live = Live { action: None, bindings: vec![] };
    let err = plan(&desired(Position::Last), &live, &values(&[]), PlanOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no value for secret TENANT_DOMAIN"), "{err}");
}

#[test]
fn an_unchanged_deployed_bound_action_plans_nothing_and_needs_no_values() {
    let live = Live {
        action: Some(live_action("code-v2", &["TENANT_DOMAIN"], true)),
        bindings: vec![binding("act_1", "ec"), binding("b", "other")],
    };
    let plan = plan(&desired(Position::Last), &live, &values(&[]), PlanOptions::default()).unwrap();
    assert_eq!(plan.action, ActionStep::Unchanged { id: "act_1".into() });
    assert!(matches!(plan.secrets, SecretsStep::Keep { .. }));
    assert_eq!(plan.deploy, None);
    assert!(!plan.has_changes(), "{plan}");
    // Bound, but not last: left where it is, with a note.
    assert_eq!(flow(&plan.bindings), ["ec", "other"]);
    assert_eq!(plan.notes.len(), 1);
}

#[test]
fn changed_code_patches_only_code_and_keeps_secrets() {
    let live = Live { action: Some(live_action("code-v1", &["TENANT_DOMAIN"], true)), bindings: vec![] };
    let plan = plan(&desired(Position::First), &live, &values(&[]), PlanOptions::default()).unwrap();
    match &plan.action {
        ActionStep::Update { changes, .. } => {
            assert_eq!(changes.iter().map(|c| c.field).collect::<Vec<_>>(), ["code"])
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(plan.secrets, SecretsStep::Keep { .. }));
    assert_eq!(plan.deploy, Some(DeployReason::DraftChanges));
}

#[test]
fn undeployed_draft_is_deployed_without_a_write() {
    let live = Live { action: Some(live_action("code-v2", &["TENANT_DOMAIN"], false)), bindings: vec![] };
    let plan = plan(&desired(Position::Last), &live, &values(&[]), PlanOptions::default()).unwrap();
    assert_eq!(plan.action, ActionStep::Unchanged { id: "act_1".into() });
    assert_eq!(plan.deploy, Some(DeployReason::UndeployedChanges));
}

#[test]
fn secrets_set_outside_actionkit_are_never_erased_silently() {
    let live = Live { action: Some(live_action("code-v2", &["TENANT_DOMAIN", "OTHER"], true)), bindings: vec![] };
    let options = PlanOptions { rotate_secrets: true, ..PlanOptions::default() };
    let err = plan(&desired(Position::Last), &live, &values(&["TENANT_DOMAIN"]), options).unwrap_err();
    assert!(err.to_string().contains("would erase") && err.to_string().contains("OTHER"), "{err}");
    // With its value at hand, the foreign secret is re-sent and kept.
    let ok = plan(&desired(Position::Last), &live, &values(&["TENANT_DOMAIN", "OTHER"]), options).unwrap();
    assert!(matches!(&ok.secrets, SecretsStep::Send { names, .. } if names == &["TENANT_DOMAIN", "OTHER"]));
}

#[test]
fn secrets_the_policy_no_longer_reads_are_retired_only_when_asked() {
    let live = Live { action: Some(live_action("code-v2", &["TENANT_DOMAIN", "OLD"], true)), bindings: vec![] };
    // Without the flag: kept, nothing sent.
    let kept = plan(&desired(Position::Last), &live, &values(&[]), PlanOptions::default()).unwrap();
    assert!(matches!(&kept.secrets, SecretsStep::Keep { names } if names == &["TENANT_DOMAIN", "OLD"]));
    // With it: the list goes without OLD, and needs the value of what stays.
    let options = PlanOptions { retire_secrets: true, ..PlanOptions::default() };
    let err = plan(&desired(Position::Last), &live, &values(&[]), options).unwrap_err();
    assert!(err.to_string().contains("no value for secret TENANT_DOMAIN"), "{err}");
    let retired = plan(&desired(Position::Last), &live, &values(&["TENANT_DOMAIN"]), options).unwrap();
    assert!(matches!(
        &retired.secrets,
        SecretsStep::Send { names, retired, .. } if names == &["TENANT_DOMAIN"] && retired == &["OLD"]
    ));
    assert!(retired.to_string().contains("[TENANT_DOMAIN, -OLD] (--retire-secrets"), "{retired}");
    // Nothing to retire: nothing sent.
    let live = Live { action: Some(live_action("code-v2", &["TENANT_DOMAIN"], true)), bindings: vec![] };
    let none = plan(&desired(Position::Last), &live, &values(&[]), options).unwrap();
    assert!(matches!(&none.secrets, SecretsStep::Keep { .. }));
    // Retiring the last secret would need `secrets: []`: refused.
    let live = Live { action: Some(live_action("code-v2", &["OLD"], true)), bindings: vec![] };
    let mut bare = desired(Position::Last);
    bare.secret_names.clear();
    let err = plan(&bare, &live, &values(&[]), options).unwrap_err();
    assert!(err.to_string().contains("no secret at all"), "{err}");
}

#[test]
fn positions_keep_foreign_order() {
    let bindings = vec![binding("a", "audit"), binding("r", "risk")];
    let live = Live { action: None, bindings };
    let cases = [
        (Position::First, vec!["ec", "audit", "risk"]),
        (Position::Last, vec!["audit", "risk", "ec"]),
        (Position::After("audit".into()), vec!["audit", "ec", "risk"]),
        (Position::Before("risk".into()), vec!["audit", "ec", "risk"]),
    ];
    for (position, want) in cases {
        let plan =
            plan(&desired(position.clone()), &live, &values(&["TENANT_DOMAIN"]), PlanOptions::default()).unwrap();
        assert_eq!(flow(&plan.bindings), want, "{position:?}");
        assert!(plan.bindings.dropped.is_empty());
    }
    let err =
        plan(&desired(Position::After("nope".into())), &live, &values(&["TENANT_DOMAIN"]), PlanOptions::default())
            .unwrap_err();
    assert!(err.to_string().contains("`nope`, which is not in the post-login flow"), "{err}");
}

#[test]
fn authoritative_is_the_only_way_to_drop_foreign_bindings() {
    let live = Live { action: None, bindings: vec![binding("a", "audit")] };
    let options = PlanOptions { authoritative: true, ..PlanOptions::default() };
    let plan = plan(&desired(Position::Last), &live, &values(&["TENANT_DOMAIN"]), options).unwrap();
    assert_eq!(flow(&plan.bindings), ["ec"]);
    assert_eq!(plan.bindings.dropped, ["audit"]);
    assert!(plan.to_string().contains("- audit  (unbound: --authoritative)"));
}

#[test]
fn a_failed_build_is_resubmitted() {
    let mut action = live_action("code-v2", &["TENANT_DOMAIN"], false);
    action.status = "failed".into();
    let live = Live { action: Some(action), bindings: vec![] };
    let plan = plan(&desired(Position::Last), &live, &values(&[]), PlanOptions::default()).unwrap();
    assert!(matches!(&plan.action, ActionStep::Update { changes, .. } if changes[0].field == "code"));
}

#[test]
fn secret_values_over_auth0s_limit_are_refused_before_any_write() {
    let live = Live { action: None, bindings: vec![] };
    let mut map = BTreeMap::new();
    map.insert("TENANT_DOMAIN".to_string(), Secret::new("x".repeat(4097)));
    let err = plan(&desired(Position::Last), &live, &SecretValues::from_map(map), PlanOptions::default()).unwrap_err();
    assert!(err.to_string().contains("too long: [TENANT_DOMAIN]"), "{err}");
    assert!(!err.to_string().contains("xxxx"), "{err}");
}

#[test]
fn an_empty_secrets_list_is_never_sent() {
    let mut d = desired(Position::Last);
    d.secret_names.clear();
    let create = plan(&d, &Live { action: None, bindings: vec![] }, &values(&[]), PlanOptions::default()).unwrap();
    assert_eq!(create.secrets, SecretsStep::Keep { names: vec![] });
    assert!(create.to_string().contains("secrets: none"), "{create}");
    let live = Live { action: Some(live_action("code-v2", &[], true)), bindings: vec![] };
    let rotate = PlanOptions { rotate_secrets: true, ..PlanOptions::default() };
    assert_eq!(plan(&d, &live, &values(&[]), rotate).unwrap().secrets, SecretsStep::Keep { names: vec![] });
}
