//! One trigger execution: the bound Actions' instances run in order for one login, with Auth0's
//! flow rules, and what they did assembled into the Outcome. Several Actions in bound order: deny stops later Actions; a throw
//! fails the login and discards that Action's commands; metadata changes are visible to later
//! Actions only; MFA pauses the flow after the Action (simulated as passed with the first usable
//! factor; the login fails when none is usable); a redirect or Form
//! pauses it and resumes in `onContinuePostLogin` of the same Action when the fixture says what
//! the user brings back.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::aggregate::{self, denial_of, factor_type, is_mfa_command, MfaLedger};
use crate::fixture::{format_iso8601, Fixture};
use crate::instance::{ExecInput, Execution, Instance};
use crate::outcome::{
    ActionError, ActionStatus, ActionSummary, Call, MfaState, Outcome, Prompt, Redirect, Stats, Status, TokenState,
    UserChanges,
};
use crate::progress::Progress;
use crate::recorder::{Recorder, SharedRecorder};
use crate::{Action, Limits, RunError};

/// Instantiated Actions in bound order, on the thread that created them (a Boa context stays on
/// its thread; [`crate::Flow`] owns that thread). Instances persist across runs, so module-level
/// state behaves like a warm Auth0 instance.
#[derive(Debug)]
pub(crate) struct Instances {
    instances: Vec<(String, Instance)>,
    limits: Limits,
}

const EXECUTE: &str = "onExecutePostLogin";
const CONTINUE: &str = "onContinuePostLogin";

impl Instances {
    pub(crate) fn new(actions: &[Action], limits: Limits) -> Result<Instances, RunError> {
        if actions.is_empty() {
            return Err(RunError::EmptyFlow);
        }
        let mut instances = Vec::with_capacity(actions.len());
        for action in actions {
            if action.source().len() > limits.max_source_bytes {
                return Err(RunError::SourceTooLarge {
                    name: action.name().to_string(),
                    size: action.source().len(),
                    max: limits.max_source_bytes,
                });
            }
            instances.push((action.name().to_string(), Instance::new(action.source(), action.packages(), &limits)?));
        }
        Ok(Instances { instances, limits })
    }

    /// Runs the flow for one login, reporting each execution's start to `progress` for the
    /// watchdog.
    ///
    /// # Errors
    /// [`RunError::Engine`] when the JS engine breaks; the Actions' failures are in the Outcome.
    pub(crate) fn run(&mut self, fixture: &Fixture, progress: &Progress) -> Result<Outcome, RunError> {
        let started = Instant::now();
        let budget = self.limits.time_budget;
        let scale = self.limits.real_time_scale.max(1);
        // Real time may run `scale` times the budget, and counts 1/`scale` against it.
        let real_budget = budget.checked_mul(scale);
        let budget_ms = u64::try_from(budget.as_millis()).unwrap_or(u64::MAX);
        // A redirect or Form ends one trigger execution; the continuation is another one with a
        // budget of its own, so the budget is counted from the start of the current segment.
        let mut segment = Segment { started, virtual_ms: 0 };
        let recorder = SharedRecorder::default();
        progress.begin(recorder.clone());
        let mut event = normalize(fixture.event().clone());
        let mut cache = Value::Array(Vec::new());
        let mut status = Status::Completed;
        let mut error: Option<ActionError> = None;
        let mut summaries = Vec::new();
        let mut executions = 0;
        let mut virtual_ms = 0u64;
        let mut clock_ms = fixture.clock_ms();
        let mut pending_redirect: Option<Redirect> = None;
        let mut pending_prompt: Option<Prompt> = None;
        let mut stopped = false;
        let mut mfa_ledger = MfaLedger::new(fixture.tenant(), fixture.event().get("user"));

        for (name, engine) in &mut self.instances {
            if stopped {
                summaries.push(ActionSummary {
                    name: name.clone(),
                    entries: Vec::new(),
                    status: ActionStatus::Skipped,
                    calls: 0,
                    persisted_log: None,
                });
                continue;
            }
            let first_call = recorder.lock().calls.len();
            // Calls from here on are not yet persisted; a redirect flushes the earlier ones.
            let mut unflushed_call = first_call;
            let index = summaries.len();
            let mut entries = vec![EXECUTE.to_string()];
            let mut exec_event = event.clone();
            let run = |engine: &mut Instance,
                       entry: &str,
                       ev: &Map<String, Value>,
                       cache: &mut Value,
                       clock_ms: u64,
                       virtual_ms: &mut u64,
                       segment: &Segment| {
                let real_ms = elapsed_ms(segment.started) / u64::from(scale);
                let spent = (*virtual_ms - segment.virtual_ms).saturating_add(real_ms);
                // `None` for a budget too large to be a point in time: no deadline at all.
                let deadline = real_budget.and_then(|b| segment.started.checked_add(b));
                progress.enter(index, entry, deadline, first_call);
                let input = ExecInput {
                    action: name,
                    entry,
                    event: ev,
                    cache: cache.clone(),
                    rules: fixture.rules(),
                    fetch: fixture.fetch_mocks(),
                    modules: fixture.modules(),
                    clock_ms,
                    seed: fixture.seed(),
                    recorder: recorder.clone(),
                    deadline,
                    virtual_budget_ms: budget_ms.saturating_sub(spent),
                    budget_ms,
                };
                let exec: Execution = engine.execute(input)?;
                *cache = exec.cache.clone();
                *virtual_ms += exec.virtual_ms;
                Ok::<Execution, RunError>(exec)
            };
            let mut exec = run(engine, EXECUTE, &exec_event, &mut cache, clock_ms, &mut virtual_ms, &segment)?;
            executions += 1;
            clock_ms += exec.virtual_ms;

            // A redirect or Form pauses the flow; `resume` in the fixture continues it.
            let own_calls: Vec<Call> = recorder.lock().calls[first_call..].to_vec();
            let denied = own_calls.iter().filter(|c| c.effective()).find_map(denial_of);
            let rendered = own_calls.iter().filter(|c| c.effective()).find(|c| c.method == "prompt.render").cloned();
            if exec.error.is_none() && denied.is_none() && exec.redirect.is_some() && !redirectable(&exec_event) {
                // Auth0 cannot redirect here: the authorization fails.
                exec.error = Some(ActionError {
                    location: None,
                    kind: crate::outcome::ErrorKind::Authentication,
                    action: Some(name.clone()),
                    name: None,
                    message: "interaction_required: api.redirect.sendUserTo is not possible for this protocol or with prompt=none".into(),
                });
            }
            if exec.error.is_none() && denied.is_none() && (exec.redirect.is_some() || rendered.is_some()) {
                match fixture.resume() {
                    Some(resume) => {
                        // Pending metadata is flushed before the redirect, so the continuation sees it.
                        apply_updates(&mut exec_event, &own_calls);
                        exec_event = resumed_event(&exec_event, resume, rendered.as_ref());
                        entries.push(CONTINUE.to_string());
                        unflushed_call = recorder.lock().calls.len();
                        segment = Segment { started: Instant::now(), virtual_ms };
                        exec = run(engine, CONTINUE, &exec_event, &mut cache, clock_ms, &mut virtual_ms, &segment)?;
                        executions += 1;
                        clock_ms += exec.virtual_ms;
                    }
                    None => {
                        stopped = true;
                        if let Some(url) = exec.redirect.clone() {
                            status = Status::Redirected;
                            pending_redirect = Some(Redirect { action: name.clone(), url });
                        } else if let Some(call) = rendered {
                            status = Status::Prompted;
                            pending_prompt = Some(Prompt {
                                action: name.clone(),
                                id: call.args.first().cloned().unwrap_or(Value::Null),
                                options: call.args.get(1).cloned().unwrap_or(Value::Null),
                            });
                        }
                    }
                }
            }

            let mut calls: Vec<Call> = recorder.lock().calls[first_call..].to_vec();
            let count = calls.len();
            if let Some(e) = exec.error {
                recorder.lock().discard_from(first_call);
                summaries.push(ActionSummary {
                    name: name.clone(),
                    entries,
                    status: ActionStatus::Failed,
                    calls: count,
                    persisted_log: None,
                });
                status = Status::Failed;
                error = Some(e);
                pending_redirect = None;
                pending_prompt = None;
                stopped = true;
                continue;
            }
            if calls.iter().any(|c| c.effective() && c.method == "authentication.setPrimaryUser") {
                // Auth0 discards the user_metadata an Action sets when it switches the primary
                // user: it belonged to the user switched away from. A redirect already persisted
                // what was set before it.
                let mut recorded = recorder.lock();
                for call in &mut recorded.calls[unflushed_call..] {
                    if call.method == "user.setUserMetadata" {
                        call.discarded = true;
                    }
                }
                calls = recorded.calls[first_call..].to_vec();
            }
            let denied = calls.iter().filter(|c| c.effective()).find_map(denial_of);
            if denied.is_some() {
                summaries.push(ActionSummary {
                    name: name.clone(),
                    entries,
                    status: ActionStatus::Denied,
                    calls: count,
                    persisted_log: None,
                });
                status = Status::Denied;
                pending_redirect = None;
                pending_prompt = None;
                stopped = true;
                continue;
            }
            summaries.push(ActionSummary {
                name: name.clone(),
                entries,
                status: ActionStatus::Completed,
                calls: count,
                persisted_log: None,
            });
            apply_updates(&mut event, &calls);
            // The flow pauses here for the MFA the Action requested (not when a redirect or Form
            // already paused it); a step that cannot happen fails the login.
            if !stopped {
                let passed =
                    pass_mfa_steps(&mut event, &mut mfa_ledger, &calls, clock_ms, &mut recorder.lock().mfa_passed);
                if let Err(message) = passed {
                    status = Status::Failed;
                    error = Some(ActionError {
                        location: None,
                        kind: crate::outcome::ErrorKind::Authentication,
                        action: Some(name.clone()),
                        name: None,
                        message,
                    });
                    stopped = true;
                }
            }
        }

        // The engines keep a handle to the recorder until their next run; take its contents.
        let recorded = std::mem::take(&mut *recorder.lock());
        let mut outcome = assemble(
            fixture,
            recorded,
            Ending { status, error, actions: summaries, redirect: pending_redirect, prompt: pending_prompt },
        );
        outcome.stats = Stats {
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            executions,
            virtual_time_ms: virtual_ms,
            wasm_fuel: self.instances.iter().map(|(_, e)| e.wasm_fuel()).sum(),
        };
        Ok(outcome)
    }
}

/// How the flow ended, before aggregation.
#[derive(Debug)]
pub(crate) struct Ending {
    pub(crate) status: Status,
    pub(crate) error: Option<ActionError>,
    pub(crate) actions: Vec<ActionSummary>,
    pub(crate) redirect: Option<Redirect>,
    pub(crate) prompt: Option<Prompt>,
}

/// The Outcome of a run from what it recorded and how it ended: the final state aggregated from
/// the effective calls. `stats` are left for the caller. Shared by a finished run and the
/// watchdog's answer for an abandoned one, so both read the same.
pub(crate) fn assemble(fixture: &Fixture, recorded: Recorder, ending: Ending) -> Outcome {
    let mfa_passed = recorded.mfa_passed;
    let mut outcome = Outcome {
        status: ending.status,
        error: ending.error,
        calls: recorded.calls,
        logs: recorded.logs,
        fetches: recorded.fetches,
        actions: ending.actions,
        denied: None,
        access_token: TokenState::default(),
        id_token: TokenState::default(),
        dropped_claims: Vec::new(),
        mfa: MfaState::default(),
        redirect: ending.redirect,
        prompt: ending.prompt,
        user: UserChanges::default(),
        primary_user: None,
        recorded_methods: Vec::new(),
        transaction_metadata: Map::new(),
        session: Map::new(),
        refresh_token: Map::new(),
        saml: Map::new(),
        validation_error: None,
        stats: Stats::default(),
    };
    for summary in &mut outcome.actions {
        summary.persisted_log = crate::outcome::persisted_log(&outcome.logs, &summary.name);
    }
    if let Some(Value::Object(metadata)) = fixture.event().get("transaction").and_then(|t| t.get("metadata")) {
        outcome.transaction_metadata = metadata.clone();
    }
    let refresh = fixture.event().get("transaction").and_then(|t| t.get("protocol")).and_then(Value::as_str)
        == Some("oauth2-refresh-token");
    aggregate::aggregate(
        &mut outcome,
        audience_of(fixture.event()).as_deref(),
        refresh,
        &mfa_passed,
        fixture.tenant(),
        fixture.event().get("user"),
    );
    if outcome.error.is_some() && outcome.status != Status::Failed {
        outcome.status = Status::Failed;
    }
    outcome
}

/// Start of the trigger execution the time budget currently counts: real start and the virtual
/// time already spent before it.
#[derive(Debug, Clone, Copy)]
struct Segment {
    started: Instant,
    virtual_ms: u64,
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().min(Duration::from_secs(u64::MAX / 1000)).as_millis()).unwrap_or(u64::MAX)
}

/// Whether Auth0 can redirect this login (the rules of the deprecated `api.redirect.canRedirect`).
fn redirectable(event: &Map<String, Value>) -> bool {
    let protocol = event.get("transaction").and_then(|t| t.get("protocol")).and_then(Value::as_str);
    let prompt =
        event.get("request").and_then(|r| r.get("query")).and_then(|q| q.get("prompt")).and_then(Value::as_str);
    let blocked = ["oauth2-resource-owner", "oauth2-refresh-token", "oauth2-password", "oauth2-webauthn"];
    prompt != Some("none") && !protocol.is_some_and(|p| blocked.contains(&p))
}

/// Fields Auth0 always provides even when a hand-written fixture leaves them out: `secrets`,
/// object-valued user metadata, `request.query`/`request.body`, `transaction.metadata`.
fn normalize(mut event: Map<String, Value>) -> Map<String, Value> {
    for (parent, key) in auth0_platform::event::ALWAYS_PRESENT_OBJECTS {
        let mut object = Some(&mut event);
        for segment in *parent {
            object = match object.and_then(|o| o.get_mut(*segment)) {
                Some(Value::Object(inner)) => Some(inner),
                _ => None,
            };
        }
        if let Some(object) = object {
            object.entry(*key).or_insert_with(|| Value::Object(Map::new()));
        }
    }
    event
}

/// The requested API: `resource_server.identifier`, else the `audience` query parameter.
fn audience_of(event: &Map<String, Value>) -> Option<String> {
    event
        .get("resource_server")
        .and_then(|r| r.get("identifier"))
        .or_else(|| event.get("request").and_then(|r| r.get("query")).and_then(|q| q.get("audience")))
        .and_then(Value::as_str)
        .map(String::from)
}

fn object_at<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(inner) => inner,
        _ => unreachable!("just replaced by an object"),
    }
}

/// Applies one Action's effective commands to the event later Actions see.
fn apply_updates(event: &mut Map<String, Value>, calls: &[Call]) {
    for call in calls.iter().filter(|c| c.effective()) {
        let key = call.args.first().and_then(Value::as_str).map(String::from);
        let value = call.args.get(1).cloned().unwrap_or(Value::Null);
        let set = |target: &mut Map<String, Value>, key: Option<String>, value: Value| {
            if let Some(key) = key {
                if value.is_null() {
                    target.remove(&key);
                } else {
                    target.insert(key, value);
                }
            }
        };
        match call.method.as_str() {
            "user.setAppMetadata" => set(object_at(object_at(event, "user"), "app_metadata"), key, value),
            "user.setUserMetadata" => set(object_at(object_at(event, "user"), "user_metadata"), key, value),
            "transaction.setMetadata" => set(object_at(object_at(event, "transaction"), "metadata"), key, value),
            "session.setMetadata" if event.contains_key("session") => {
                set(object_at(object_at(event, "session"), "metadata"), key, value);
            }
            "session.deleteMetadata" if event.contains_key("session") => {
                object_at(object_at(event, "session"), "metadata").remove(key.as_deref().unwrap_or_default());
            }
            "session.evictMetadata" if event.contains_key("session") => {
                object_at(event, "session").insert("metadata".into(), Value::Object(Map::new()));
            }
            "session.setCookieMode"
                if event.get("session").is_some_and(|s| s.as_object().is_some_and(|o| !o.is_empty())) =>
            {
                object_at(object_at(event, "session"), "cookie")
                    .insert("mode".into(), call.args.first().cloned().unwrap_or(Value::Null));
            }
            "refreshToken.setMetadata" if event.contains_key("refresh_token") => {
                set(object_at(object_at(event, "refresh_token"), "metadata"), key, value);
            }
            "refreshToken.deleteMetadata" if event.contains_key("refresh_token") => {
                object_at(object_at(event, "refresh_token"), "metadata").remove(key.as_deref().unwrap_or_default());
            }
            "refreshToken.evictMetadata" if event.contains_key("refresh_token") => {
                object_at(event, "refresh_token").insert("metadata".into(), Value::Object(Map::new()));
            }
            _ => {}
        }
    }
}

/// Carries out the MFA commands of one completed Action, in order, as steps that pass: each adds
/// `{name: 'mfa', type, timestamp}` to `event.authentication.methods` (and, for an enrollment,
/// the factor to `event.user.enrolledFactors`) with the factor the ledger picked, so later
/// Actions see it, and into `passed` by the command's `seq` for the Outcome. `Err` is why Auth0
/// fails the login instead.
fn pass_mfa_steps(
    event: &mut Map<String, Value>,
    ledger: &mut MfaLedger<'_>,
    calls: &[Call],
    clock_ms: u64,
    passed: &mut BTreeMap<u64, Value>,
) -> Result<(), String> {
    for call in calls.iter().filter(|c| c.effective() && is_mfa_command(&c.method)) {
        let Some(factor) = ledger.resolve(call)? else {
            continue;
        };
        passed.insert(call.seq, factor.clone());
        let kind = factor_type(&factor).map_or(Value::Null, |kind| Value::String(kind.into()));
        let timestamp = format_iso8601(clock_ms as i64);
        let authentication = object_at(event, "authentication");
        let methods = authentication.entry("methods").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(methods) = methods {
            methods.push(json!({ "name": "mfa", "timestamp": timestamp, "type": kind }));
        }
        if call.method.starts_with("authentication.enroll") {
            let user = object_at(event, "user");
            let factors = user.entry("enrolledFactors").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(factors) = factors {
                factors.push(json!({ "type": kind }));
            }
        }
    }
    Ok(())
}

/// The event of the `onContinuePostLogin` execution: a fresh `request` carrying what the user
/// brought back, and `prompt` after a Form.
fn resumed_event(
    event: &Map<String, Value>,
    resume: &crate::fixture::Resume,
    rendered: Option<&Call>,
) -> Map<String, Value> {
    let mut next = event.clone();
    let request = object_at(&mut next, "request");
    request.insert("query".into(), Value::Object(resume.query.clone()));
    request.insert("body".into(), Value::Object(resume.body.clone()));
    request.insert("method".into(), Value::String(if resume.body.is_empty() { "GET" } else { "POST" }.into()));
    if let Some(call) = rendered {
        let vars = call.args.get(1).and_then(|o| o.get("vars")).cloned().unwrap_or(Value::Object(Map::new()));
        next.insert(
            "prompt".into(),
            json!({ "id": call.args.first().cloned().unwrap_or(Value::Null), "fields": resume.fields, "vars": vars }),
        );
    }
    next
}
