//! Every kind of problem the compiler reports: one type per [`Code`], holding what the problem is
//! about and wording its message, label and help. A code with several messages is an enum, one
//! variant per message.
//!
//! The types are in the order of the codes; the words are part of the interface (tests, the
//! CLI's snapshots and users' scripts read them): change them only on purpose.

use super::{Code, Problem, Text};

/// "did you mean `x`?" for a close name, else `otherwise`.
fn suggestion_or(suggestion: &Option<String>, otherwise: impl FnOnce() -> String) -> String {
    suggestion.as_ref().map_or_else(otherwise, |s| format!("did you mean `{s}`?"))
}

/// `policy::toml-syntax`: the file is not valid TOML.
#[derive(Debug, Clone)]
pub(crate) struct TomlSyntax {
    /// The TOML parser's message.
    pub message: String,
}

impl Problem for TomlSyntax {
    const CODE: Code = Code::TomlSyntax;

    fn text(&self) -> Text {
        // The parser's message is a paragraph ending in a period: its first line reads as ours.
        let first_line = self.message.lines().next().unwrap_or("").trim_end_matches('.');
        Text::new(format!("invalid TOML: {first_line}"), "here")
    }
}

/// `policy::unsupported-version`: `version` is missing or not 1.
#[derive(Debug, Clone)]
pub(crate) enum UnsupportedVersion {
    /// No `version`.
    Missing,
    /// A `version` other than 1.
    Unsupported {
        /// The value as written.
        written: String,
    },
}

impl Problem for UnsupportedVersion {
    const CODE: Code = Code::UnsupportedVersion;

    fn text(&self) -> Text {
        match self {
            Self::Missing => {
                Text::new("missing `version`", "the file starts here").help("add `version = 1` as the first line")
            }
            Self::Unsupported { written } => Text::new(format!("unsupported policy version `{written}`"), "expected 1")
                .help("this actionkit reads policy format `version = 1`"),
        }
    }
}

/// `policy::unknown-key`: a key the format does not define.
#[derive(Debug, Clone)]
pub(crate) struct UnknownKey {
    /// The key.
    pub key: String,
    /// Where it is: `the policy file`, `[api]`, `[[rule]]`, ...
    pub table: &'static str,
    /// The keys of that table.
    pub allowed: &'static [&'static str],
    /// The allowed key closest to `key`, if close enough.
    pub suggestion: Option<String>,
}

impl Problem for UnknownKey {
    const CODE: Code = Code::UnknownKey;

    fn text(&self) -> Text {
        let Self { key, table, allowed, suggestion } = self;
        Text::new(format!("unknown key `{key}` in {table}"), "not part of the policy format")
            .help(suggestion_or(suggestion, || format!("the keys of {table} are: {}", allowed.join(", "))))
    }
}

/// `policy::missing-key`: a required key is missing.
#[derive(Debug, Clone)]
pub(crate) enum MissingKey {
    /// No `[api]` table.
    Api,
    /// `[api]` without `identifier`.
    ApiIdentifier,
    /// A `[[rule]]` without `id`.
    RuleId,
    /// A `[[rule]]` without `when`.
    RuleWhen {
        /// The rule's id, if it has one.
        rule: Option<String>,
    },
    /// A `[[rule.claim]]` without `value`.
    ClaimValue,
    /// A table without a required string.
    Key {
        /// The key.
        key: &'static str,
        /// The table: `[[rule.claim]]`, `[[test]]`.
        table: &'static str,
    },
}

impl Problem for MissingKey {
    const CODE: Code = Code::MissingKey;

    fn text(&self) -> Text {
        match self {
            Self::Api => Text::new("missing `[api]`", "the file starts here")
                .help("add `[api]` with `identifier = \"urn:auth0:express-configure\"`"),
            Self::ApiIdentifier => Text::new("missing `identifier` in `[api]`", "this table")
                .help("add `identifier = \"urn:auth0:express-configure\"`"),
            Self::RuleId => Text::new("missing `id` in a `[[rule]]`", "this rule")
                .help("give every rule a unique id, e.g. `id = \"admins-can-configure\"`"),
            Self::RuleWhen { rule } => {
                Text::new(format!("missing `when` in rule `{}`", rule.as_deref().unwrap_or("?")), "this rule")
                    .help("add a condition, e.g. `when = 'true'` to apply the rule to every request")
            }
            Self::ClaimValue => Text::new("missing `value` in a `[[rule.claim]]`", "this claim")
                .help("add a CEL value, e.g. `value = 'user.email'`"),
            Self::Key { key, table } => Text::new(format!("missing `{key}` in a `{table}`"), "this table")
                .help(format!("add `{key} = \"...\"`")),
        }
    }
}

/// `policy::invalid-value`: a value of the wrong kind, or outside its allowed set.
#[derive(Debug, Clone)]
pub(crate) enum InvalidValue {
    /// A value of the wrong kind.
    WrongKind {
        /// The key (or the attribute path, in `[attributes]`).
        key: String,
        /// What it must be: `a string`, `an array of strings`, ...
        expected: String,
        /// What it is: `an integer`, `a table`, ...
        found: &'static str,
    },
    /// A string outside its allowed set.
    NotAllowed {
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// The allowed values.
        allowed: &'static [&'static str],
        /// The allowed value closest to `value`, if close enough.
        suggestion: Option<String>,
    },
}

impl Problem for InvalidValue {
    const CODE: Code = Code::InvalidValue;

    fn text(&self) -> Text {
        match self {
            Self::WrongKind { key, expected, found } => {
                Text::new(format!("`{key}` must be {expected}, not {found}"), format!("expected {expected}"))
            }
            Self::NotAllowed { key, value, allowed, suggestion } => {
                Text::new(format!("invalid `{key}` value `{value}`"), "not an allowed value")
                    .help(suggestion_or(suggestion, || format!("use one of: {}", allowed.join(", "))))
            }
        }
    }
}

/// `policy::invalid-test`: an inline `[[test]]` that cannot be read.
#[derive(Debug, Clone)]
pub(crate) enum InvalidTest {
    /// No `event`.
    MissingEvent,
    /// No `expect`.
    MissingExpect,
    /// An entry of `expect` that is not a decision.
    Decision {
        /// Why it is not one (serde's message).
        error: String,
    },
}

impl Problem for InvalidTest {
    const CODE: Code = Code::InvalidTest;

    fn text(&self) -> Text {
        match self {
            Self::MissingEvent => Text::new("missing `event` in a `[[test]]`", "this test")
                .help("add the post-login event, e.g. `event = { user = { ... } }`"),
            Self::MissingExpect => Text::new("missing `expect` in a `[[test]]`", "this test").help(
                "list the exact decisions, e.g. `expect = [{ type = \"add_scope\", scope = \"express_configure:sso\" }]`",
            ),
            Self::Decision { error } => Text::new(format!("invalid expected decision: {error}"), "not a decision").help(
                "decisions are written as in `actionkit explain --json`, e.g. `{ type = \"deny\", reason = \"Access denied\" }`; types: set_claim, add_scope, remove_scope, deny, fail, multifactor_enable, challenge_with, enroll_with",
            ),
        }
    }
}
