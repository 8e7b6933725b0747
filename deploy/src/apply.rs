//! Carrying out a [`Plan`]: write the Action (create, or PATCH only the changed fields), wait
//! for its build, deploy only when something is undeployed and wait for the version to be
//! live, then read-modify-write the flow and read it back. Every step is skipped when the plan
//! says nothing changes, so a second apply makes no write at all.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::client::{Client, Idempotent};
use super::model::{self, Action, Version};
use super::plan::{place, ActionStep, Desired, FlowEntry, Plan, SecretsStep};
use super::{DeployError, SecretValues};

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
            let mut body = Map::new();
            for change in changes {
                let value = match change.field {
                    "code" => json!(desired.code),
                    "runtime" => json!(desired.runtime),
                    "supported_triggers" => json!([desired.trigger]),
                    "dependencies" => json!([]),
                    other => unreachable!("plan produced an unknown field `{other}`"),
                };
                body.insert(change.field.to_string(), value);
            }
            if let Some(secrets) = secrets {
                body.insert("secrets".into(), Value::Array(secrets));
            }
            client.patch(&format!("/actions/actions/{id}"), &Value::Object(body))?;
            let fields: Vec<&str> = changes.iter().map(|c| c.field).collect();
            progress("Updated", &format!("Action `{}`: {}", desired.name, fields.join(", ")));
            id.clone()
        }
        ActionStep::Unchanged { id } => {
            if let Some(secrets) = secrets {
                // Only secrets change (new names or --rotate-secrets): a PATCH of them alone.
                client.patch(&format!("/actions/actions/{id}"), &json!({ "secrets": secrets }))?;
                progress("Updated", &format!("Action `{}`: secrets", desired.name));
            }
            id.clone()
        }
    };
    let mut deployed_version = None;
    if plan.deploy.is_some() {
        wait_built(client, &desired.name, &action_id, poll)?;
        progress("Built", &format!("Action `{}`", desired.name));
        let version = deploy(client, &action_id)?;
        wait_deployed(client, &action_id, &version, poll)?;
        progress("Deployed", &format!("Action `{}` version {}", desired.name, version.number));
        deployed_version = Some(version.number);
    }
    let bindings_changed = bind(client, desired, &action_id, plan, progress)?;
    Ok(ApplyReport { action_id, deployed_version, bindings_changed, writes: client.writes() })
}

fn secrets_body(names: &[String], values: &SecretValues) -> Result<Vec<Value>, DeployError> {
    names
        .iter()
        .map(|name| {
            let value = values.get(name).ok_or_else(|| {
                DeployError::config(
                    format!("no value for secret {name}"),
                    "set it in the environment or the secrets file",
                )
            })?;
            Ok(json!({ "name": name, "value": value.expose() }))
        })
        .collect()
}

/// `POST /actions/actions`. A create is not blindly retried after a 5xx or timeout (it may have
/// landed): we look the Action up by name first and only create again if it is not there.
fn create(client: &Client, desired: &Desired, secrets: Option<Vec<Value>>) -> Result<Action, DeployError> {
    let mut body = json!({
        "name": desired.name,
        "supported_triggers": [desired.trigger],
        "code": desired.code,
        "runtime": desired.runtime,
        "dependencies": [],
    });
    if let Some(secrets) = secrets {
        body["secrets"] = Value::Array(secrets);
    }
    let mut attempts = 0;
    loop {
        match client.post("/actions/actions", &body, Idempotent::No) {
            Ok(value) => return model::parse(value, "POST", "/actions/actions"),
            Err(e) if e.is_retryable() && attempts < 2 => {
                attempts += 1;
                if let Some(action) = model::find_action(client, &desired.name)? {
                    return Ok(action);
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// Polls until the draft is `built`. `failed` stops with [`DeployError::BuildFailed`].
fn wait_built(client: &Client, name: &str, id: &str, poll: PollPolicy) -> Result<(), DeployError> {
    wait(poll, &format!("the build of Action `{name}`"), || {
        let action = model::get_action(client, id)?;
        match action.status.as_str() {
            "built" => Ok(true),
            "failed" => Err(DeployError::BuildFailed { action: name.to_string() }),
            // pending, building, packaged, retrying: keep polling.
            _ => Ok(false),
        }
    })
}

fn deploy(client: &Client, id: &str) -> Result<Version, DeployError> {
    let path = format!("/actions/actions/{id}/deploy");
    // A repeated deploy of the same built draft only mints an extra version number, so it is
    // safe to retry after a 5xx.
    let value = client.post(&path, &json!({}), Idempotent::Yes)?;
    model::parse(value, "POST", &path)
}

/// The deploy answer says `deployed: false`; the version is live once a GET shows it deployed.
fn wait_deployed(client: &Client, id: &str, version: &Version, poll: PollPolicy) -> Result<(), DeployError> {
    wait(poll, &format!("version {} to be deployed", version.number), || {
        let action = model::get_action(client, id)?;
        Ok(action.deployed_version.is_some_and(|v| v.id == version.id && v.deployed))
    })
}

fn wait(poll: PollPolicy, what: &str, mut done: impl FnMut() -> Result<bool, DeployError>) -> Result<(), DeployError> {
    let started = Instant::now();
    let mut pause = poll.initial;
    loop {
        if done()? {
            return Ok(());
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
    let live = model::read_bindings(client, trigger)?;
    let step = place(desired, Some(action_id), &live, authoritative, &mut Vec::new())?;
    if !step.changes() {
        return Ok(false);
    }
    let body: Vec<Value> = step
        .after
        .iter()
        .map(|e| {
            let id = e.action_id.as_deref().unwrap_or(action_id);
            json!({ "ref": { "type": "action_id", "value": id }, "display_name": e.display_name })
        })
        .collect();
    client.patch(&format!("/actions/triggers/{trigger}/bindings"), &json!({ "bindings": body }))?;
    let expected: Vec<String> =
        step.after.iter().map(|e| e.action_id.clone().unwrap_or_else(|| action_id.into())).collect();
    let found_bindings = model::read_bindings(client, trigger)?;
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
