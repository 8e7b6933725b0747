//! Carrying out a [`Plan`]: write the Action (create, or PATCH only the changed fields), wait
//! for its build, deploy only when something is undeployed and wait for the version to be
//! live, then read-modify-write the flow and read it back. Every step is skipped when the plan
//! says nothing changes, so a second apply makes no write at all.

use std::time::{Duration, Instant};

use crate::client::{create_or_find, Client};
use crate::plan::{place, ActionStep, Desired, FlowEntry, Plan, SecretsStep};
use crate::resources::actions::{self, Action, ActionUpdate, NewAction, SecretValue, Version};
use crate::resources::triggers::{self, NewBinding};
use crate::{DeployError, SecretValues};

/// How to wait for builds and deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// The first pause between polls; grows by half each time.
    pub initial: Duration,
    /// The longest pause between polls.
    pub max: Duration,
    /// Give up waiting for one build or deploy after this long.
    pub timeout: Duration,
}

impl Default for PollPolicy {
    fn default() -> PollPolicy {
        // Auth0's builder itself gives up after 5 minutes; wait a little longer than that.
        PollPolicy {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(5),
            timeout: Duration::from_secs(360),
        }
    }
}

/// What apply did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyReport {
    /// The Action id.
    pub action_id: String,
    /// The version deployed by this run, if any.
    pub deployed_version: Option<u64>,
    /// Whether the flow was changed.
    pub bindings_changed: bool,
    /// Writes made (POST, PATCH).
    pub writes: u32,
}

/// Carries out `plan`. `progress(verb, message)` is told about each step as it completes.
///
/// # Errors
///
/// Any [`DeployError`]. Apply can be re-run after any failure: each step checks the live
/// state again, so it resumes where the failed run stopped.
pub fn apply(
    client: &Client,
    desired: &Desired,
    plan: &Plan,
    values: &SecretValues,
    poll: PollPolicy,
    progress: &dyn Fn(&str, &str),
) -> Result<ApplyReport, DeployError> {
    let secrets = match &plan.secrets {
        SecretsStep::Send { names, .. } => Some(secrets_body(names, values)?),
        SecretsStep::Keep { .. } => None,
    };
    let action_id = match &plan.action {
        ActionStep::Create => {
            let action = create(client, desired, secrets)?;
            progress("Created", &format!("Action `{}` ({})", desired.name, action.id));
            action.id
        }
        ActionStep::Update { id, changes } => {
            let mut update = ActionUpdate { secrets, ..ActionUpdate::default() };
            for change in changes {
                match change.field {
                    "code" => update.code = Some(&desired.code),
                    "runtime" => update.runtime = Some(&desired.runtime),
                    "supported_triggers" => update.supported_triggers = Some(std::slice::from_ref(&desired.trigger)),
                    "dependencies" => update.dependencies = Some(&desired.dependencies),
                    other => unreachable!("plan produced an unknown field `{other}`"),
                }
            }
            actions::update(client, id, &update)?;
            let fields: Vec<&str> = changes.iter().map(|c| c.field).collect();
            progress("Updated", &format!("Action `{}`: {}", desired.name, fields.join(", ")));
            id.clone()
        }
        ActionStep::Unchanged { id } => {
            if let Some(secrets) = secrets {
                // Only secrets change (new names or --rotate-secrets): a PATCH of them alone.
                actions::update(client, id, &ActionUpdate { secrets: Some(secrets), ..ActionUpdate::default() })?;
                progress("Updated", &format!("Action `{}`: secrets", desired.name));
            }
            id.clone()
        }
    };
    let mut deployed_version = None;
    if plan.deploy.is_some() {
        wait_built(client, &desired.name, &action_id, poll, progress)?;
        progress("Built", &format!("Action `{}`", desired.name));
        let version = actions::deploy(client, &action_id)?;
        wait_deployed(client, &action_id, &version, poll, progress)?;
        progress("Deployed", &format!("Action `{}` version {}", desired.name, version.number));
        deployed_version = Some(version.number);
    }
    let bindings_changed = bind(client, desired, &action_id, plan, progress)?;
    Ok(ApplyReport { action_id, deployed_version, bindings_changed, writes: client.writes() })
}

fn secrets_body<'a>(names: &'a [String], values: &'a SecretValues) -> Result<Vec<SecretValue<'a>>, DeployError> {
    names
        .iter()
        .map(|name| {
            let value = values.get(name).ok_or_else(|| {
                DeployError::config(
                    format!("no value for secret {name}"),
                    "set it in the environment or the secrets file",
                )
            })?;
            Ok(SecretValue { name, value })
        })
        .collect()
}

/// Creates the Action. A create is not blindly retried after a 5xx or timeout (it may have
/// landed): the Action is looked up by name first and only created again if it is not there.
fn create(client: &Client, desired: &Desired, secrets: Option<Vec<SecretValue<'_>>>) -> Result<Action, DeployError> {
    let action = NewAction {
        name: &desired.name,
        supported_triggers: std::slice::from_ref(&desired.trigger),
        code: &desired.code,
        runtime: &desired.runtime,
        dependencies: &desired.dependencies,
        secrets,
    };
    create_or_find(client, || actions::create(client, &action), || actions::find_by_name(client, &desired.name))
}

/// A roll-back to an earlier version, as planned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RollbackPlan {
    /// The Action name.
    pub name: String,
    /// The Action id.
    pub action_id: String,
    /// The version live now, if any.
    pub live: Option<u64>,
    /// The version whose code goes live again.
    pub to: u64,
    /// Its id.
    pub version_id: String,
    /// Whether the live version already runs that code (nothing to do).
    pub unchanged: bool,
}

impl std::fmt::Display for RollbackPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let live = self.live.map_or_else(|| "none".to_string(), |n| format!("version {n}"));
        if self.unchanged {
            writeln!(f, "Action `{}`: = live ({live}) already runs the code of version {}", self.name, self.to)
        } else {
            writeln!(
                f,
                "Action `{}`: ~ roll back from {live} to the code of version {} (Auth0 deploys it as a new version; the draft stays)",
                self.name, self.to
            )
        }
    }
}

/// Plans rolling the Action `name` back to its version `number`.
///
/// # Errors
///
/// [`DeployError::Config`] if there is no such Action or version (the versions Auth0 keeps are
/// listed); any [`DeployError`] of the calls.
pub fn plan_rollback(client: &Client, name: &str, number: u64) -> Result<RollbackPlan, DeployError> {
    let Some(action) = actions::find_by_name(client, name)? else {
        return Err(DeployError::config(format!("no Action named `{name}` on the tenant"), "deploy it first"));
    };
    let versions = actions::versions(client, &action.id)?;
    let Some(target) = versions.iter().find(|v| v.number == number) else {
        let kept: Vec<String> = versions.iter().map(|v| v.number.to_string()).collect();
        return Err(DeployError::config(
            format!("Action `{name}` has no version {number}"),
            if kept.is_empty() {
                "it was never deployed".to_string()
            } else {
                format!("Auth0 keeps its last 50 versions; this one has: {}", kept.join(", "))
            },
        ));
    };
    let live = action.deployed_version.as_ref();
    let unchanged = live.is_some_and(|l| l.code.is_some() && l.code == target.code);
    Ok(RollbackPlan {
        name: name.to_string(),
        action_id: action.id.clone(),
        live: live.map(|v| v.number),
        to: number,
        version_id: target.id.clone(),
        unchanged,
    })
}

/// Carries out `plan`: deploys the earlier version again and waits until the new version is
/// live. Returns the new version's number.
///
/// # Errors
///
/// Any [`DeployError`].
pub fn rollback(
    client: &Client,
    plan: &RollbackPlan,
    poll: PollPolicy,
    progress: &dyn Fn(&str, &str),
) -> Result<u64, DeployError> {
    let version = actions::deploy_version(client, &plan.action_id, &plan.version_id)?;
    wait_deployed(client, &plan.action_id, &version, poll, progress)?;
    progress(
        "Rolled back",
        &format!("Action `{}`: version {} runs the code of version {}", plan.name, version.number, plan.to),
    );
    Ok(version.number)
}

/// Polls until the draft is `built`. `failed` stops with [`DeployError::BuildFailed`].
fn wait_built(
    client: &Client,
    name: &str,
    id: &str,
    poll: PollPolicy,
    progress: &dyn Fn(&str, &str),
) -> Result<(), DeployError> {
    wait(poll, &format!("the build of Action `{name}`"), progress, || {
        let action = actions::get(client, id)?;
        match action.status.as_str() {
            "built" => Ok(Polled::Done),
            "failed" => Err(DeployError::BuildFailed { action: name.to_string() }),
            // pending, building, packaged, retrying: keep polling.
            status => Ok(Polled::Waiting(format!("status `{status}`"))),
        }
    })
}

/// The deploy answer says `deployed: false`; the version is live once a GET shows it deployed.
fn wait_deployed(
    client: &Client,
    id: &str,
    version: &Version,
    poll: PollPolicy,
    progress: &dyn Fn(&str, &str),
) -> Result<(), DeployError> {
    wait(poll, &format!("version {} to be deployed", version.number), progress, || {
        let action = actions::get(client, id)?;
        let live = action.deployed_version.is_some_and(|v| v.id == version.id && v.deployed);
        Ok(if live { Polled::Done } else { Polled::Waiting("not live yet".into()) })
    })
}

/// What one poll found.
enum Polled {
    /// The wait is over.
    Done,
    /// Still waiting; the state, for the progress line.
    Waiting(String),
}

/// How often a long wait says it is still waiting.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// Polls `done` with growing pauses until it is done or `poll.timeout` passes. A progress line
/// (on stderr) says what is awaited when the wait starts and every [`PROGRESS_EVERY`], so a slow
/// build is never silent.
fn wait(
    poll: PollPolicy,
    what: &str,
    progress: &dyn Fn(&str, &str),
    mut done: impl FnMut() -> Result<Polled, DeployError>,
) -> Result<(), DeployError> {
    let started = Instant::now();
    let mut pause = poll.initial;
    let mut next_note = Duration::ZERO;
    loop {
        let state = match done()? {
            Polled::Done => return Ok(()),
            Polled::Waiting(state) => state,
        };
        let elapsed = started.elapsed();
        if elapsed >= next_note {
            progress("Waiting", &format!("for {what}: {state}, {}s so far", elapsed.as_secs()));
            next_note = elapsed + PROGRESS_EVERY;
        }
        if started.elapsed() + pause > poll.timeout {
            return Err(DeployError::Timeout { what: what.to_string(), after: started.elapsed() });
        }
        std::thread::sleep(pause);
        pause = (pause + pause / 2).min(poll.max);
    }
}

/// Re-reads the flow now that our Action is deployed (it may have changed since planning),
/// places ours, PATCHes only if the list changes and reads it back to confirm.
fn bind(
    client: &Client,
    desired: &Desired,
    action_id: &str,
    plan: &Plan,
    progress: &dyn Fn(&str, &str),
) -> Result<bool, DeployError> {
    let authoritative = plan.bindings.authoritative;
    let trigger = &desired.trigger.id;
    let live = triggers::bindings(client, trigger)?;
    let step = place(desired, Some(action_id), &live, authoritative, &mut Vec::new())?;
    if !step.changes() {
        return Ok(false);
    }
    let flow: Vec<NewBinding<'_>> = step
        .after
        .iter()
        .map(|e| NewBinding::action(e.action_id.as_deref().unwrap_or(action_id), &e.display_name))
        .collect();
    triggers::replace_bindings(client, trigger, &flow)?;
    let expected: Vec<String> =
        step.after.iter().map(|e| e.action_id.clone().unwrap_or_else(|| action_id.into())).collect();
    let found_bindings = triggers::bindings(client, trigger)?;
    let found: Vec<String> = found_bindings.iter().map(|b| b.action.id.clone()).collect();
    if found != expected {
        let names = |flow: &[FlowEntry]| flow.iter().map(|e| e.action_name.clone()).collect::<Vec<_>>();
        return Err(DeployError::BindingRace {
            expected: names(&step.after),
            found: found_bindings.iter().map(|b| b.action.name.clone()).collect(),
        });
    }
    let at = step.after.iter().position(|e| e.ours).map_or(0, |i| i + 1);
    progress("Bound", &format!("`{}` at position {at} of {} in the {trigger} flow", desired.name, step.after.len()));
    Ok(true)
}
