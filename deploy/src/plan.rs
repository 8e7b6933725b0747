//! Planning: what has to change on the tenant to make the live Action, its build, its deployed
//! version and its place in the flow match the project. [`plan`] is a pure function of the
//! desired state, the live state and the secret values at hand, so every rule is unit-tested
//! without a server; its [`fmt::Display`] is what `actionkit deploy --plan` prints.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::live::Live;
use crate::resources::actions::{Dependency, TriggerRef};
use crate::resources::triggers::Binding;
use crate::{DeployError, SecretValues};
use manifest::Binding as Position;

use auth0_platform::secrets::{MAX_SECRETS, MAX_VALUE_CHARS as MAX_SECRET_VALUE};

/// What the project wants on the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    /// The Action name.
    pub name: String,
    /// The generated code.
    pub code: String,
    /// The runtime (`node22`).
    pub runtime: String,
    /// The trigger (`post-login` `v3`).
    pub trigger: TriggerRef,
    /// Secret names the Action reads.
    pub secret_names: Vec<String>,
    /// Where the Action goes in the flow.
    pub position: Position,
    /// The npm packages it is sent with, sorted by name.
    pub dependencies: Vec<Dependency>,
}

/// Choices that change the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Send every secret value even if the tenant has all the names (values cannot be read
    /// back, so this is the only way to change a value).
    pub rotate_secrets: bool,
    /// Make the flow exactly `[our Action]`, unbinding every other Action.
    pub authoritative: bool,
    /// Only plan: secret values that are missing are notes (checked when applying), so a plan
    /// needs secret names only (pull-request jobs have no secrets).
    pub plan_only: bool,
    /// Drop the secrets the tenant has and the policy no longer reads (`--retire-secrets`):
    /// the list is sent without them. Without it, such secrets are kept.
    pub retire_secrets: bool,
}

/// A field of the draft that will change, summarised (code is shown by size and hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The API field.
    pub field: &'static str,
    /// The live value, summarised.
    pub from: String,
    /// The new value, summarised.
    pub to: String,
}

/// The Action step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionStep {
    /// `POST /actions/actions`.
    Create,
    /// `PATCH /actions/actions/{id}` with only `changes` (plus secrets if [`Plan::secrets`] says so).
    Update {
        /// The live Action id.
        id: String,
        /// The changed fields.
        changes: Vec<FieldChange>,
    },
    /// Nothing to write.
    Unchanged {
        /// The live Action id.
        id: String,
    },
}

/// Whether secret values are sent, and which names. Values are never part of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecretsStep {
    /// `secrets` is left out of the write: the tenant keeps its values.
    Keep {
        /// The names on the tenant.
        names: Vec<String>,
    },
    /// `secrets` is sent (whole-list replacement) with these names and their values.
    Send {
        /// Every name sent, in order.
        names: Vec<String>,
        /// The names that are new on the tenant.
        added: Vec<String>,
        /// Why the list is sent.
        reason: &'static str,
        /// Names on the tenant left out of the list, so erased (`--retire-secrets`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        retired: Vec<String>,
    },
}

/// One entry of the planned flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowEntry {
    /// The Action id (`None` for our Action before it is created).
    pub action_id: Option<String>,
    /// The Action name.
    pub action_name: String,
    /// The display name in the flow.
    pub display_name: String,
    /// Whether this is our Action.
    pub ours: bool,
}

/// The bindings step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindingsStep {
    /// The flow now.
    pub before: Vec<FlowEntry>,
    /// The flow after apply.
    pub after: Vec<FlowEntry>,
    /// Bound Actions that apply unbinds (only with `--authoritative`).
    pub dropped: Vec<String>,
    /// Whether the flow is ours alone (`--authoritative`).
    pub authoritative: bool,
}

impl BindingsStep {
    /// Whether the flow changes.
    pub fn changes(&self) -> bool {
        ids(&self.before) != ids(&self.after)
    }
}

fn ids(flow: &[FlowEntry]) -> Vec<(Option<&str>, &str)> {
    flow.iter().map(|e| (e.action_id.as_deref(), e.action_name.as_str())).collect()
}

/// Why a new version is deployed. The names in JSON are part of the stable plan format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeployReason {
    /// This run writes the draft.
    DraftChanges,
    /// The Action has no deployed version.
    NeverDeployed,
    /// The draft was changed (elsewhere or by a run that stopped) and not deployed.
    UndeployedChanges,
}

impl fmt::Display for DeployReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeployReason::DraftChanges => "the draft changes",
            DeployReason::NeverDeployed => "the Action was never deployed",
            DeployReason::UndeployedChanges => "the draft has undeployed changes",
        })
    }
}

/// Everything `apply` will do, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The Action name.
    pub name: String,
    /// The trigger.
    pub trigger: TriggerRef,
    /// Create, update or nothing.
    pub action: ActionStep,
    /// Secrets sent or kept.
    pub secrets: SecretsStep,
    /// Why a deploy happens, if it does.
    pub deploy: Option<DeployReason>,
    /// The flow.
    pub bindings: BindingsStep,
    /// Things worth knowing that change nothing.
    pub notes: Vec<String>,
    /// A plan-only run ([`PlanOptions::plan_only`]) left secret values unchecked because they
    /// are missing: applying this plan would stop before its first write.
    #[serde(skip)]
    pub values_missing: bool,
}

impl Plan {
    /// Whether apply would write anything.
    pub fn has_changes(&self) -> bool {
        !matches!(self.action, ActionStep::Unchanged { .. })
            || matches!(self.secrets, SecretsStep::Send { .. })
            || self.deploy.is_some()
            || self.bindings.changes()
    }
}

fn join_names(names: &[&String]) -> String {
    names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
}

/// Computes the plan.
///
/// # Errors
///
/// [`DeployError::Config`], before any write, when a secret that must be sent has no value,
/// when sending secrets would erase secrets set outside actionkit, or when the manifest's
/// binding anchor (`after`/`before`) is not in the flow.
pub fn plan(desired: &Desired, live: &Live, values: &SecretValues, options: PlanOptions) -> Result<Plan, DeployError> {
    let mut notes = Vec::new();
    let mut values_missing = false;
    let (action, secrets) = match &live.action {
        None => {
            let names = desired.secret_names.clone();
            // No secrets: the create leaves `secrets` out rather than sending `[]`.
            let secrets = if names.is_empty() {
                SecretsStep::Keep { names }
            } else {
                SecretsStep::Send { added: names.clone(), names, reason: "new Action", retired: Vec::new() }
            };
            (ActionStep::Create, secrets)
        }
        Some(live_action) => {
            let mut changes = Vec::new();
            if live_action.code != desired.code {
                changes.push(FieldChange {
                    field: "code",
                    from: summarize(&live_action.code),
                    to: summarize(&desired.code),
                });
            }
            if live_action.runtime.as_deref() != Some(desired.runtime.as_str()) {
                let from = live_action.runtime.clone().unwrap_or_else(|| "(default)".into());
                changes.push(FieldChange { field: "runtime", from, to: desired.runtime.clone() });
            }
            if live_action.supported_triggers != [desired.trigger.clone()] {
                changes.push(FieldChange {
                    field: "supported_triggers",
                    from: triggers(&live_action.supported_triggers),
                    to: triggers(std::slice::from_ref(&desired.trigger)),
                });
            }
            let mut live_deps = live_action.dependencies.clone();
            live_deps.sort_by(|a, b| a.name.cmp(&b.name));
            if live_deps != desired.dependencies {
                changes.push(FieldChange {
                    field: "dependencies",
                    from: deps(&live_deps),
                    to: deps(&desired.dependencies),
                });
            }
            if changes.is_empty() && live_action.status == "failed" {
                // The same draft would fail again only if the failure was transient; re-sending
                // the code is the only way to ask Auth0 for a new build.
                changes.push(FieldChange {
                    field: "code",
                    from: "last build failed".into(),
                    to: format!("{} (re-submitted for a new build)", summarize(&desired.code)),
                });
            }
            let live_names: Vec<String> = live_action.secrets.iter().map(|s| s.name.clone()).collect();
            let added: Vec<String> = desired.secret_names.iter().filter(|n| !live_names.contains(n)).cloned().collect();
            let foreign: Vec<&String> = live_names.iter().filter(|n| !desired.secret_names.contains(n)).collect();
            let retire = options.retire_secrets && !foreign.is_empty();
            if retire && desired.secret_names.is_empty() {
                return Err(DeployError::config(
                    format!("retiring {} would leave `{}` no secret at all", join_names(&foreign), desired.name),
                    "actionkit never sends `secrets: []` (the list that erases everything); delete them in the dashboard (Actions > Library > the Action > Secrets)",
                ));
            }
            let secrets = if retire {
                // Sent without the names the policy no longer reads: Auth0 erases them.
                let retired: Vec<String> = foreign.into_iter().cloned().collect();
                SecretsStep::Send { names: desired.secret_names.clone(), added, reason: "--retire-secrets", retired }
            } else if !added.is_empty() || options.rotate_secrets {
                // The list is replaced whole: names set outside actionkit go too unless we
                // have their values (pain #4: secrets wiped by deploy tools).
                let mut names = desired.secret_names.clone();
                let unknown: Vec<&str> =
                    foreign.iter().filter(|n| values.get(n).is_none()).map(|n| n.as_str()).collect();
                if !unknown.is_empty() && options.plan_only {
                    values_missing = true;
                    notes.push(format!(
                        "applying needs the values of {} (set outside actionkit), or Auth0 would erase them",
                        unknown.join(", ")
                    ));
                } else if !unknown.is_empty() {
                    return Err(DeployError::config(
                        format!(
                            "sending secrets to `{}` would erase secrets it has that the policy does not use: {}",
                            desired.name,
                            unknown.join(", ")
                        ),
                        "Auth0 replaces the whole secrets list; give their values in the environment or the secrets file to keep them, or pass --retire-secrets to let them go",
                    ));
                }
                names.extend(foreign.into_iter().cloned());
                let reason = if added.is_empty() { "--rotate-secrets" } else { "new secret names" };
                if names.is_empty() {
                    // Nothing to rotate: never send `secrets: []` (it would be a no-op here, but
                    // an empty list is what erases secrets, so it is never sent at all).
                    SecretsStep::Keep { names: live_names }
                } else {
                    SecretsStep::Send { names, added, reason, retired: Vec::new() }
                }
            } else {
                SecretsStep::Keep { names: live_names }
            };
            let id = live_action.id.clone();
            let action =
                if changes.is_empty() { ActionStep::Unchanged { id } } else { ActionStep::Update { id, changes } };
            (action, secrets)
        }
    };
    if let SecretsStep::Send { names, .. } = &secrets {
        let missing: Vec<&str> = names.iter().filter(|n| values.get(n).is_none()).map(String::as_str).collect();
        if !missing.is_empty() && options.plan_only {
            values_missing = true;
            notes.push(format!(
                "applying needs the value{} of {} (environment or secrets file); not checked by a plan",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
        } else if !missing.is_empty() {
            return Err(DeployError::config(
                format!("no value for secret{} {}", if missing.len() == 1 { "" } else { "s" }, missing.join(", ")),
                "set them as environment variables or in the manifest's `[deploy] secrets_env_file` (see dist/secrets.example.env); nothing was changed",
            ));
        }
        // Auth0's limits (entity-limit policy): 30 secrets, values up to 4096 characters.
        let long: Vec<&str> = names
            .iter()
            .filter(|n| values.get(n).is_some_and(|v| v.expose().chars().count() > MAX_SECRET_VALUE))
            .map(String::as_str)
            .collect();
        if !long.is_empty() || names.len() > MAX_SECRETS {
            return Err(DeployError::config(
                format!(
                    "Auth0 would refuse the secrets of `{}`: {} secrets, too long: [{}]",
                    desired.name,
                    names.len(),
                    long.join(", ")
                ),
                format!(
                    "Auth0 allows {MAX_SECRETS} secrets per Action, each value at most {MAX_SECRET_VALUE} characters"
                ),
            ));
        }
    }
    let written = !matches!(action, ActionStep::Unchanged { .. }) || matches!(secrets, SecretsStep::Send { .. });
    let deploy = match &live.action {
        _ if written => Some(DeployReason::DraftChanges),
        Some(a) if a.deployed_version.is_none() => Some(DeployReason::NeverDeployed),
        Some(a) if !a.all_changes_deployed => Some(DeployReason::UndeployedChanges),
        _ => None,
    };
    let our_id = live.action.as_ref().map(|a| a.id.clone());
    let bindings = place(desired, our_id.as_deref(), &live.bindings, options.authoritative, &mut notes)?;
    Ok(Plan {
        name: desired.name.clone(),
        trigger: desired.trigger.clone(),
        action,
        secrets,
        deploy,
        bindings,
        notes,
        values_missing,
    })
}

/// Places our Action in the flow: every foreign binding kept in its order, ours inserted at
/// the manifest's position if it is not bound yet. A bound Action is never moved (someone may
/// have placed it on purpose); `authoritative` makes the flow exactly ours.
pub(crate) fn place(
    desired: &Desired,
    our_id: Option<&str>,
    live: &[Binding],
    authoritative: bool,
    notes: &mut Vec<String>,
) -> Result<BindingsStep, DeployError> {
    let is_ours = |b: &Binding| our_id.map_or(b.action.name == desired.name, |id| b.action.id == id);
    let entry = |b: &Binding| FlowEntry {
        action_id: Some(b.action.id.clone()),
        action_name: b.action.name.clone(),
        display_name: b.display_name.clone(),
        ours: is_ours(b),
    };
    let before: Vec<FlowEntry> = live.iter().map(entry).collect();
    let ours = FlowEntry {
        action_id: our_id.map(str::to_string),
        action_name: desired.name.clone(),
        display_name: desired.name.clone(),
        ours: true,
    };
    if authoritative {
        let kept = before.iter().find(|e| e.ours).cloned().unwrap_or(ours);
        let dropped = before.iter().filter(|e| !e.ours).map(|e| e.action_name.clone()).collect();
        return Ok(BindingsStep { before, after: vec![kept], dropped, authoritative });
    }
    if let Some(at) = before.iter().position(|e| e.ours) {
        let wanted = match &desired.position {
            Position::First => at == 0,
            Position::Last => at + 1 == before.len(),
            Position::After(n) => at > 0 && names(&before[at - 1], n),
            Position::Before(n) => before.get(at + 1).is_some_and(|e| names(e, n)),
        };
        if !wanted {
            notes.push(format!(
                "`{}` is bound at position {} of {}, not where the manifest's `binding` puts it; it is left there (bound Actions are never moved)",
                desired.name,
                at + 1,
                before.len()
            ));
        }
        return Ok(BindingsStep { after: before.clone(), before, dropped: Vec::new(), authoritative });
    }
    let anchor = |n: &str| {
        before.iter().position(|e| names(e, n)).ok_or_else(|| {
            DeployError::config(
                format!(
                    "the manifest binds `{}` next to `{n}`, which is not in the {} flow",
                    desired.name, desired.trigger.id
                ),
                format!("bound now: [{}]; change `[deploy] binding` in actionkit.toml", flow_names(&before)),
            )
        })
    };
    let at = match &desired.position {
        Position::First => 0,
        Position::Last => before.len(),
        Position::After(n) => anchor(n)? + 1,
        Position::Before(n) => anchor(n)?,
    };
    let mut after = before.clone();
    after.insert(at, ours);
    Ok(BindingsStep { before, after, dropped: Vec::new(), authoritative })
}

/// An anchor names a bound Action by its Action name or its display name.
fn names(entry: &FlowEntry, name: &str) -> bool {
    entry.action_name == name || entry.display_name == name
}

fn flow_names(flow: &[FlowEntry]) -> String {
    flow.iter().map(|e| e.action_name.as_str()).collect::<Vec<_>>().join(", ")
}

fn summarize(code: &str) -> String {
    let hash = Sha256::digest(code.as_bytes());
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{} bytes, sha256 {hex}", code.len())
}

fn triggers(t: &[TriggerRef]) -> String {
    let parts: Vec<String> = t.iter().map(|t| format!("{}@{}", t.id, t.version)).collect();
    format!("[{}]", parts.join(", "))
}

fn deps(d: &[Dependency]) -> String {
    let parts: Vec<String> = d.iter().map(|d| format!("{}@{}", d.name, d.version)).collect();
    format!("[{}]", parts.join(", "))
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Action `{}` ({}@{}):", self.name, self.trigger.id, self.trigger.version)?;
        match &self.action {
            ActionStep::Create => writeln!(f, "  + create")?,
            ActionStep::Update { id, changes } => {
                writeln!(f, "  ~ update {id}")?;
                for c in changes {
                    writeln!(f, "      {}: {} -> {}", c.field, c.from, c.to)?;
                }
            }
            ActionStep::Unchanged { id } => writeln!(f, "  = unchanged ({id})")?,
        }
        match &self.secrets {
            SecretsStep::Keep { names } if names.is_empty() => writeln!(f, "  secrets: none")?,
            SecretsStep::Keep { names } => {
                writeln!(f, "  secrets: kept as they are on the tenant ({})", names.join(", "))?
            }
            SecretsStep::Send { names, added, reason, retired } => {
                let list: Vec<String> = names
                    .iter()
                    .map(|n| if added.contains(n) { format!("+{n}") } else { n.clone() })
                    .chain(retired.iter().map(|n| format!("-{n}")))
                    .collect();
                writeln!(f, "  secrets: send values for [{}] ({reason}; values never shown)", list.join(", "))?;
            }
        }
        match self.deploy {
            Some(reason) => writeln!(f, "  build: wait until `built`\n  deploy: new version ({reason})")?,
            None => writeln!(f, "  deploy: none (the deployed version is current)")?,
        }
        let change = self.bindings.changes();
        writeln!(f, "{} flow{}:", self.trigger.id, if change { " (changes)" } else { " (unchanged)" })?;
        for (i, e) in self.bindings.after.iter().enumerate() {
            let was_bound = self
                .bindings
                .before
                .iter()
                .any(|b| b.ours == e.ours && b.action_id == e.action_id && e.action_id.is_some());
            let mark = if e.ours && !was_bound { "+" } else { " " };
            let who = if e.ours { "  (this Action)" } else { "" };
            writeln!(f, "  {mark} {}. {}{who}", i + 1, e.action_name)?;
        }
        for d in &self.bindings.dropped {
            writeln!(f, "  - {d}  (unbound: --authoritative)")?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
