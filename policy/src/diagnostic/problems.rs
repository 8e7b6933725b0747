//! Every kind of problem the compiler reports: one type per [`Code`], holding what the problem is
//! about and wording its message, label and help. A code with several messages is an enum, one
//! variant per message.
//!
//! The types are in the order of the stages that report them; the words are part of the
//! interface (tests, the CLI's snapshots and users' scripts read them): change them only on
//! purpose.

use action_core::ir;
use auth0_platform::{mfa, scopes};

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
            Self::MissingExpect => {
                let help = "list the exact decisions, e.g. `expect = [{ type = \"add_scope\", scope = \"express_configure:sso\" }]`";
                Text::new("missing `expect` in a `[[test]]`", "this test").help(help)
            }
            Self::Decision { error } => {
                let help = "decisions are written as in `actionkit explain --json`, e.g. `{ type = \"deny\", reason = \"Access denied\" }`; types: set_claim, add_scope, remove_scope, deny, fail, multifactor_enable, challenge_with, enroll_with";
                Text::new(format!("invalid expected decision: {error}"), "not a decision").help(help)
            }
        }
    }
}

/// `policy::invalid-attribute`: an `[attributes]` entry whose type or path is invalid.
#[derive(Debug, Clone)]
pub(crate) enum InvalidAttribute {
    /// The type string does not parse.
    Type {
        /// The attribute path.
        path: String,
        /// The type string.
        ty: String,
        /// What the type parser expected.
        error: String,
    },
    /// A prefix of the path has a type without fields.
    NotAnObject {
        /// The attribute path.
        path: String,
        /// The prefix.
        prefix: String,
        /// Its type.
        ty: String,
    },
    /// The path names a built-in field of another type.
    Conflict {
        /// The attribute path.
        path: String,
        /// The built-in type.
        builtin: String,
    },
}

impl Problem for InvalidAttribute {
    const CODE: Code = Code::InvalidAttribute;

    fn text(&self) -> Text {
        match self {
            Self::Type { path, ty, error } => {
                let help = "types are bool, int, string, dyn, list<T>, map<string, T> and {field: T, other: T?}; add `?` when the attribute may be absent";
                Text::new(format!("invalid type `{ty}` for attribute `{path}`: {error}"), "here").help(help)
            }
            Self::NotAnObject { path, prefix, ty } => {
                Text::new(format!("cannot declare `{path}`: `{prefix}` is `{ty}`"), "this attribute")
                    .help("only objects and maps have fields")
            }
            Self::Conflict { path, builtin } => {
                let message = format!("`{path}` is already declared by the Auth0 event schema as `{builtin}`");
                Text::new(message, "this attribute").help("remove the entry, or declare a field below it")
            }
        }
    }
}

/// `policy::unknown-attribute`: an attribute that is neither in the Auth0 event schema nor in
/// `[attributes]`.
#[derive(Debug, Clone)]
pub(crate) enum UnknownAttribute {
    /// An `[attributes]` path whose first segment is not a field of the event.
    Declared {
        /// The attribute path.
        path: String,
        /// The top-level field closest to its first segment, if close enough.
        suggestion: Option<String>,
    },
    /// A top-level name in an expression.
    TopLevel {
        /// The name.
        name: String,
        /// Where the expression is: ``rule `admins` ``, ...
        context: String,
        /// The top-level field or variable closest to it, if close enough.
        suggestion: Option<String>,
    },
    /// `domain_aliases` in a policy without a `[domain_aliases]` section.
    DomainAliasesWithoutSection {
        /// Where the expression is.
        context: String,
    },
    /// A field of an object in an expression.
    Field {
        /// The object, as written.
        operand: String,
        /// The field.
        field: String,
        /// Where the expression is.
        context: String,
        /// Whether the object is open (`map<string, dyn>`): its keys are declared in
        /// `[attributes]` rather than known from the event schema.
        open: bool,
        /// The fields the object has.
        fields: Vec<String>,
        /// The field closest to `field`, if close enough.
        suggestion: Option<String>,
    },
}

impl Problem for UnknownAttribute {
    const CODE: Code = Code::UnknownAttribute;

    fn text(&self) -> Text {
        match self {
            Self::Declared { path, suggestion } => {
                let fields = "attribute paths start with a field of the post-login event: user, client, organization, request, ...";
                Text::new(format!("unknown attribute `{path}`"), "this attribute")
                    .help(suggestion_or(suggestion, || fields.to_string()))
            }
            Self::TopLevel { name, context, suggestion } => {
                let fields = "top-level attributes are the fields of the post-login event: user, client, organization, resource_server, request, authentication, ...";
                Text::new(format!("unknown attribute `{name}` in {context}"), "not in the event schema")
                    .help(suggestion_or(suggestion, || fields.to_string()))
            }
            Self::DomainAliasesWithoutSection { context } => Text::new(
                format!("`domain_aliases` in {context} needs a `[domain_aliases]` section"),
                "the organization's domains are read by [domain_aliases]",
            )
            .help("add `[domain_aliases]` with `metadata_key = \"domains\"` (the organization metadata key that lists them)"),
            Self::Field { operand, field, context, open, fields, suggestion } => {
                let path = format!("{operand}.{field}");
                let help = match (suggestion, open) {
                    (Some(s), _) => format!("did you mean `{operand}.{s}`?"),
                    (None, true) => format!("declare its type in `[attributes]`, e.g. `\"{path}\" = \"string?\"`"),
                    (None, false) => format!("the fields of `{operand}` are: {}", fields.join(", ")),
                };
                let label = if *open { "not declared in [attributes]" } else { "not declared in the event schema" };
                Text::new(format!("unknown attribute `{path}` in {context}"), label).help(help)
            }
        }
    }
}

/// `policy::invalid-rule-id`: a rule id outside `[a-z0-9_-]+`.
#[derive(Debug, Clone)]
pub(crate) struct InvalidRuleId {
    /// The id.
    pub id: String,
}

impl Problem for InvalidRuleId {
    const CODE: Code = Code::InvalidRuleId;

    fn text(&self) -> Text {
        Text::new(format!("invalid rule id `{}`", self.id), "not [a-z0-9_-]+")
            .help(format!("use lowercase letters, digits, `-` and `_`, e.g. `{}`", slug(&self.id)))
    }
}

/// A valid rule id made of `id`: for the help of [`InvalidRuleId`].
fn slug(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "my-rule".into()
    } else {
        s
    }
}

/// `policy::duplicate-rule-id`: two rules share an id.
#[derive(Debug, Clone)]
pub(crate) struct DuplicateRuleId {
    /// The id.
    pub id: String,
}

impl Problem for DuplicateRuleId {
    const CODE: Code = Code::DuplicateRuleId;

    fn text(&self) -> Text {
        Text::new(format!("duplicate rule id `{}`", self.id), "used by an earlier rule")
            .help("give every rule a unique id: traces and tests refer to rules by id")
    }
}

/// `policy::invalid-scope`: a scope that Auth0 would reject.
#[derive(Debug, Clone)]
pub(crate) struct InvalidScope {
    /// The scope.
    pub scope: String,
}

impl Problem for InvalidScope {
    const CODE: Code = Code::InvalidScope;

    fn text(&self) -> Text {
        Text::new(format!("invalid scope `{}`", self.scope), "not a scope").help(format!(
            "a scope is 1 to {} characters without whitespace, e.g. `express_configure:sso`",
            scopes::MAX_SCOPE_CHARS
        ))
    }
}

/// `policy::rule-without-effect` (a warning): a rule that does nothing when it holds.
#[derive(Debug, Clone)]
pub(crate) struct RuleWithoutEffect {
    /// The rule's id.
    pub id: String,
}

impl Problem for RuleWithoutEffect {
    const CODE: Code = Code::RuleWithoutEffect;
    const WARNING: bool = true;

    fn text(&self) -> Text {
        Text::new(format!("rule `{}` has no effect", self.id), "does nothing when it holds")
            .help("add `grant`, `forbid`, `deny`, `mfa = true` or a `[[rule.claim]]`")
    }
}

/// `policy::invalid-factor`: an MFA provider or factor Auth0 does not know.
#[derive(Debug, Clone)]
pub(crate) enum InvalidFactor {
    /// `[mfa] provider`.
    Provider {
        /// The provider as written.
        name: String,
        /// The provider closest to it, if close enough.
        suggestion: Option<String>,
    },
    /// An entry of `[mfa] challenge`.
    Factor {
        /// The factor as written.
        name: String,
        /// The factor closest to it, if close enough.
        suggestion: Option<String>,
    },
}

impl Problem for InvalidFactor {
    const CODE: Code = Code::InvalidFactor;

    fn text(&self) -> Text {
        match self {
            Self::Provider { name, suggestion } => Text::new(
                format!("unknown MFA provider `{name}`"),
                "not an Auth0 MFA provider",
            )
            .help(suggestion_or(suggestion, || {
                format!("use one of: {}, or `false` to skip `api.multifactor.enable`", mfa::PROVIDERS.join(", "))
            })),
            Self::Factor { name, suggestion } => {
                Text::new(format!("unknown MFA factor `{name}`"), "not an Auth0 factor type")
                    .help(suggestion_or(suggestion, || format!("use one of: {}", mfa::FACTORS.join(", "))))
            }
        }
    }
}

/// `policy::too-many-mfa-commands`: more MFA commands than Auth0 allows in one flow.
#[derive(Debug, Clone)]
pub(crate) struct TooManyMfaCommands {
    /// How many the policy would run.
    pub commands: usize,
}

impl Problem for TooManyMfaCommands {
    const CODE: Code = Code::TooManyMfaCommands;

    fn text(&self) -> Text {
        Text::new(
            format!("{} MFA commands in one flow, Auth0 allows at most {}", self.commands, mfa::MAX_COMMANDS),
            "too many factors",
        )
        .help(format!(
            "Auth0 runs at most {} `challengeWith`/`enrollWith` commands per login; challenge fewer factors",
            mfa::MAX_COMMANDS
        ))
    }
}

/// `policy::restricted-claim`: a claim name Auth0 silently drops.
#[derive(Debug, Clone)]
pub(crate) enum RestrictedClaim {
    /// An empty name.
    Empty,
    /// A name Auth0 reserves.
    Restricted {
        /// The claim name.
        name: String,
    },
    /// A name in one of Auth0's own namespaces.
    Auth0Namespace {
        /// The claim name.
        name: String,
    },
}

impl Problem for RestrictedClaim {
    const CODE: Code = Code::RestrictedClaim;

    fn text(&self) -> Text {
        match self {
            Self::Empty => {
                Text::new("empty claim name", "empty").help("name the claim, e.g. `https://example.com/roles`")
            }
            Self::Restricted { name } => {
                Text::new(format!("claim `{name}` is restricted by Auth0"), "Auth0 silently drops this claim")
                    .help(format!("use a namespaced name, e.g. `https://example.com/{name}`"))
            }
            Self::Auth0Namespace { name } => Text::new(
                format!("claim `{name}` uses an Auth0 namespace"),
                "Auth0 silently drops claims in its own namespaces",
            )
            .help("use a namespace you own, e.g. `https://example.com/...`"),
        }
    }
}

/// `policy::profile-claim` (a warning): a claim name Auth0 only releases with its OIDC scope.
#[derive(Debug, Clone)]
pub(crate) struct ProfileClaim {
    /// The claim name.
    pub name: String,
}

impl Problem for ProfileClaim {
    const CODE: Code = Code::ProfileClaim;
    const WARNING: bool = true;

    fn text(&self) -> Text {
        let name = &self.name;
        Text::new(format!("claim `{name}` is an OIDC profile claim"), "released only when its scope is requested").help(
            format!(
                "Auth0 includes `{name}` only with the matching OIDC scope; use a namespaced name to always include it"
            ),
        )
    }
}

/// `policy::secret-in-claim` (a warning): a claim value that reads a secret; tokens are readable
/// by their holders.
#[derive(Debug, Clone)]
pub(crate) struct SecretInClaim {
    /// The claim name.
    pub claim: String,
    /// The path read: `secrets` or `secrets.NAME`.
    pub secret: String,
}

impl Problem for SecretInClaim {
    const CODE: Code = Code::SecretInClaim;
    const WARNING: bool = true;

    fn text(&self) -> Text {
        Text::new(format!("claim `{}` reads `{}`", self.claim, self.secret), "copies a secret into a token")
            .help("tokens are readable by the application and the user: keep secrets out of claim values")
    }
}

/// `policy::scope-typo` (a warning): a scope close to an Express Configure scope but not one, which
/// Okta would never request, so the rule would never give what it was meant to.
#[derive(Debug, Clone)]
pub(crate) struct ScopeTypo {
    /// The scope as written.
    pub scope: String,
    /// The Express Configure scope it is closest to.
    pub suggestion: String,
}

impl Problem for ScopeTypo {
    const CODE: Code = Code::ScopeTypo;
    const WARNING: bool = true;

    fn text(&self) -> Text {
        Text::new(format!("scope `{}` is not an Express Configure scope", self.scope), "Okta never requests this scope")
            .help(format!(
                "did you mean `{}`? Okta requests {}",
                self.suggestion,
                auth0_platform::express::SCOPES.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" and ")
            ))
    }
}

/// `policy::literal-deny` (a warning): `deny = "organization.metadata.blocked"` is that text, not
/// the attribute's value; a reason computed at login is written `deny = { reason = '...' }`.
#[derive(Debug, Clone)]
pub(crate) struct LiteralDeny {
    /// The reason as written.
    pub text: String,
}

impl Problem for LiteralDeny {
    const CODE: Code = Code::LiteralDeny;
    const WARNING: bool = true;

    fn text(&self) -> Text {
        Text::new(
            format!("the deny reason is the text `{}`, not the value of that attribute", self.text),
            "shown to the application as written",
        )
        .help(format!("to deny with the attribute's value, write `deny = {{ reason = '{}' }}`", self.text))
    }
}

/// `policy::restriction-may-fail` (a warning): a rule that restricts (forbid, deny, MFA) reads an
/// attribute of unknown type, so an unexpected value fails its condition; the restriction then
/// applies (fail closed), which the author should know and may want named.
#[derive(Debug, Clone)]
pub(crate) struct RestrictionMayFail {
    /// The rule.
    pub rule: String,
    /// The `dyn` attribute it reads.
    pub path: String,
}

impl Problem for RestrictionMayFail {
    const CODE: Code = Code::RestrictionMayFail;
    const WARNING: bool = true;

    fn text(&self) -> Text {
        let Self { rule, path } = self;
        Text::new(
            format!("the condition of rule `{rule}` can fail at run time: `{path}` is `dyn`"),
            "a value of an unexpected type fails this condition, and the rule's restriction then applies",
        )
        .help(format!(
            "declare its type in `[attributes]` (e.g. `\"{path}\" = \"bool?\"`) so values are checked and failures named; \
             `on_error = \"skip\"` lets the restriction lapse instead"
        ))
    }
}

/// `policy::cel-syntax`: a CEL expression that does not parse.
#[derive(Debug, Clone)]
pub(crate) enum CelSyntax {
    /// What the CEL parser says.
    Parser {
        /// Where the expression is: ``rule `admins` ``, ...
        context: String,
        /// The CEL parser's message.
        message: String,
    },
    /// A token another language would accept, and the CEL for it.
    Mistake {
        /// Where the expression is.
        context: String,
        /// The token and its CEL.
        mistake: crate::cel::Mistake,
    },
}

impl Problem for CelSyntax {
    const CODE: Code = Code::CelSyntax;

    fn text(&self) -> Text {
        match self {
            Self::Parser { context, message } => {
                Text::new(format!("invalid CEL in {context}: {}", lowercase_first(message)), "syntax error").help(
                    "the condition language is CEL: `has(user.app_metadata.is_admin) && user.app_metadata.is_admin == true`",
                )
            }
            Self::Mistake { context, mistake } => {
                let crate::cel::Mistake { found, instead, why } = mistake;
                Text::new(format!("invalid CEL in {context}: `{found}` is not CEL"), format!("write `{instead}`"))
                    .help(format!("{why}: write `{instead}` here"))
            }
        }
    }
}

/// The CEL parser's messages start with a capital; ours continue a sentence.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `policy::type-mismatch`: an operator or function applied to operands it does not accept.
///
/// Types are shown as the checker writes them (`string`, `list<int>`, ...); `context` says where
/// the expression is: ``rule `admins` ``, ...
#[derive(Debug, Clone)]
pub(crate) enum TypeMismatch {
    /// A computed deny reason that is not a `string`.
    NotAReason {
        /// Where the reason is.
        context: String,
        /// Its type.
        ty: String,
    },
    /// A condition that is not a `bool`.
    NotACondition {
        /// Where the condition is.
        context: String,
        /// Its type.
        ty: String,
    },
    /// An operand of a boolean operator that is not a `bool`.
    NotBool {
        /// The operator: `&&`, `!`, `?:`, `exists`, ...
        operator: String,
        /// The operand's type.
        ty: String,
        /// Where the expression is.
        context: String,
    },
    /// A key given twice in a map literal.
    DuplicateMapKey {
        /// The key.
        key: String,
        /// Where the expression is.
        context: String,
    },
    /// A field selected from a value without fields.
    NoFields {
        /// The field.
        field: String,
        /// The value, as written.
        operand: String,
        /// Its type.
        ty: String,
        /// Where the expression is.
        context: String,
    },
    /// A function called with the wrong number of arguments.
    Arity {
        /// The function.
        function: String,
        /// How many it takes.
        want: usize,
        /// How many it got.
        got: usize,
        /// Where the expression is.
        context: String,
    },
    /// An operator or function applied to operands of types it does not take.
    NoOverload {
        /// The operator or function: `==`, `+`, `[]`, `size`, ...
        operator: String,
        /// The operands' types.
        types: Vec<String>,
        /// Where the expression is.
        context: String,
    },
    /// `has()` of a field of a value without fields.
    HasOnNoFields {
        /// The value, as written.
        operand: String,
        /// Its type.
        ty: String,
        /// Where the expression is.
        context: String,
    },
    /// `has()` of something else than a field selection.
    HasArgument {
        /// Where the expression is.
        context: String,
    },
    /// A method called as a function.
    MethodAsFunction {
        /// The method.
        method: String,
        /// What it is called on.
        receiver: Receiver,
        /// Where the expression is.
        context: String,
    },
    /// `exists` or `all` whose first argument is not a variable name.
    QuantifierVariable {
        /// `exists` or `all`.
        quantifier: String,
        /// Where the expression is.
        context: String,
    },
}

/// What a method is called on, for the help of [`TypeMismatch::MethodAsFunction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Receiver {
    /// `startsWith`, `endsWith`, `contains`, `lowerAscii`.
    String,
    /// `exists`, `all`.
    List,
}

impl Problem for TypeMismatch {
    const CODE: Code = Code::TypeMismatch;

    fn text(&self) -> Text {
        match self {
            Self::NotAReason { context, ty } => {
                Text::new(format!("the deny reason of {context} is `{ty}`, not `string`"), "must be a string")
                    .help("a deny reason is text, e.g. `deny = { reason = 'organization.metadata.block_reason' }`")
            }
            Self::NotACondition { context, ty } => {
                Text::new(format!("the condition of {context} is `{ty}`, not `bool`"), "must be a bool")
                    .help("a condition must be true or false, e.g. `size(user.email) > 0`")
            }
            Self::NotBool { operator, ty, context } => Text::new(
                format!("`{operator}` expects a `bool`, found `{ty}` in {context}"),
                format!("this is `{ty}`"),
            )
            .help("compare it to get a bool, e.g. `x == 1` or `size(x) > 0`"),
            Self::DuplicateMapKey { key, context } => {
                Text::new(format!("duplicate map key `{key}` in {context}"), "already used in this map")
                    .help("give every key once")
            }
            Self::NoFields { field, operand, ty, context } => Text::new(
                format!("cannot select `{field}` from a `{ty}` in {context}"),
                format!("`{operand}` is `{ty}`"),
            )
            .help("only maps and objects have fields"),
            Self::Arity { function, want, got, context } => Text::new(
                format!(
                    "`{function}` takes {want} argument{}, not {got}, in {context}",
                    if *want == 1 { "" } else { "s" }
                ),
                "wrong number of arguments",
            )
            .help(format!("see the `{function}` entry in docs/policy.md")),
            Self::NoOverload { operator, types, context } => {
                let shown: Vec<String> = types.iter().map(|t| format!("`{t}`")).collect();
                let op = operator.as_str();
                Text::new(
                    format!("no matching overload for `{op}` on {} in {context}", shown.join(" and ")),
                    "types do not match",
                )
                .help(match op {
                    "<" | "<=" | ">" | ">=" => "compare two ints, two strings or two bools".into(),
                    "+" => "`+` adds ints, concatenates strings or concatenates lists".into(),
                    "==" | "!=" => "compare values of the same type".into(),
                    "in" => "`in` tests membership in a list or the keys of a map".into(),
                    "size" => "`size` works on strings, lists and maps".into(),
                    "[]" => "index lists with ints and maps with strings".into(),
                    "startsWith" | "endsWith" | "contains" => format!("`{op}` works on two strings"),
                    "lowerAscii" => "`lowerAscii` works on strings".into(),
                    "exists" | "all" => format!("`{op}` iterates over a list or the keys of a map"),
                    _ => format!("`{op}` works on ints"),
                })
            }
            Self::HasOnNoFields { operand, ty, context } => Text::new(
                format!("`has()` cannot test a field of a `{ty}` in {context}"),
                format!("`{operand}` is `{ty}`"),
            )
            .help("`has()` tests a field of a map or object"),
            Self::HasArgument { context } => {
                Text::new(format!("invalid argument to `has()` in {context}"), "not a field selection")
                    .help("`has()` takes a field selection, e.g. `has(user.app_metadata.is_admin)`")
            }
            Self::MethodAsFunction { method, receiver, context } => {
                Text::new(format!("`{method}` is a method in {context}"), "called as a function").help(match receiver {
                    Receiver::String => format!("call it on a string: `user.email.{method}(...)`"),
                    Receiver::List => format!("call it on a list: `list.{method}(x, predicate)`"),
                })
            }
            Self::QuantifierVariable { quantifier, context } => Text::new(
                format!("the first argument of `{quantifier}` must be a variable name in {context}"),
                "not a name",
            )
            .help(format!("e.g. `user.enrolledFactors.{quantifier}(f, f.type == \"otp\")`")),
        }
    }
}

/// `policy::unguarded-optional`: an optional attribute read without a `has()` guard.
#[derive(Debug, Clone)]
pub(crate) struct UnguardedOptional {
    /// The attribute, as written.
    pub path: String,
    /// The whole expression it is read in, for the help's example.
    pub expression: String,
    /// Where the expression is: ``rule `admins` ``, ...
    pub context: String,
    /// How to guard it where it is read.
    pub guard: Guard,
}

/// How the help of [`UnguardedOptional`] guards the attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Guard {
    /// In a condition: a `has()` on the same `&&` chain.
    Conjunct,
    /// In a value (a claim, a deny reason): `has(x) ? value : default`.
    Default {
        /// The default as written in the example (`""`, `0`, ... or `DEFAULT`).
        default: String,
    },
}

impl Problem for UnguardedOptional {
    const CODE: Code = Code::UnguardedOptional;

    fn text(&self) -> Text {
        let Self { path, expression, context, guard } = self;
        // A long expression would drown the example: it is elided.
        let shown = if expression.len() <= 100 { expression.as_str() } else { "..." };
        let help = match guard {
            Guard::Conjunct => format!("guard it on the same `&&` chain: `has({path}) && {shown}`"),
            Guard::Default { default } => {
                format!("give it a value for when it is absent: `has({path}) ? {shown} : {default}`")
            }
        };
        Text::new(format!("optional attribute `{path}` is read without a `has()` guard in {context}"), "may be absent")
            .help(help)
    }
}

/// `policy::unsupported-feature`: a CEL feature outside the subset the engine runs.
#[derive(Debug, Clone)]
pub(crate) enum UnsupportedFeature {
    /// A feature of CEL the policy language leaves out.
    Feature {
        /// The feature.
        feature: CelFeature,
        /// Where the expression is: ``rule `admins` ``, ...
        context: String,
    },
    /// A map literal key that is not a string literal.
    MapKey {
        /// Where the expression is.
        context: String,
    },
    /// A function the policy language does not have.
    UnknownFunction {
        /// The function.
        name: String,
        /// Where the expression is.
        context: String,
        /// The functions of the policy language.
        functions: &'static [&'static str],
        /// The function closest to `name`, if close enough.
        suggestion: Option<String>,
    },
    /// A checked policy that lowering cannot translate (a checker bug, reported rather than
    /// panicking). Reported without a span.
    Unlowerable {
        /// Lowering's own message.
        message: String,
    },
}

/// A feature of CEL outside the policy language, for [`UnsupportedFeature::Feature`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CelFeature {
    /// `1.5`
    FloatingPoint,
    /// `1u`
    Unsigned,
    /// `b"x"`
    Bytes,
    /// `Type{field: value}`
    MessageConstruction,
    /// Any other expression form.
    OtherExpression,
    /// `matches`
    RegularExpressions,
    /// `map`, `filter`, `exists_one`, ...
    Macro {
        /// The macro.
        name: String,
    },
    /// `timestamp`, `duration` and their accessors.
    Time,
    /// `int(...)`, `string(...)`, ...
    Conversion {
        /// The conversion function.
        name: String,
    },
    /// `x.?y`, `optional.of`, ...
    Optional,
}

impl Problem for UnsupportedFeature {
    const CODE: Code = Code::UnsupportedFeature;

    fn text(&self) -> Text {
        match self {
            Self::Feature { feature, context } => {
                let (feature, help): (String, &str) = match feature {
                    CelFeature::FloatingPoint => ("floating-point numbers".into(), "use integers"),
                    CelFeature::Unsigned => ("unsigned integers".into(), "drop the `u` suffix"),
                    CelFeature::Bytes => ("bytes literals".into(), "use a string"),
                    CelFeature::MessageConstruction => {
                        ("message construction".into(), "use a map literal `{\"key\": value}`")
                    }
                    CelFeature::OtherExpression => {
                        ("this kind of expression".into(), "use the subset listed in docs/policy.md")
                    }
                    CelFeature::RegularExpressions => {
                        ("regular expressions (`matches`)".into(), "use `startsWith`, `endsWith` or `contains`")
                    }
                    CelFeature::Macro { name } => (format!("the `{name}` macro"), "use `exists` or `all`"),
                    CelFeature::Time => (
                        "timestamps and durations".into(),
                        "compare the ISO strings, e.g. `user.created_at < \"2024-01-01\"`",
                    ),
                    CelFeature::Conversion { name } => (
                        format!("type conversions (`{name}`)"),
                        "attributes already have the types declared in [attributes]",
                    ),
                    CelFeature::Optional => ("optional values".into(), "use `has()`"),
                };
                Text::new(format!("unsupported CEL feature in {context}: {feature}"), "not supported").help(help)
            }
            Self::MapKey { context } => {
                Text::new(format!("map keys must be string literals in {context}"), "not a string literal")
                    .help("write the key as a quoted string, e.g. `{\"roles\": user.app_metadata.roles}`")
            }
            Self::UnknownFunction { name, context, functions, suggestion } => {
                Text::new(format!("unknown function `{name}` in {context}"), "not in the policy language").help(
                    suggestion_or(suggestion, || {
                        format!("the functions of the policy language are: {}", functions.join(", "))
                    }),
                )
            }
            Self::Unlowerable { message } => Text::unlabelled(message.clone()),
        }
    }
}

/// `policy::expression-too-deep`: an expression nested deeper than the engine accepts.
#[derive(Debug, Clone)]
pub(crate) enum ExpressionTooDeep {
    /// One expression of the policy.
    Nested {
        /// Where the expression is: ``rule `admins` ``, ...
        context: String,
        /// How deep it nests.
        height: usize,
    },
    /// The compiled policy as a whole, which the engine's decoder refuses. Reported without a
    /// span.
    RefusedByEngine {
        /// The decoder's message.
        reason: String,
    },
}

impl Problem for ExpressionTooDeep {
    const CODE: Code = Code::ExpressionTooDeep;

    fn text(&self) -> Text {
        match self {
            Self::Nested { context, height } => Text::new(
                format!("{context} nests {height} levels deep, the engine accepts {}", ir::MAX_EXPR_DEPTH),
                "too deeply nested",
            )
            .help("split the condition over several rules, or flatten it"),
            Self::RefusedByEngine { reason } => {
                Text::unlabelled(format!("the compiled policy is refused by the engine: {reason}"))
            }
        }
    }
}
