//! `actionkit deploy --destroy`: taking down what `actionkit deploy` put on the tenant. The
//! Action is first unbound (the flow is re-sent without it, every other binding kept in its
//! order, and read back), then deleted; with `[express_configuration]`, the OIN client (its
//! grant first, unless Auth0 owns it), the role and the API are deleted. The tenant flag and a
//! SaaS application's `express_configuration` are left alone (tenant-wide, or another
//! application's). Like deploy, [`plan_destroy`] only reads and [`destroy`] writes what the plan
//! says; a second run finds nothing to do.

use std::fmt;

use crate::client::Client;
use crate::express::{find_oin_client, ExpressDesired};
use crate::resources::triggers::{self, NewBinding};
use crate::resources::{actions, client_grants, resource_servers, roles};
use crate::DeployError;

/// One object to delete.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deletion {
    /// What kind of object (`action`, `client_grant`, `client`, `role`, `resource_server`).
    pub kind: &'static str,
    /// Its name or identifier, as the manifest names it.
    pub name: String,
    /// The id the DELETE is sent to.
    pub id: String,
}

/// What `--destroy` does, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DestroyPlan {
    /// The trigger whose flow loses our Action.
    pub trigger: String,
    /// The flow now (Action names), when our Action is bound.
    pub flow_before: Vec<String>,
    /// The flow after unbinding.
    pub flow_after: Vec<String>,
    /// The objects deleted, in order.
    pub deletions: Vec<Deletion>,
    /// Objects left alone on purpose, and why.
    pub kept: Vec<String>,
}

impl DestroyPlan {
    /// Whether anything is written.
    pub fn has_changes(&self) -> bool {
        self.flow_before != self.flow_after || !self.deletions.is_empty()
    }
}

impl fmt::Display for DestroyPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Destroy:")?;
        if self.flow_before != self.flow_after {
            writeln!(
                f,
                "  ~ unbind from the {} flow: [{}] -> [{}]",
                self.trigger,
                self.flow_before.join(", "),
                self.flow_after.join(", ")
            )?;
        }
        for d in &self.deletions {
            writeln!(f, "  - delete {} `{}` ({})", d.kind.replace('_', " "), d.name, d.id)?;
        }
        for k in &self.kept {
            writeln!(f, "  = keep {k}")?;
        }
        if !self.has_changes() {
            writeln!(f, "  nothing on the tenant to remove")?;
        }
        Ok(())
    }
}

/// Reads what `--destroy` would remove: the Action `name` and its place in `trigger`'s flow,
/// and with `express`, the setup's objects found as deploy finds them.
///
/// # Errors
///
/// Any [`DeployError`] of the (read-only) calls.
pub fn plan_destroy(
    client: &Client,
    name: &str,
    trigger: &str,
    express: Option<&ExpressDesired>,
) -> Result<DestroyPlan, DeployError> {
    let mut plan = DestroyPlan { trigger: trigger.to_string(), ..DestroyPlan::default() };
    let action = actions::find_by_name(client, name)?;
    if let Some(action) = &action {
        let flow = triggers::bindings(client, trigger)?;
        if flow.iter().any(|b| b.action.id == action.id) {
            plan.flow_before = flow.iter().map(|b| b.action.name.clone()).collect();
            plan.flow_after = flow.iter().filter(|b| b.action.id != action.id).map(|b| b.action.name.clone()).collect();
        }
        plan.deletions.push(Deletion { kind: "action", name: name.into(), id: action.id.clone() });
    }
    let Some(d) = express else { return Ok(plan) };
    if let Some(oin) = find_oin_client(client, &d.oin_client_name)? {
        for grant in client_grants::find_all(client, &oin.client_id, &d.management_audience)? {
            if grant.is_system {
                // Auth0 removes its own grant with the client.
                continue;
            }
            plan.deletions.push(Deletion { kind: "client_grant", name: d.oin_client_name.clone(), id: grant.id });
        }
        plan.deletions.push(Deletion { kind: "client", name: d.oin_client_name.clone(), id: oin.client_id });
    }
    if let Some(role) = roles::find_by_name(client, &d.role)? {
        plan.deletions.push(Deletion { kind: "role", name: d.role.clone(), id: role.id });
    }
    if resource_servers::get(client, &d.identifier)?.is_some() {
        plan.deletions.push(Deletion { kind: "resource_server", name: d.identifier.clone(), id: d.identifier.clone() });
    }
    if d.scope_descriptions {
        plan.kept.push("tenant flag `use_scope_descriptions_for_consent` (tenant-wide)".into());
    }
    if let Some(app) = &d.saas_app {
        plan.kept.push(format!("SaaS app `{}` express_configuration (another application's)", app.client_id));
    }
    Ok(plan)
}

/// Carries out `plan`: unbinds (re-reading the flow and keeping every other binding in its
/// order, then reading it back), then deletes. A DELETE answered 404 (already gone, or a repeat
/// after a lost answer) counts as done.
///
/// # Errors
///
/// Any [`DeployError`]; [`DeployError::BindingRace`] if the flow read back is not what was sent.
pub fn destroy(client: &Client, plan: &DestroyPlan, progress: &dyn Fn(&str, &str)) -> Result<(), DeployError> {
    let ours = plan.deletions.iter().find(|d| d.kind == "action").map(|d| d.id.as_str());
    if let (Some(action_id), true) = (ours, plan.flow_before != plan.flow_after) {
        let live = triggers::bindings(client, &plan.trigger)?;
        if live.iter().any(|b| b.action.id == action_id) {
            let kept: Vec<NewBinding<'_>> = live
                .iter()
                .filter(|b| b.action.id != action_id)
                .map(|b| NewBinding::action(&b.action.id, &b.display_name))
                .collect();
            triggers::replace_bindings(client, &plan.trigger, &kept)?;
            let expected: Vec<&str> = kept.iter().map(|b| b.action_id()).collect();
            let found = triggers::bindings(client, &plan.trigger)?;
            if found.iter().map(|b| b.action.id.as_str()).collect::<Vec<_>>() != expected {
                return Err(DeployError::BindingRace {
                    expected: live.iter().filter(|b| b.action.id != action_id).map(|b| b.action.name.clone()).collect(),
                    found: found.iter().map(|b| b.action.name.clone()).collect(),
                });
            }
            progress(
                "Unbound",
                &format!("from the {} flow; {} other binding(s) kept in order", plan.trigger, kept.len()),
            );
        }
    }
    for d in &plan.deletions {
        let path = match d.kind {
            "action" => actions::path(&d.id),
            "client_grant" => client_grants::path(&d.id),
            "client" => crate::resources::clients::path(&d.id),
            "role" => roles::path(&d.id),
            "resource_server" => resource_servers::path(&d.id),
            other => unreachable!("plan_destroy made an unknown kind `{other}`"),
        };
        match client.delete(&path) {
            Ok(_) => {}
            Err(e) if e.status() == Some(404) => {}
            Err(e) => return Err(e),
        }
        progress("Deleted", &format!("{} `{}`", d.kind.replace('_', " "), d.name));
    }
    Ok(())
}
