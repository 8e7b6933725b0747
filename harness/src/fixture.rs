//! Event fixtures: the `event` JSON exactly as Auth0's dashboard tester shows it (secrets inside),
//! optionally wrapped with the harness inputs that the event alone cannot express (recorded
//! `fetch` responses, the clock, the random seed, what the user sends back after a redirect).

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

/// Largest fixture accepted, so that a runaway file cannot exhaust memory (Auth0 events are a few KB).
pub const MAX_FIXTURE_BYTES: usize = 8 * 1024 * 1024;

/// Default clock of a fixture without `clock`: 2025-01-01T00:00:00Z, so runs are reproducible.
pub const DEFAULT_CLOCK_MS: u64 = 1_735_689_600_000;

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapper {
    event: Value,
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
}

impl Fixture {
    /// A fixture for a bare event object with default clock and seed.
    ///
    /// # Errors
    /// [`FixtureError::Invalid`] when `event` is not an object.
    pub fn from_event(event: Value) -> Result<Fixture, FixtureError> {
        let Value::Object(event) = event else {
            return Err(FixtureError::Invalid("the event must be a JSON object".into()));
        };
        Ok(Fixture {
            event,
            fetch: Vec::new(),
            clock_ms: DEFAULT_CLOCK_MS,
            seed: 0,
            resume: None,
            rules: Vec::new(),
            description: None,
        })
    }

    /// Parses fixture text: a bare event, or `{"event": {...}, "fetch": [...], "clock": ..., ...}`.
    ///
    /// # Errors
    /// [`FixtureError::Json`] with the position of malformed JSON, [`FixtureError::Invalid`]
    /// for a well-formed but unusable fixture, [`FixtureError::TooLarge`].
    pub fn parse(text: &str) -> Result<Fixture, FixtureError> {
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
        let wrapper: Wrapper =
            serde_json::from_value(Value::Object(top)).map_err(|e| FixtureError::Invalid(e.to_string()))?;
        let mut fixture = Fixture::from_event(wrapper.event)?;
        fixture.fetch = wrapper.fetch;
        if let Some(clock) = wrapper.clock {
            fixture.clock_ms = parse_clock(&clock)?;
        }
        fixture.seed = wrapper.seed.unwrap_or(0);
        fixture.resume = wrapper.resume;
        fixture.rules = wrapper.rules;
        fixture.description = wrapper.description;
        Ok(fixture)
    }

    /// Reads and parses a fixture file.
    ///
    /// # Errors
    /// [`FixtureError::Io`] when unreadable (non-UTF-8 included), otherwise as [`Fixture::parse`].
    pub fn from_file(path: impl AsRef<Path>) -> Result<Fixture, FixtureError> {
        let path = path.as_ref();
        let io = |error| FixtureError::Io { path: path.display().to_string(), error };
        let bytes = std::fs::read(path).map_err(io)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not UTF-8: {e}"))))?;
        Fixture::parse(&text)
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

    /// Sets the clock (epoch milliseconds).
    pub fn with_clock_ms(mut self, clock_ms: u64) -> Fixture {
        self.clock_ms = clock_ms;
        self
    }

    /// Adds a recorded `fetch` response.
    pub fn with_fetch(mut self, mock: FetchMock) -> Fixture {
        self.fetch.push(mock);
        self
    }
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

fn parse_clock(clock: &Value) -> Result<u64, FixtureError> {
    match clock {
        Value::Number(n) => {
            n.as_u64().ok_or_else(|| FixtureError::Invalid("`clock` must be non-negative epoch milliseconds".into()))
        }
        Value::String(s) => {
            parse_iso8601(s).ok_or_else(|| FixtureError::Invalid(format!("`clock` is not an ISO 8601 UTC time: `{s}`")))
        }
        _ => Err(FixtureError::Invalid("`clock` must be an ISO 8601 string or epoch milliseconds".into())),
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC only: fixtures must not depend on the host's zone).
pub(crate) fn parse_iso8601(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &s[19..];
    let (millis, zone) = match rest.strip_prefix('.') {
        Some(frac) => {
            let digits = frac.chars().take_while(char::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let padded = format!("{:0<3}", &frac[..digits.min(3)]);
            (padded.parse::<i64>().ok()?, &frac[digits..])
        }
        None => (0, rest),
    };
    if zone != "Z" || !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let ms = ((days * 86_400 + h * 3600 + mi * 60 + sec) * 1000) + millis;
    u64::try_from(ms).ok()
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (like `Date.prototype.toISOString`).
pub(crate) fn format_iso8601(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
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
    fn unknown_wrapper_key_is_rejected() {
        let err = Fixture::parse(r#"{"event": {}, "fecth": []}"#).unwrap_err();
        assert!(err.to_string().contains("fecth"), "{err}");
    }
}
