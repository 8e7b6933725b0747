//! Event fixtures: the `event` JSON exactly as Auth0's dashboard tester shows it (secrets inside),
//! optionally wrapped with the harness inputs that the event alone cannot express (recorded
//! `fetch` responses, the clock, the random seed, what the user sends back after a redirect).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

/// Largest fixture accepted, so that a runaway file cannot exhaust memory (Auth0 events are a few KB).
pub const MAX_FIXTURE_BYTES: usize = 8 * 1024 * 1024;

/// Default clock of a fixture without `clock`: 2025-01-01T00:00:00Z, so runs are reproducible.
pub const DEFAULT_CLOCK_MS: u64 = 1_735_689_600_000;

use auth0_platform::secrets::{MAX_NAME_CHARS as MAX_SECRET_NAME_CHARS, MAX_VALUE_CHARS as MAX_SECRET_VALUE_CHARS};

/// Why a fixture could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// The file could not be read.
    #[error("cannot read fixture `{path}`: {error}")]
    Io {
        /// The fixture path.
        path: String,
        /// The I/O error (shown in the message, so it is not also a `source`).
        error: std::io::Error,
    },
    /// The text is not JSON; positions are 1-based.
    #[error("malformed fixture JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json reported, without its position suffix.
        message: String,
    },
    /// The JSON is valid but is not a usable fixture.
    #[error("invalid fixture: {0}")]
    Invalid(String),
    /// The fixture is larger than [`MAX_FIXTURE_BYTES`].
    #[error("fixture is too large ({size} bytes, at most {max})")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A secret that cannot exist in Auth0, so no real login could see it.
    #[error("invalid fixture: secret `{secret}` {problem}")]
    Secret {
        /// Where it is: `event.secrets.NAME` or `modules.MODULE.secrets.NAME`.
        secret: String,
        /// Which limit it breaks.
        problem: SecretProblem,
    },
    /// The code of a declared Actions Module could not be read.
    #[error("cannot read Actions Module `{name}` from `{path}`: {error}")]
    Module {
        /// The module name (`require('actions:NAME')`).
        name: String,
        /// The resolved path of its code.
        path: String,
        /// The I/O error (shown in the message, so it is not also a `source`).
        error: std::io::Error,
    },
}

/// Why Auth0 could not store a secret (section 1.9 of the Auth0 surface reference).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretProblem {
    /// The name is longer than [`MAX_SECRET_NAME_CHARS`].
    #[error("has a name of {chars} characters; Auth0 allows at most {MAX_SECRET_NAME_CHARS}")]
    NameTooLong {
        /// Length of the name in characters.
        chars: usize,
    },
    /// The value is longer than [`MAX_SECRET_VALUE_CHARS`].
    #[error("has a value of {chars} characters; Auth0 allows at most {MAX_SECRET_VALUE_CHARS}")]
    ValueTooLong {
        /// Length of the value in characters.
        chars: usize,
    },
    /// The value is not a string.
    #[error("is not a string; Auth0 secrets are strings of at most {MAX_SECRET_VALUE_CHARS} characters")]
    NotAString,
}

/// One recorded HTTP response that `fetch` answers with instead of touching the network.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchMock {
    /// The request method to match (`GET` when absent; `*` matches any method).
    #[serde(default)]
    pub method: Option<String>,
    /// The exact URL to match.
    pub url: String,
    /// Response status (200 when absent).
    #[serde(default)]
    pub status: Option<u16>,
    /// Response headers.
    #[serde(default)]
    pub headers: Map<String, Value>,
    /// Response body: a string is sent as text, anything else as JSON.
    #[serde(default)]
    pub body: Option<Value>,
    /// Makes the request fail like a network error (`TypeError: fetch failed`) with this cause.
    #[serde(default)]
    pub error: Option<String>,
}

/// What the user brings back to `/continue` after `api.redirect.sendUserTo` or a Form.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    /// `event.request.query` of the resumed execution.
    #[serde(default)]
    pub query: Map<String, Value>,
    /// `event.request.body` of the resumed execution.
    #[serde(default)]
    pub body: Map<String, Value>,
    /// Form field values for `event.prompt.fields` after `api.prompt.render`.
    #[serde(default)]
    pub fields: Map<String, Value>,
}

use auth0_platform::mfa::FACTORS as MFA_FACTORS;

/// Tenant configuration that Auth0 consults but does not put in the event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tenant {
    /// The "Customize MFA Factors using Actions" setting, without which the `challengeWith*` and
    /// `enrollWith*` commands fail the login.
    pub(crate) customize_mfa_factors: bool,
    /// The MFA factor types enabled on the tenant.
    pub(crate) mfa_factors: Vec<String>,
    /// Primary user id → the user ids of its secondary (linked) identities; `None` when the
    /// fixture does not say, so `setPrimaryUser` cannot be checked.
    pub(crate) linked_accounts: Option<Map<String, Value>>,
}

impl Default for Tenant {
    /// What a fixture without `tenant` gets: the setting on and every factor enabled, so MFA
    /// commands depend only on what the user has enrolled; linked accounts unknown.
    fn default() -> Tenant {
        Tenant {
            customize_mfa_factors: true,
            mfa_factors: MFA_FACTORS.iter().map(|f| (*f).to_string()).collect(),
            linked_accounts: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantInput {
    #[serde(default)]
    mfa: Option<TenantMfaInput>,
    #[serde(default)]
    linked_accounts: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantMfaInput {
    #[serde(default)]
    customize_factors_with_actions: Option<bool>,
    #[serde(default)]
    factors: Option<Vec<String>>,
}

impl TenantInput {
    fn into_tenant(self) -> Result<Tenant, FixtureError> {
        let mut tenant = Tenant::default();
        if let Some(mfa) = self.mfa {
            if let Some(on) = mfa.customize_factors_with_actions {
                tenant.customize_mfa_factors = on;
            }
            if let Some(factors) = mfa.factors {
                if let Some(unknown) = factors.iter().find(|f| !MFA_FACTORS.contains(&f.as_str())) {
                    return Err(FixtureError::Invalid(format!(
                        "`tenant.mfa.factors`: unknown factor `{unknown}` (known: {})",
                        MFA_FACTORS.join(", ")
                    )));
                }
                tenant.mfa_factors = factors;
            }
        }
        if let Some(linked) = &self.linked_accounts {
            for (primary, secondaries) in linked {
                let valid = secondaries.as_array().is_some_and(|list| list.iter().all(Value::is_string));
                if !valid {
                    return Err(FixtureError::Invalid(format!(
                        "`tenant.linked_accounts.{primary}` must be a list of user ids (\"provider|id\")"
                    )));
                }
            }
        }
        tenant.linked_accounts = self.linked_accounts;
        Ok(tenant)
    }
}

/// An Actions Module as the fixture declares it: where its code is and its own secrets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleDeclaration {
    /// The module's code, relative to the fixture file.
    path: String,
    #[serde(default)]
    secrets: Map<String, Value>,
}

/// An Actions Module, what `require('actions:NAME')` resolves to: its CommonJS code, which sees
/// `actions.secrets` (its own secrets, not the Action's `event.secrets`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionModule {
    source: String,
    secrets: Map<String, Value>,
}

impl ActionModule {
    /// The module's code.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The module's secrets (`actions.secrets`), name to string value.
    pub fn secrets(&self) -> &Map<String, Value> {
        &self.secrets
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapper {
    event: Value,
    #[serde(default)]
    modules: BTreeMap<String, ModuleDeclaration>,
    #[serde(default)]
    fetch: Vec<FetchMock>,
    #[serde(default)]
    clock: Option<Value>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    resume: Option<Resume>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tenant: Option<TenantInput>,
}

/// A parsed fixture: the event plus the harness inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixture {
    event: Map<String, Value>,
    fetch: Vec<FetchMock>,
    clock_ms: u64,
    seed: u64,
    resume: Option<Resume>,
    rules: Vec<String>,
    description: Option<String>,
    tenant: Tenant,
    modules: BTreeMap<String, ActionModule>,
}

impl Fixture {
    /// A fixture for a bare event object with default clock and seed.
    ///
    /// # Errors
    /// [`FixtureError::Invalid`] when `event` is not an object, [`FixtureError::Secret`] when
    /// `event.secrets` holds a secret Auth0 could not store.
    pub fn from_event(event: Value) -> Result<Fixture, FixtureError> {
        let Value::Object(event) = event else {
            return Err(FixtureError::Invalid("the event must be a JSON object".into()));
        };
        match event.get("secrets") {
            None => {}
            Some(Value::Object(secrets)) => check_secrets(secrets, "event.secrets")?,
            Some(_) => return Err(FixtureError::Invalid("`event.secrets` must be an object of strings".into())),
        }
        Ok(Fixture {
            event,
            fetch: Vec::new(),
            clock_ms: DEFAULT_CLOCK_MS,
            seed: 0,
            resume: None,
            rules: Vec::new(),
            description: None,
            tenant: Tenant::default(),
            modules: BTreeMap::new(),
        })
    }

    /// Parses fixture text: a bare event, or `{"event": {...}, "fetch": [...], "clock": ..., ...}`.
    /// The `path` of a declared Actions Module is relative to the current directory (to the
    /// fixture's directory with [`Fixture::from_file`]).
    ///
    /// # Errors
    /// [`FixtureError::Json`] with the position of malformed JSON, [`FixtureError::Invalid`]
    /// for a well-formed but unusable fixture, [`FixtureError::TooLarge`],
    /// [`FixtureError::Secret`] for a secret Auth0 could not store, [`FixtureError::Module`]
    /// when a module's code cannot be read.
    pub fn parse(text: &str) -> Result<Fixture, FixtureError> {
        Fixture::parse_in(text, Path::new(""))
    }

    /// [`Fixture::parse`] with module paths relative to `base`.
    fn parse_in(text: &str, base: &Path) -> Result<Fixture, FixtureError> {
        if text.len() > MAX_FIXTURE_BYTES {
            return Err(FixtureError::TooLarge { size: text.len(), max: MAX_FIXTURE_BYTES });
        }
        let value: Value = serde_json::from_str(text).map_err(json_error)?;
        let Value::Object(top) = value else {
            return Err(FixtureError::Invalid("a fixture must be a JSON object".into()));
        };
        // The dashboard event never has a top-level `event` key, so its presence marks a wrapper.
        if !top.contains_key("event") {
            return Fixture::from_event(Value::Object(top));
        }
        expect_objects(&top)?;
        // The error names the field it is about (`tenant.mfa.factors`), not just what was wrong.
        let wrapper: Wrapper = serde_path_to_error::deserialize(Value::Object(top)).map_err(|e| {
            let path = e.path().to_string();
            FixtureError::Invalid(format!("`{path}`: {}", e.into_inner()))
        })?;
        let mut fixture = Fixture::from_event(wrapper.event)?;
        fixture.fetch = wrapper.fetch;
        if let Some(clock) = wrapper.clock {
            fixture.clock_ms = parse_clock(&clock)?;
        }
        fixture.seed = wrapper.seed.unwrap_or(0);
        fixture.resume = wrapper.resume;
        fixture.rules = wrapper.rules;
        fixture.description = wrapper.description;
        if let Some(tenant) = wrapper.tenant {
            fixture.tenant = tenant.into_tenant()?;
        }
        for (name, declaration) in wrapper.modules {
            let path = base.join(&declaration.path);
            let module_error =
                |error| FixtureError::Module { name: name.clone(), path: path.display().to_string(), error };
            let source = read_utf8(&path).map_err(module_error)?;
            fixture = fixture.with_module(&name, source, declaration.secrets)?;
        }
        Ok(fixture)
    }

    /// Reads and parses a fixture file.
    ///
    /// # Errors
    /// [`FixtureError::Io`] when unreadable (non-UTF-8 included), otherwise as [`Fixture::parse`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Fixture, FixtureError> {
        let path = path.as_ref();
        let text = read_utf8(path).map_err(|error| FixtureError::Io { path: path.display().to_string(), error })?;
        Fixture::parse_in(&text, path.parent().unwrap_or(Path::new("")))
    }

    /// The event object given to the first Action.
    pub fn event(&self) -> &Map<String, Value> {
        &self.event
    }

    /// The recorded `fetch` responses.
    pub fn fetch_mocks(&self) -> &[FetchMock] {
        &self.fetch
    }

    /// `Date.now()` at the start of the run, in epoch milliseconds.
    pub fn clock_ms(&self) -> u64 {
        self.clock_ms
    }

    /// The seed of `Math.random`.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// What the user sends back after a redirect or Form, if the run should resume.
    pub fn resume(&self) -> Option<&Resume> {
        self.resume.as_ref()
    }

    /// Rule ids that `api.rules.wasExecuted` reports as executed.
    pub fn rules(&self) -> &[String] {
        &self.rules
    }

    /// The fixture's free-text description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The Actions Modules `require('actions:NAME')` resolves, by name.
    pub fn modules(&self) -> &BTreeMap<String, ActionModule> {
        &self.modules
    }

    /// Declares the Actions Module `name` with its code and its own secrets (`actions.secrets`).
    ///
    /// # Errors
    /// [`FixtureError::Invalid`] for an empty name, [`FixtureError::Secret`] for a secret Auth0
    /// could not store.
    pub fn with_module(
        mut self,
        name: &str,
        source: impl Into<String>,
        secrets: Map<String, Value>,
    ) -> Result<Fixture, FixtureError> {
        if name.is_empty() {
            return Err(FixtureError::Invalid("an Actions Module needs a name".into()));
        }
        check_secrets(&secrets, &format!("modules.{name}.secrets"))?;
        self.modules.insert(name.to_string(), ActionModule { source: source.into(), secrets });
        Ok(self)
    }

    /// The tenant configuration the flow consults (MFA settings, linked accounts).
    pub(crate) fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    /// Sets the clock (epoch milliseconds).
    ///
    /// # Errors
    /// [`FixtureError::Invalid`] past [`MAX_CLOCK_MS`].
    pub fn with_clock_ms(mut self, clock_ms: u64) -> Result<Fixture, FixtureError> {
        self.clock_ms = check_clock(clock_ms)?;
        Ok(self)
    }

    /// Adds a recorded `fetch` response.
    pub fn with_fetch(mut self, mock: FetchMock) -> Fixture {
        self.fetch.push(mock);
        self
    }
}

/// Rejects what Auth0 could not store as a secret: names over 128 characters, values over 4096
/// characters or not strings. `prefix` says where the secrets are, for the message.
fn check_secrets(secrets: &Map<String, Value>, prefix: &str) -> Result<(), FixtureError> {
    for (name, value) in secrets {
        let problem = match value {
            _ if name.chars().count() > MAX_SECRET_NAME_CHARS => {
                Some(SecretProblem::NameTooLong { chars: name.chars().count() })
            }
            Value::String(text) if text.chars().count() > MAX_SECRET_VALUE_CHARS => {
                Some(SecretProblem::ValueTooLong { chars: text.chars().count() })
            }
            Value::String(_) => None,
            _ => Some(SecretProblem::NotAString),
        };
        if let Some(problem) = problem {
            return Err(FixtureError::Secret { secret: format!("{prefix}.{name}"), problem });
        }
    }
    Ok(())
}

/// Reads a UTF-8 text file; invalid UTF-8 is an `InvalidData` I/O error.
fn read_utf8(path: &Path) -> Result<String, std::io::Error> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not UTF-8: {e}")))
}

fn json_error(e: serde_json::Error) -> FixtureError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; the position is reported in its own fields.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    // serde_json reports column 0 for an error at the start of a line.
    FixtureError::Json { line: e.line(), column: e.column().max(1), message }
}

/// The wrapper's sections that are objects in the format. serde would also build them from a
/// JSON array (fields in order), which no one writes on purpose: `"tenant": []` must be an
/// error, not a tenant with every default.
fn expect_objects(top: &Map<String, Value>) -> Result<(), FixtureError> {
    let not_object = |path: String| FixtureError::Invalid(format!("`{path}` must be a JSON object"));
    for key in ["tenant", "resume", "modules"] {
        if top.get(key).is_some_and(|v| !v.is_object() && !v.is_null()) {
            return Err(not_object(key.to_string()));
        }
    }
    if top.get("tenant").and_then(|t| t.get("mfa")).is_some_and(|v| !v.is_object() && !v.is_null()) {
        return Err(not_object("tenant.mfa".into()));
    }
    if let Some(Value::Object(modules)) = top.get("modules") {
        if let Some((name, _)) = modules.iter().find(|(_, v)| !v.is_object()) {
            return Err(not_object(format!("modules.{name}")));
        }
    }
    if let Some(Value::Array(mocks)) = top.get("fetch") {
        if let Some(index) = mocks.iter().position(|v| !v.is_object()) {
            return Err(not_object(format!("fetch[{index}]")));
        }
    }
    Ok(())
}

/// Latest clock a fixture may set: the end of JavaScript's `Date` range (year 275760).
pub const MAX_CLOCK_MS: u64 = 8_640_000_000_000_000;

fn check_clock(clock_ms: u64) -> Result<u64, FixtureError> {
    if clock_ms > MAX_CLOCK_MS {
        return Err(FixtureError::Invalid(format!(
            "`clock` {clock_ms} is past the end of JavaScript's Date range ({MAX_CLOCK_MS} ms, year 275760)"
        )));
    }
    Ok(clock_ms)
}

fn parse_clock(clock: &Value) -> Result<u64, FixtureError> {
    match clock {
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| FixtureError::Invalid("`clock` must be non-negative epoch milliseconds".into()))
            .and_then(check_clock),
        Value::String(s) => parse_iso8601(s)
            .ok_or_else(|| FixtureError::Invalid(format!("`clock` is not an ISO 8601 UTC time: `{s}`")))
            .and_then(check_clock),
        _ => Err(FixtureError::Invalid("`clock` must be an ISO 8601 string or epoch milliseconds".into())),
    }
}

/// Parses an RFC 3339 time in UTC, `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC only: fixtures must not
/// depend on the host's zone), to epoch milliseconds; impossible dates (`2024-02-31`) are refused.
pub(crate) fn parse_iso8601(s: &str) -> Option<u64> {
    if !s.ends_with('Z') {
        return None;
    }
    let timestamp: jiff::Timestamp = s.parse().ok()?;
    u64::try_from(timestamp.as_millisecond()).ok()
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (like `Date.prototype.toISOString`
/// for the years fixtures use, 0 to 9999).
pub(crate) fn format_iso8601(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(timestamp) => timestamp.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => "Invalid Date".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_format_round_trips() {
        for ms in [0, DEFAULT_CLOCK_MS, 1_709_209_815_123] {
            assert_eq!(parse_iso8601(&format_iso8601(ms as i64)), Some(ms));
        }
        assert_eq!(format_iso8601(1_709_209_815_123), "2024-02-29T12:30:15.123Z");
    }

    use super::*;

    #[test]
    fn wrapper_errors_name_the_field_and_arrays_are_not_objects() {
        let err = Fixture::parse(r#"{"event": {}, "tenant": {"mfa": {"factors": "otp"}}}"#).expect_err("a string");
        assert!(err.to_string().starts_with("invalid fixture: `tenant.mfa.factors`: invalid type"), "{err}");
        let err = Fixture::parse(r#"{"event": {}, "tenant": []}"#).expect_err("an array");
        assert_eq!(err.to_string(), "invalid fixture: `tenant` must be a JSON object");
        let err = Fixture::parse(r#"{"event": {}, "modules": {"m": ["x.js"]}}"#).expect_err("an array");
        assert_eq!(err.to_string(), "invalid fixture: `modules.m` must be a JSON object");
        let err = Fixture::parse(r#"{"event": {}, "fetch": [{"url": "https://x"}, "y"]}"#).expect_err("a string");
        assert_eq!(err.to_string(), "invalid fixture: `fetch[1]` must be a JSON object");
    }

    #[test]
    fn a_clock_past_the_date_range_is_rejected() {
        let err = Fixture::parse(r#"{"event": {}, "clock": 9000000000000000}"#).expect_err("past the range");
        assert!(err.to_string().contains("past the end of JavaScript's Date range"), "{err}");
        assert!(Fixture::parse(r#"{"event": {}, "clock": 8640000000000000}"#).is_ok());
        assert!(Fixture::from_event(serde_json::json!({})).expect("event").with_clock_ms(u64::MAX).is_err());
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_iso8601("2024-02-31T00:00:00Z"), None);
        assert_eq!(parse_iso8601("2023-02-29T00:00:00Z"), None);
        assert_eq!(parse_iso8601("2024-02-29T00:00:00+02:00"), None, "UTC only");
        assert!(parse_iso8601("2024-02-29T23:59:59.5Z").is_some());
    }

    #[test]
    fn iso_clock_matches_known_epochs() {
        assert_eq!(parse_iso8601("2025-01-01T00:00:00Z"), Some(DEFAULT_CLOCK_MS));
        assert_eq!(parse_iso8601("1970-01-01T00:00:00.5Z"), Some(500));
        assert_eq!(parse_iso8601("2024-02-29T12:30:15.123Z"), Some(1_709_209_815_123));
        assert_eq!(parse_iso8601("2024-02-29T12:30:15+01:00"), None);
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let err = Fixture::parse("{\n  \"user\": {\n    \"user_id\": 1,,\n}").unwrap_err();
        match err {
            FixtureError::Json { line, column, .. } => assert_eq!((line, column), (3, 18)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn wrapper_is_detected_by_event_key() {
        let f = Fixture::parse(r#"{"event": {"user": {}}, "clock": "2026-01-01T00:00:00Z", "seed": 7}"#).unwrap();
        assert!(f.event().contains_key("user"));
        assert_eq!(f.seed(), 7);
        assert_eq!(f.clock_ms(), 1_767_225_600_000);
        let bare = Fixture::parse(r#"{"user": {"user_id": "x"}}"#).unwrap();
        assert_eq!(bare.clock_ms(), DEFAULT_CLOCK_MS);
    }

    #[test]
    fn tenant_defaults_to_every_factor_and_unknown_links() {
        let bare = Fixture::parse(r#"{"user": {"user_id": "x"}}"#).unwrap();
        assert_eq!(bare.tenant(), &Tenant::default());
        assert!(bare.tenant().customize_mfa_factors);
        assert_eq!(bare.tenant().mfa_factors.len(), MFA_FACTORS.len());
        let partial =
            Fixture::parse(r#"{"event": {}, "tenant": {"mfa": {"customize_factors_with_actions": false}}}"#).unwrap();
        assert!(!partial.tenant().customize_mfa_factors);
        assert_eq!(partial.tenant().mfa_factors.len(), MFA_FACTORS.len());
        assert_eq!(partial.tenant().linked_accounts, None);
    }

    #[test]
    fn tenant_typos_are_rejected() {
        let factor = Fixture::parse(r#"{"event": {}, "tenant": {"mfa": {"factors": ["otp", "sms"]}}}"#).unwrap_err();
        assert!(factor.to_string().contains("unknown factor `sms`"), "{factor}");
        let links = Fixture::parse(r#"{"event": {}, "tenant": {"linked_accounts": {"auth0|1": "google-oauth2|2"}}}"#)
            .unwrap_err();
        assert!(links.to_string().contains("tenant.linked_accounts.auth0|1"), "{links}");
        let key = Fixture::parse(r#"{"event": {}, "tenant": {"mfa": {"factor": []}}}"#).unwrap_err();
        assert!(key.to_string().contains("factor"), "{key}");
    }

    #[test]
    fn unknown_wrapper_key_is_rejected() {
        let err = Fixture::parse(r#"{"event": {}, "fecth": []}"#).unwrap_err();
        assert!(err.to_string().contains("fecth"), "{err}");
    }

    fn event_with_secret(name: &str, value: Value) -> Value {
        serde_json::json!({ "user": { "user_id": "auth0|1" }, "secrets": { name: value } })
    }

    #[test]
    fn secrets_at_auth0s_limits_are_accepted() {
        // Characters, not bytes: 4096 two-byte characters are 8192 bytes.
        let name = "N".repeat(MAX_SECRET_NAME_CHARS);
        let fixture = Fixture::from_event(event_with_secret(&name, Value::String("é".repeat(MAX_SECRET_VALUE_CHARS))))
            .expect("secret at the limits");
        assert_eq!(fixture.event()["secrets"][&name].as_str().map(|v| v.chars().count()), Some(MAX_SECRET_VALUE_CHARS));
    }

    #[test]
    fn a_secret_name_over_128_characters_is_rejected_with_its_name() {
        let name = "N".repeat(MAX_SECRET_NAME_CHARS + 1);
        let err = Fixture::from_event(event_with_secret(&name, "v".into())).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(&err, FixtureError::Secret { secret, problem: SecretProblem::NameTooLong { chars: 129 } } if *secret == format!("event.secrets.{name}")),
            "{err:?}"
        );
        assert!(message.contains("at most 128"), "{message}");
    }

    #[test]
    fn a_secret_value_over_4096_characters_is_rejected() {
        let text =
            format!(r#"{{"event": {{"secrets": {{"API_KEY": "{}"}}}}}}"#, "é".repeat(MAX_SECRET_VALUE_CHARS + 1));
        let err = Fixture::parse(&text).unwrap_err();
        assert!(
            matches!(&err, FixtureError::Secret { secret, problem: SecretProblem::ValueTooLong { chars: 4097 } } if secret == "event.secrets.API_KEY"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "invalid fixture: secret `event.secrets.API_KEY` has a value of 4097 characters; Auth0 allows at most 4096"
        );
    }

    #[test]
    fn non_string_secrets_are_rejected() {
        for value in [serde_json::json!(42), serde_json::json!({ "nested": "x" }), Value::Null] {
            let err = Fixture::from_event(event_with_secret("API_KEY", value.clone())).unwrap_err();
            assert!(
                matches!(&err, FixtureError::Secret { secret, problem: SecretProblem::NotAString } if secret == "event.secrets.API_KEY"),
                "{value}: {err:?}"
            );
        }
        let err = Fixture::parse(r#"{"secrets": ["API_KEY"]}"#).unwrap_err();
        assert!(matches!(err, FixtureError::Invalid(ref m) if m.contains("event.secrets")), "{err:?}");
    }

    #[test]
    fn module_secrets_have_the_same_limits() {
        let text = format!(
            r#"{{"event": {{}}, "modules": {{"logger": {{"path": "{}", "secrets": {{"TOKEN": 7}}}}}}}}"#,
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/modules/logger.js")
        );
        let err = Fixture::parse(&text).unwrap_err();
        assert!(
            matches!(&err, FixtureError::Secret { secret, problem: SecretProblem::NotAString } if secret == "modules.logger.secrets.TOKEN"),
            "{err:?}"
        );
        let long = Map::from_iter([("K".repeat(MAX_SECRET_NAME_CHARS + 1), Value::from("v"))]);
        let err = Fixture::from_event(serde_json::json!({})).unwrap().with_module("audit", "", long).unwrap_err();
        assert!(err.to_string().starts_with("invalid fixture: secret `modules.audit.secrets.KKK"), "{err}");
    }

    #[test]
    fn module_paths_are_relative_to_the_fixture_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/actions_modules.declared.json");
        let fixture = Fixture::from_file(path).expect("fixture");
        let logger = &fixture.modules()["logger"];
        assert_eq!(
            logger.source(),
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/modules/logger.js")).unwrap()
        );
        assert!(logger.secrets().contains_key("LOG_PREFIX"), "{:?}", logger.secrets());
    }

    #[test]
    fn an_unreadable_module_names_the_module_and_the_resolved_path() {
        let err =
            Fixture::parse(r#"{"event": {}, "modules": {"audit": {"path": "/nonexistent/audit.js"}}}"#).unwrap_err();
        assert!(
            matches!(&err, FixtureError::Module { name, path, .. } if name == "audit" && path == "/nonexistent/audit.js"),
            "{err:?}"
        );
        let err = Fixture::parse(r#"{"event": {}, "modules": {"audit": {"source": "x"}}}"#).unwrap_err();
        assert!(err.to_string().contains("source"), "{err}");
    }
}
