//! What one run produced: every recorded effect in order, plus what the effects add up to
//! (the state Auth0 would act on). Serialized as the `--json` Outcome; see `docs/outcome.md`.

use serde::Serialize;
use serde_json::{Map, Value};

/// How the login ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every Action ran and the login goes on.
    Completed,
    /// An Action denied access (`access.deny`, `session.revoke`, `refreshToken.revoke`,
    /// `validation.error`); later Actions were skipped.
    Denied,
    /// An Action threw, rejected, failed to load, hit a limit, or the flow was invalid.
    Failed,
    /// The flow paused on `api.redirect.sendUserTo` and the fixture has no `resume`.
    Redirected,
    /// The flow paused on `api.prompt.render` and the fixture has no `resume`.
    Prompted,
}

/// One `api` call, in call order across all Actions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    /// Position among all recorded events (calls, logs, fetches) of the run.
    pub seq: u64,
    /// The Action that made the call.
    pub action: String,
    /// The method path without `api.`, e.g. `accessToken.setCustomClaim`.
    pub method: String,
    /// The arguments as JSON (`undefined` becomes `null`).
    pub args: Vec<Value>,
    /// The message the method threw (validation failure), if it threw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threw: Option<String>,
    /// True when Auth0 discards this command: the Action later failed, or it is a
    /// `user.setUserMetadata` of an Action that also called `authentication.setPrimaryUser`.
    #[serde(skip_serializing_if = "is_false")]
    pub discarded: bool,
    /// True when made after the handler settled (un-awaited work): Auth0 drops it.
    #[serde(skip_serializing_if = "is_false")]
    pub late: bool,
}

impl Call {
    /// Whether this call counts towards the final state.
    pub fn effective(&self) -> bool {
        self.threw.is_none() && !self.discarded && !self.late
    }
}

/// One console line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    /// Position among all recorded events of the run.
    pub seq: u64,
    /// The Action that logged.
    pub action: String,
    /// `log`, `info`, `warn`, `error`, `debug` or `trace`.
    pub level: String,
    /// The formatted message.
    pub message: String,
}

/// One `fetch` request and how the fixture answered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FetchRecord {
    /// Position among all recorded events of the run.
    pub seq: u64,
    /// The Action that fetched.
    pub action: String,
    /// Upper-case method.
    pub method: String,
    /// Requested URL.
    pub url: String,
    /// Request body, if any (text; absent for a `FormData` body, see `form`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A `FormData` body as its `[name, value]` entries in order: the multipart encoding has a
    /// random boundary, the entries are what the Action decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<Vec<(String, String)>>,
    /// Status of the recorded response, `None` when the request failed.
    pub status: Option<u16>,
    /// Why the request failed (no recorded response, or a recorded network error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What kind of failure ended the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The source does not parse.
    Syntax,
    /// Top-level code threw (re-thrown on every execution).
    Load,
    /// Bad exports: not an object, unknown entry point, non-async handler.
    Signature,
    /// The handler threw or its promise rejected.
    Throw,
    /// An api command aborted the execution (render/redirect conflicts).
    Abort,
    /// The time budget ran out, or the handler never settled.
    Timeout,
    /// A runtime limit stopped runaway code (loop iterations, recursion, stack).
    Limit,
    /// Auth0 would fail the login after the Action (claims over 100 KB, more than 4 MFA commands).
    Authentication,
}

/// The error that failed the login (`error_description` in Auth0's callback).
#[derive(Debug, Clone, Serialize)]
pub struct ActionError {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// The Action it happened in, when it belongs to one.
    pub action: Option<String>,
    /// The thrown value's `name` (`TypeError`, ...), when it is an Error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The message (the thrown value's `message`, or its string form).
    pub message: String,
    /// Where in the Action's source it was thrown, `FILE:LINE:COLUMN` of the code as written, when
    /// the engine knows. For people (`actionkit run`); not part of the Outcome's JSON or its
    /// equality, since Node and Boa place some errors a token apart.
    #[serde(skip)]
    pub location: Option<String>,
}

impl PartialEq for ActionError {
    fn eq(&self, other: &ActionError) -> bool {
        (self.kind, &self.action, &self.name, &self.message) == (other.kind, &other.action, &other.name, &other.message)
    }
}

/// How one Action of the flow ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// The handler resolved.
    Completed,
    /// The handler resolved after denying.
    Denied,
    /// The handler failed; its commands are discarded.
    Failed,
    /// A previous Action stopped the flow.
    Skipped,
}

/// One Action's execution in the flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionSummary {
    /// Action name (file stem).
    pub name: String,
    /// The entry points that ran, in order (`onExecutePostLogin`, then `onContinuePostLogin`).
    pub entries: Vec<String>,
    /// How it ended.
    pub status: ActionStatus,
    /// Number of `api` calls it made.
    pub calls: usize,
    /// What the tenant log ("Action Details") keeps of its console output: the first 256
    /// characters of its lines joined by `\n`; `None` when it logged nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persisted_log: Option<String>,
}

// Auth0 keeps only the first characters of an Action's console output in the tenant log; the
// full capture (256 KiB per execution) only reaches real-time logs.
use auth0_platform::action::PERSISTED_LOG_CHARS;

/// The tenant log's view of `action`'s console output: the first [`PERSISTED_LOG_CHARS`]
/// characters (Unicode scalar values, so a character is never split) of its lines joined by `\n`.
pub(crate) fn persisted_log(logs: &[LogLine], action: &str) -> Option<String> {
    let lines: Vec<&str> = logs.iter().filter(|l| l.action == action).map(|l| l.message.as_str()).collect();
    if lines.is_empty() {
        return None;
    }
    Some(lines.join("\n").chars().take(PERSISTED_LOG_CHARS).collect())
}

/// Why a custom claim will not appear in the token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DroppedClaim {
    /// `access_token` or `id_token`.
    pub token: String,
    /// The claim name.
    pub claim: String,
    /// `restricted_name`, `auth0_namespace` or `auth0_audience`.
    pub reason: String,
}

/// Scope operations on the access token, after "last operation per scope wins".
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScopeChanges {
    /// Scopes added, in first-call order.
    pub added: Vec<String>,
    /// Scopes removed, in first-call order.
    pub removed: Vec<String>,
}

/// The custom claims one token will carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TokenState {
    /// Claim name to value; the last `setCustomClaim` wins.
    pub claims: Map<String, Value>,
    /// Scope changes (access token only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<ScopeChanges>,
}

/// An access denial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Denial {
    /// The Action that denied.
    pub action: String,
    /// The command that denied (`access.deny`, `session.revoke`, ...).
    pub via: String,
    /// The OAuth `error` the application receives.
    pub error: String,
    /// `error_description`.
    pub reason: Value,
}

/// One MFA challenge or enrollment requested with the `authentication` API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MfaStep {
    /// The Action that requested it.
    pub action: String,
    /// `challengeWith`, `challengeWithAny`, `enrollWith` or `enrollWithAny`.
    pub command: String,
    /// The factors offered, default first.
    pub factors: Vec<Value>,
    /// The factor the simulated step passed with: the first one offered that is enabled on the
    /// tenant, enrolled (challenge) or not yet enrolled (enrollment), and not already satisfied
    /// in this transaction. `None` when all usable ones were already satisfied (nothing to do)
    /// or none was usable (the login failed: see the Outcome's `error`).
    pub factor: Option<Value>,
}

/// MFA the login will go through.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MfaState {
    /// The last `multifactor.enable(provider, options)`, as `{provider, options}`; overridden by `steps`.
    pub enable: Option<Value>,
    /// Challenges and enrollments, in order (the flow pauses after each Action that requested some).
    pub steps: Vec<MfaStep>,
}

/// A redirect that paused the flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redirect {
    /// The Action that redirected.
    pub action: String,
    /// The URL, before Auth0 adds `state`.
    pub url: String,
}

/// A Form render that paused the flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prompt {
    /// The Action that rendered.
    pub action: String,
    /// The Form id.
    pub id: Value,
    /// The options (`fields`, `vars`).
    pub options: Value,
}

/// User metadata updates persisted at the end of the flow (`null` = key deleted).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserChanges {
    /// `app_metadata` keys set or deleted.
    pub app_metadata: Map<String, Value>,
    /// `user_metadata` keys set or deleted.
    pub user_metadata: Map<String, Value>,
}

/// Counters and timings of the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Wall-clock time of the whole run in milliseconds (not deterministic; redact in snapshots).
    pub duration_ms: f64,
    /// Number of Action executions (a resume counts as another execution).
    pub executions: usize,
    /// Virtual time the run advanced by timers, in milliseconds.
    pub virtual_time_ms: u64,
    /// wasmi fuel consumed by WebAssembly code, if any ran.
    pub wasm_fuel: u64,
}

/// Everything one run of a flow produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// How the login ended.
    pub status: Status,
    /// The failure, when `status` is `failed`.
    pub error: Option<ActionError>,
    /// Every `api` call in order.
    pub calls: Vec<Call>,
    /// Console output in order.
    pub logs: Vec<LogLine>,
    /// `fetch` requests in order.
    pub fetches: Vec<FetchRecord>,
    /// Per-Action summary, in bound order.
    pub actions: Vec<ActionSummary>,
    /// The denial, if any.
    pub denied: Option<Denial>,
    /// Access token claims and scopes.
    pub access_token: TokenState,
    /// ID token claims.
    pub id_token: TokenState,
    /// Claims Auth0 would silently leave out.
    pub dropped_claims: Vec<DroppedClaim>,
    /// MFA requested.
    pub mfa: MfaState,
    /// The pending redirect, if the flow paused on one.
    pub redirect: Option<Redirect>,
    /// The pending Form, if the flow paused on one.
    pub prompt: Option<Prompt>,
    /// Metadata updates.
    pub user: UserChanges,
    /// `setPrimaryUser` target.
    pub primary_user: Option<String>,
    /// Custom methods recorded with `authentication.recordMethod`.
    pub recorded_methods: Vec<Value>,
    /// Final `event.transaction.metadata`.
    pub transaction_metadata: Map<String, Value>,
    /// Session changes (`expires_at`, `idle_expires_at`, `cookie_mode`, `metadata`).
    pub session: Map<String, Value>,
    /// Refresh-token changes (same keys as `session`).
    pub refresh_token: Map<String, Value>,
    /// SAML response configuration (setter name without `set`, to value; `attributes` map).
    pub saml: Map<String, Value>,
    /// `validation.error(code, message)`, if called.
    pub validation_error: Option<Value>,
    /// Counters and timings.
    pub stats: Stats,
}

impl Outcome {
    /// The Outcome as a JSON value (the `--json` output).
    pub fn to_json(&self) -> Value {
        // Serializing plain data structures into a `Value` cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The effective calls to `method` (not thrown, discarded or late), in order.
    pub fn calls_to<'a>(&'a self, method: &'a str) -> impl Iterator<Item = &'a Call> + 'a {
        self.calls.iter().filter(move |c| c.method == method && c.effective())
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}
