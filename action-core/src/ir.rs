//! The compiled policy: the intermediate representation (IR) that codegen produces from a policy
//! file and the engine runs.
//!
//! The IR travels as compact JSON (it is embedded in the generated Action as a string and read
//! with the engine's own JSON reader, so no second decoder ships in the WASM). Expressions are
//! prefix arrays: `["and", ["has", ["sel", ["root"], "user"], "email"], ...]`. [`encode`] and
//! [`decode`] are exact inverses; `docs/ir.md` documents every form.
//!
//! The IR is trusted only as far as [`decode`] checks it: shapes, operator arity and variable
//! slots are validated, so a corrupted IR is a [`DecodeError`], never a panic or a wrong answer.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::value::{parse_json, write_i64, JsonError, Value};

/// The IR format version this engine reads.
pub const IR_VERSION: i64 = 1;

/// A compiled policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Event attribute paths the policy reads (`user.app_metadata`, `secrets.TENANT_DOMAIN`, ...).
    /// The Action wrapper passes only these parts of the event to the engine.
    pub paths: Vec<String>,
    /// Names of the secrets the policy reads.
    pub secrets: Vec<String>,
    /// Which requests the policy applies to; all others are left untouched.
    pub gate: Gate,
    /// Feature 1: the Okta guide's `sp_client_id` claims.
    pub sp_claims: Option<SpClaims>,
    /// Feature 2: home-realm discovery `domain_aliases` from organization metadata.
    pub domain_aliases: Option<DomainAliases>,
    /// Feature 3: attribute-based scope grants. `None` when no rule grants or forbids scopes.
    pub scopes: Option<Scopes>,
    /// Feature 4: the MFA challenge.
    pub mfa: Option<Mfa>,
    /// The policy's rules, in file order.
    pub rules: Vec<Rule>,
}

/// How the engine recognises a request for the Express Configure API.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// The event field compared with the identifier.
    pub field: GateField,
    /// The API identifier (audience), e.g. `urn:auth0:express-configure`.
    pub api_identifier: String,
}

/// The event field a [`Gate`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateField {
    /// `event.resource_server.identifier` (Auth0 guide snippets).
    ResourceServer,
    /// `event.request.query.audience` (Okta guide snippet).
    AudienceQuery,
}

impl GateField {
    /// The name used in the IR and in policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            GateField::ResourceServer => "resource_server",
            GateField::AudienceQuery => "audience",
        }
    }
}

/// Settings of the `sp_client_id` claims feature.
#[derive(Debug, Clone, PartialEq)]
pub struct SpClaims {
    /// The `client.metadata` key holding the service app's client id.
    pub metadata_key: String,
    /// The secret holding the tenant's base URL (`https://TENANT`); `/api/v2/` is appended.
    pub tenant_domain_secret: String,
    /// The secret holding the service's login initiation URL.
    pub init_login_secret: String,
    /// The message the login fails with when the client id or the organization is missing.
    pub missing_data_message: String,
}

/// Settings of the home-realm discovery feature.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainAliases {
    /// The `organization.metadata` key holding the domains.
    pub metadata_key: String,
    /// The access-token claim to set; its value is `{"domain_aliases": [...]}`.
    pub claim: String,
    /// Domains that are never accepted (public email providers by default).
    pub blocked: Vec<String>,
    /// What to do with a domain that is invalid or blocked.
    pub on_invalid: OnInvalidDomain,
    /// The deny message when `on_invalid` is [`OnInvalidDomain::Deny`].
    pub deny_message: String,
}

/// What happens to an invalid or blocked domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnInvalidDomain {
    /// Leave it out of the claim and note it in the trace.
    Drop,
    /// Deny the login.
    Deny,
}

/// Settings of the scope-grant feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Scopes {
    /// The deny message when no scope is granted for the Express Configure API.
    pub deny_message: String,
}

/// Settings of the MFA feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Mfa {
    /// When to challenge; `None` means every Express Configure request. Rules with `mfa = true`
    /// also trigger the challenge.
    pub when: Option<Expr>,
    /// The provider for `api.multifactor.enable`, or `None` to skip that call.
    pub provider: Option<String>,
    /// Factors challenged unconditionally, in order (`email`, `otp`, ...).
    pub challenge: Vec<String>,
    /// Enrol WebAuthn platform when the user has none, else challenge with it.
    pub webauthn_platform: bool,
}

/// One policy rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The rule's id, unique in the policy.
    pub id: String,
    /// The condition.
    pub when: Expr,
    /// Scopes granted when the condition holds.
    pub grant: Vec<String>,
    /// Scopes forbidden when the condition holds (forbid overrides grant).
    pub forbid: Vec<String>,
    /// Deny the login with this message when the condition holds.
    pub deny: Option<DenyReason>,
    /// Require the MFA challenge when the condition holds.
    pub mfa: bool,
    /// Claims set when the condition holds.
    pub claims: Vec<ClaimRule>,
    /// What a condition that fails to evaluate means for the rule.
    pub on_error: OnError,
}

impl Rule {
    /// Whether the rule has an effect that can only take something away: a forbidden scope, a
    /// denial or the MFA challenge.
    pub fn restricts(&self) -> bool {
        !self.forbid.is_empty() || self.deny.is_some() || self.mfa
    }
}

/// The reason a denying rule gives (`error_description` for the application).
#[derive(Debug, Clone, PartialEq)]
pub enum DenyReason {
    /// A fixed text.
    Text(String),
    /// A string expression evaluated at login time; if it fails or is not a string, the login is
    /// still denied, with [`DEFAULT_DENY_REASON`].
    Computed(Expr),
}

/// The reason of a denial whose computed reason failed.
pub const DEFAULT_DENY_REASON: &str = "Access denied";

/// What a rule's condition that fails to evaluate (a CEL error: a missing key, a value of the
/// wrong type, ...) means. Grants and claims never apply on an error: a login is never given more
/// because its data was unexpected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// The rule's restricting effects (forbid, deny, MFA) apply as if the condition held (fail
    /// closed). The default.
    #[default]
    Restrict,
    /// The rule does not apply at all, restrictions included (`on_error = "skip"` in the policy:
    /// an author's explicit choice to fail open).
    Skip,
}

/// A type declared for an event attribute (by Auth0's event schema or the policy's
/// `[attributes]`), checked at run time where an expression reads the attribute
/// ([`Expr::Typed`]): a value of another type is an evaluation error, so a policy never
/// computes with data it was not checked against.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclaredType {
    /// `bool`
    Bool,
    /// `int` (an integral JSON number)
    Int,
    /// `string`
    String,
    /// Anything, `null` included.
    Dyn,
    /// `list<T>`
    List(Box<DeclaredType>),
    /// `map<string, T>`
    Map(Box<DeclaredType>),
    /// An object with known fields (a record such as `user`): only its being an object is
    /// checked here; each field is checked where it is read, so one bad field never fails
    /// reads of the others.
    Object,
}

impl DeclaredType {
    /// Whether `value` is of this type (`null` only for [`DeclaredType::Dyn`]).
    pub fn admits(&self, value: &Value) -> bool {
        match (self, value) {
            (DeclaredType::Dyn, _)
            | (DeclaredType::Bool, Value::Bool(_))
            | (DeclaredType::Int, Value::Int(_))
            | (DeclaredType::String, Value::Str(_)) => true,
            (DeclaredType::List(item), Value::List(items)) => items.iter().all(|i| item.admits(i)),
            (DeclaredType::Map(item), Value::Map(entries)) => entries.iter().all(|(_, v)| item.admits(v)),
            (DeclaredType::Object, Value::Map(_)) => true,
            _ => false,
        }
    }

    /// The type as the policy file writes it (`list<string>`, `map<string, int>`, `{...}`).
    pub fn write(&self, out: &mut String) {
        match self {
            DeclaredType::Bool => out.push_str("bool"),
            DeclaredType::Int => out.push_str("int"),
            DeclaredType::String => out.push_str("string"),
            DeclaredType::Dyn => out.push_str("dyn"),
            DeclaredType::List(item) => {
                out.push_str("list<");
                item.write(out);
                out.push('>');
            }
            DeclaredType::Map(item) => {
                out.push_str("map<string, ");
                item.write(out);
                out.push('>');
            }
            DeclaredType::Object => out.push_str("object"),
        }
    }
}

/// A claim set by a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRule {
    /// Which tokens get the claim.
    pub tokens: Tokens,
    /// The claim name.
    pub name: String,
    /// The claim value.
    pub value: Expr,
}

/// Which tokens a claim goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokens {
    /// The access token only.
    Access,
    /// The ID token only.
    Id,
    /// Both tokens (access first).
    Both,
}

impl Tokens {
    /// The name used in the IR and in policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Tokens::Access => "access",
            Tokens::Id => "id",
            Tokens::Both => "both",
        }
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs, reason = "each variant is the CEL operator of the same name")]
pub enum BinOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    In,
    StartsWith,
    EndsWith,
    Contains,
    /// `s.split(sep)`: the parts of `s` between the separators
    Split,
}

impl BinOp {
    const ALL: [(BinOp, &'static str); 16] = [
        (BinOp::Eq, "eq"),
        (BinOp::Ne, "ne"),
        (BinOp::Lt, "lt"),
        (BinOp::Le, "le"),
        (BinOp::Gt, "gt"),
        (BinOp::Ge, "ge"),
        (BinOp::Add, "add"),
        (BinOp::Sub, "sub"),
        (BinOp::Mul, "mul"),
        (BinOp::Div, "div"),
        (BinOp::Mod, "mod"),
        (BinOp::In, "in"),
        (BinOp::StartsWith, "startsWith"),
        (BinOp::EndsWith, "endsWith"),
        (BinOp::Contains, "contains"),
        (BinOp::Split, "split"),
    ];

    /// The operator's IR name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(op, _)| *op == self).map_or("?", |(_, name)| name)
    }

    fn from_name(name: &str) -> Option<BinOp> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(op, _)| *op)
    }
}

/// A unary operator or function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `!x`
    Not,
    /// `-x`
    Neg,
    /// `size(x)`
    Size,
    /// `x.lowerAscii()`
    LowerAscii,
    /// `x.trim()`: leading and trailing whitespace removed
    Trim,
    /// `x.emailDomain()`: the domain of an email address, trimmed and lower-cased
    EmailDomain,
}

impl UnOp {
    const ALL: [(UnOp, &'static str); 6] = [
        (UnOp::Not, "not"),
        (UnOp::Neg, "neg"),
        (UnOp::Size, "size"),
        (UnOp::LowerAscii, "lowerAscii"),
        (UnOp::Trim, "trim"),
        (UnOp::EmailDomain, "emailDomain"),
    ];

    /// The operator's IR name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(op, _)| *op == self).map_or("?", |(_, name)| name)
    }

    fn from_name(name: &str) -> Option<UnOp> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(op, _)| *op)
    }
}

/// A comprehension macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `range.exists(x, pred)`
    Exists,
    /// `range.all(x, pred)`
    All,
}

/// An expression of the CEL subset, after checking and lowering.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant.
    Lit(Value),
    /// The (pruned) event: the root that top-level identifiers select from.
    Root,
    /// The organization's home-realm-discovery domains, as the `[domain_aliases]` feature reads
    /// them (normalised, blocked ones left out): `domain_aliases` in a policy.
    DomainAliases,
    /// A comprehension variable, by slot (0 = outermost comprehension).
    Var(u32),
    /// A list literal.
    List(Vec<Expr>),
    /// A map literal with string keys.
    Map(Vec<(String, Expr)>),
    /// `e.field`
    Select(Box<Expr>, String),
    /// `has(e.field)`
    Has(Box<Expr>, String),
    /// A read of an event attribute whose value must be of the declared type (see
    /// [`DeclaredType`]); the expression is the attribute's selection from [`Expr::Root`].
    Typed(Box<Expr>, DeclaredType),
    /// `e[key]`
    Index(Box<Expr>, Box<Expr>),
    /// A unary operator or function.
    Unary(UnOp, Box<Expr>),
    /// A binary operator or method.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a && b`
    And(Box<Expr>, Box<Expr>),
    /// `a || b`
    Or(Box<Expr>, Box<Expr>),
    /// `c ? a : b`
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `range.exists(v, pred)` / `range.all(v, pred)`; the variable is bound to `slot`.
    Quantified {
        /// Which macro.
        quantifier: Quantifier,
        /// The list or map iterated (maps iterate over keys).
        range: Box<Expr>,
        /// The slot of the iteration variable.
        slot: u32,
        /// The predicate.
        predicate: Box<Expr>,
    },
}

/// Why an IR text could not be decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeError {
    /// The text is not JSON.
    Json(JsonError),
    /// The JSON does not have the IR's shape; the string says where.
    Shape(String),
    /// The IR was written for another engine version.
    Version(i64),
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::Json(e) => write!(f, "policy IR is not valid JSON: {e}"),
            DecodeError::Shape(at) => write!(f, "policy IR is malformed at {at}"),
            DecodeError::Version(v) => {
                write!(f, "policy IR version {v} is not supported (this engine reads {IR_VERSION})")
            }
        }
    }
}

impl core::error::Error for DecodeError {}

impl DecodeError {
    /// A message built without `core::fmt`, for the WASM engine.
    pub fn message(&self) -> String {
        let mut out = String::from("policy IR ");
        match self {
            DecodeError::Json(e) => {
                out.push_str("is not valid JSON: ");
                out.push_str(e.kind.message());
            }
            DecodeError::Shape(at) => {
                out.push_str("is malformed at ");
                out.push_str(at);
            }
            DecodeError::Version(v) => {
                out.push_str("version ");
                write_i64(*v, &mut out);
                out.push_str(" is not supported");
            }
        }
        out
    }
}

/// How deeply expressions may nest; bounds the evaluator's recursion.
pub const MAX_EXPR_DEPTH: usize = 64;

// ---------------------------------------------------------------------------------------------
// Encoding (native: codegen writes the IR)

/// Encodes a policy as IR JSON text.
pub fn encode(policy: &Policy) -> String {
    encode_value(policy).to_json()
}

fn s(text: &str) -> Value {
    Value::Str(String::from(text))
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (String::from(k), v)).collect())
}

fn opt<T>(value: &Option<T>, f: impl Fn(&T) -> Value) -> Value {
    value.as_ref().map_or(Value::Null, f)
}

fn encode_value(p: &Policy) -> Value {
    map(alloc::vec![
        ("v", Value::Int(IR_VERSION)),
        ("paths", strings(&p.paths)),
        ("secrets", strings(&p.secrets)),
        ("gate", map(alloc::vec![("field", s(p.gate.field.as_str())), ("api", s(&p.gate.api_identifier)),]),),
        (
            "sp_claims",
            opt(&p.sp_claims, |c| {
                map(alloc::vec![
                    ("metadata_key", s(&c.metadata_key)),
                    ("tenant_domain_secret", s(&c.tenant_domain_secret)),
                    ("init_login_secret", s(&c.init_login_secret)),
                    ("message", s(&c.missing_data_message)),
                ])
            }),
        ),
        (
            "domain_aliases",
            opt(&p.domain_aliases, |d| {
                map(alloc::vec![
                    ("metadata_key", s(&d.metadata_key)),
                    ("claim", s(&d.claim)),
                    ("blocked", strings(&d.blocked)),
                    (
                        "on_invalid",
                        s(match d.on_invalid {
                            OnInvalidDomain::Drop => "drop",
                            OnInvalidDomain::Deny => "deny",
                        }),
                    ),
                    ("deny_message", s(&d.deny_message)),
                ])
            }),
        ),
        ("scopes", opt(&p.scopes, |sc| map(alloc::vec![("deny_message", s(&sc.deny_message))]))),
        (
            "mfa",
            opt(&p.mfa, |m| {
                map(alloc::vec![
                    ("when", opt(&m.when, encode_expr)),
                    ("provider", opt(&m.provider, |p| s(p))),
                    ("challenge", strings(&m.challenge)),
                    ("webauthn_platform", Value::Bool(m.webauthn_platform)),
                ])
            }),
        ),
        ("rules", Value::List(p.rules.iter().map(encode_rule).collect())),
    ])
}

fn encode_rule(r: &Rule) -> Value {
    map(alloc::vec![
        ("id", s(&r.id)),
        ("when", encode_expr(&r.when)),
        ("grant", strings(&r.grant)),
        ("forbid", strings(&r.forbid)),
        (
            "deny",
            opt(&r.deny, |d| match d {
                DenyReason::Text(text) => s(text),
                DenyReason::Computed(expr) => encode_expr(expr),
            }),
        ),
        ("mfa", Value::Bool(r.mfa)),
        (
            "on_error",
            s(match r.on_error {
                OnError::Restrict => "restrict",
                OnError::Skip => "skip",
            }),
        ),
        (
            "claims",
            Value::List(
                r.claims
                    .iter()
                    .map(|c| {
                        map(alloc::vec![
                            ("tokens", s(c.tokens.as_str())),
                            ("name", s(&c.name)),
                            ("value", encode_expr(&c.value)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

fn node(op: &str, args: impl IntoIterator<Item = Value>) -> Value {
    let mut items = alloc::vec![s(op)];
    items.extend(args);
    Value::List(items)
}

/// Encodes one expression as its IR JSON value.
pub fn encode_expr(e: &Expr) -> Value {
    match e {
        Expr::Lit(v) => node("lit", [v.clone()]),
        Expr::Root => node("root", []),
        Expr::DomainAliases => node("domain_aliases", []),
        Expr::Var(slot) => node("var", [Value::Int(i64::from(*slot))]),
        Expr::List(items) => node("list", items.iter().map(encode_expr)),
        Expr::Map(entries) => node("map", entries.iter().flat_map(|(k, v)| [s(k), encode_expr(v)])),
        Expr::Select(e, field) => node("sel", [encode_expr(e), s(field)]),
        Expr::Has(e, field) => node("has", [encode_expr(e), s(field)]),
        Expr::Typed(e, ty) => node("typed", [encode_expr(e), encode_type(ty)]),
        Expr::Index(e, k) => node("idx", [encode_expr(e), encode_expr(k)]),
        Expr::Unary(op, e) => node(op.name(), [encode_expr(e)]),
        Expr::Binary(op, a, b) => node(op.name(), [encode_expr(a), encode_expr(b)]),
        Expr::And(a, b) => node("and", [encode_expr(a), encode_expr(b)]),
        Expr::Or(a, b) => node("or", [encode_expr(a), encode_expr(b)]),
        Expr::Cond(c, a, b) => node("cond", [encode_expr(c), encode_expr(a), encode_expr(b)]),
        Expr::Quantified { quantifier, range, slot, predicate } => node(
            match quantifier {
                Quantifier::Exists => "exists",
                Quantifier::All => "all",
            },
            [encode_expr(range), Value::Int(i64::from(*slot)), encode_expr(predicate)],
        ),
    }
}

/// Encodes a declared type: `"bool"`, `"int"`, `"string"`, `"dyn"`, `"object"`, `["list", T]`,
/// `["map", T]`.
fn encode_type(ty: &DeclaredType) -> Value {
    match ty {
        DeclaredType::Bool => s("bool"),
        DeclaredType::Int => s("int"),
        DeclaredType::String => s("string"),
        DeclaredType::Dyn => s("dyn"),
        DeclaredType::List(item) => Value::List(alloc::vec![s("list"), encode_type(item)]),
        DeclaredType::Map(item) => Value::List(alloc::vec![s("map"), encode_type(item)]),
        DeclaredType::Object => s("object"),
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding (native and WASM)

/// Decodes IR JSON text into a [`Policy`].
///
/// # Errors
///
/// [`DecodeError`] when the text is not JSON, has the wrong shape, has the wrong version, nests
/// deeper than [`MAX_EXPR_DEPTH`] or uses a variable slot outside its comprehension.
pub fn decode(text: &[u8]) -> Result<Policy, DecodeError> {
    let value = parse_json(text).map_err(DecodeError::Json)?;
    let version = match value.get("v") {
        Some(Value::Int(v)) => *v,
        _ => return Err(shape("v")),
    };
    if version != IR_VERSION {
        return Err(DecodeError::Version(version));
    }
    let gate = field(&value, "gate")?;
    let gate = Gate {
        field: match string(gate, "field")?.as_str() {
            "resource_server" => GateField::ResourceServer,
            "audience" => GateField::AudienceQuery,
            _ => return Err(shape("gate.field")),
        },
        api_identifier: string(gate, "api")?,
    };
    let sp_claims = optional(&value, "sp_claims", |c| {
        Ok(SpClaims {
            metadata_key: string(c, "metadata_key")?,
            tenant_domain_secret: string(c, "tenant_domain_secret")?,
            init_login_secret: string(c, "init_login_secret")?,
            missing_data_message: string(c, "message")?,
        })
    })?;
    let domain_aliases = optional(&value, "domain_aliases", |d| {
        Ok(DomainAliases {
            metadata_key: string(d, "metadata_key")?,
            claim: string(d, "claim")?,
            blocked: string_list(d, "blocked")?,
            on_invalid: match string(d, "on_invalid")?.as_str() {
                "drop" => OnInvalidDomain::Drop,
                "deny" => OnInvalidDomain::Deny,
                _ => return Err(shape("domain_aliases.on_invalid")),
            },
            deny_message: string(d, "deny_message")?,
        })
    })?;
    let scopes = optional(&value, "scopes", |sc| Ok(Scopes { deny_message: string(sc, "deny_message")? }))?;
    let mfa = optional(&value, "mfa", |m| {
        Ok(Mfa {
            when: optional(m, "when", |e| decode_expr(e, 0, 0))?,
            provider: optional(m, "provider", |p| match p {
                Value::Str(p) => Ok(p.clone()),
                _ => Err(shape("mfa.provider")),
            })?,
            challenge: string_list(m, "challenge")?,
            webauthn_platform: boolean(m, "webauthn_platform")?,
        })
    })?;
    let rules = match field(&value, "rules")? {
        Value::List(rules) => rules.iter().map(decode_rule).collect::<Result<Vec<_>, _>>()?,
        _ => return Err(shape("rules")),
    };
    Ok(Policy {
        paths: string_list(&value, "paths")?,
        secrets: string_list(&value, "secrets")?,
        gate,
        sp_claims,
        domain_aliases,
        scopes,
        mfa,
        rules,
    })
}

fn shape(at: &str) -> DecodeError {
    DecodeError::Shape(String::from(at))
}

fn field<'a>(value: &'a Value, key: &str) -> Result<&'a Value, DecodeError> {
    value.get(key).ok_or_else(|| shape(key))
}

fn string(value: &Value, key: &str) -> Result<String, DecodeError> {
    match value.get(key) {
        Some(Value::Str(s)) => Ok(s.clone()),
        _ => Err(shape(key)),
    }
}

fn boolean(value: &Value, key: &str) -> Result<bool, DecodeError> {
    match value.get(key) {
        Some(Value::Bool(b)) => Ok(*b),
        _ => Err(shape(key)),
    }
}

fn string_list(value: &Value, key: &str) -> Result<Vec<String>, DecodeError> {
    match value.get(key) {
        Some(Value::List(items)) => {
            items.iter().map(|i| i.as_str().map(String::from).ok_or_else(|| shape(key))).collect()
        }
        _ => Err(shape(key)),
    }
}

fn optional<T>(
    value: &Value,
    key: &str,
    f: impl FnOnce(&Value) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => f(v).map(Some),
    }
}

fn decode_rule(value: &Value) -> Result<Rule, DecodeError> {
    let claims = match field(value, "claims")? {
        Value::List(claims) => claims
            .iter()
            .map(|c| {
                Ok(ClaimRule {
                    tokens: match string(c, "tokens")?.as_str() {
                        "access" => Tokens::Access,
                        "id" => Tokens::Id,
                        "both" => Tokens::Both,
                        _ => return Err(shape("claims.tokens")),
                    },
                    name: string(c, "name")?,
                    value: decode_expr(field(c, "value")?, 0, 0)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(shape("claims")),
    };
    Ok(Rule {
        id: string(value, "id")?,
        when: decode_expr(field(value, "when")?, 0, 0)?,
        grant: string_list(value, "grant")?,
        forbid: string_list(value, "forbid")?,
        deny: optional(value, "deny", |d| match d {
            Value::Str(text) => Ok(DenyReason::Text(text.clone())),
            expr @ Value::List(_) => decode_expr(expr, 0, 0).map(DenyReason::Computed),
            _ => Err(shape("deny")),
        })?,
        mfa: boolean(value, "mfa")?,
        claims,
        on_error: match value.get("on_error") {
            None => OnError::Restrict,
            Some(Value::Str(s)) if s == "restrict" => OnError::Restrict,
            Some(Value::Str(s)) if s == "skip" => OnError::Skip,
            Some(_) => return Err(shape("on_error")),
        },
    })
}

/// Decodes a declared type (see `encode_type`), nested at most [`MAX_EXPR_DEPTH`] deep.
fn decode_type(value: &Value, depth: usize) -> Result<DeclaredType, DecodeError> {
    let bad = || shape("type");
    if depth > MAX_EXPR_DEPTH {
        return Err(bad());
    }
    match value {
        Value::Str(name) => match name.as_str() {
            "bool" => Ok(DeclaredType::Bool),
            "int" => Ok(DeclaredType::Int),
            "string" => Ok(DeclaredType::String),
            "dyn" => Ok(DeclaredType::Dyn),
            "object" => Ok(DeclaredType::Object),
            _ => Err(bad()),
        },
        Value::List(items) => match items.split_first() {
            Some((Value::Str(kind), [item])) if kind == "list" => {
                Ok(DeclaredType::List(Box::new(decode_type(item, depth + 1)?)))
            }
            Some((Value::Str(kind), [item])) if kind == "map" => {
                Ok(DeclaredType::Map(Box::new(decode_type(item, depth + 1)?)))
            }
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

/// Decodes one expression. `slots` is the number of comprehension variables in scope.
fn decode_expr(value: &Value, depth: usize, slots: u32) -> Result<Expr, DecodeError> {
    let bad = || shape("expression");
    if depth > MAX_EXPR_DEPTH {
        return Err(shape("expression (nested too deeply)"));
    }
    let Value::List(items) = value else { return Err(bad()) };
    let Some((Value::Str(op), args)) = items.split_first() else { return Err(bad()) };
    let sub = |i: usize| -> Result<Box<Expr>, DecodeError> {
        args.get(i).ok_or_else(bad).and_then(|a| decode_expr(a, depth + 1, slots)).map(Box::new)
    };
    let text = |i: usize| -> Result<String, DecodeError> {
        args.get(i).and_then(Value::as_str).map(String::from).ok_or_else(bad)
    };
    let arity = |n: usize| if args.len() == n { Ok(()) } else { Err(bad()) };
    let expr = match op.as_str() {
        "lit" => {
            arity(1)?;
            Expr::Lit(args[0].clone())
        }
        "root" => {
            arity(0)?;
            Expr::Root
        }
        "domain_aliases" => {
            arity(0)?;
            Expr::DomainAliases
        }
        "var" => {
            arity(1)?;
            match args[0] {
                Value::Int(slot) if slot >= 0 && slot < i64::from(slots) => Expr::Var(slot as u32),
                _ => return Err(shape("var (slot out of scope)")),
            }
        }
        "list" => Expr::List(args.iter().map(|a| decode_expr(a, depth + 1, slots)).collect::<Result<_, _>>()?),
        "map" => {
            if args.len() % 2 != 0 {
                return Err(bad());
            }
            Expr::Map(
                args.chunks(2)
                    .map(|pair| {
                        let key = pair[0].as_str().map(String::from).ok_or_else(bad)?;
                        Ok((key, decode_expr(&pair[1], depth + 1, slots)?))
                    })
                    .collect::<Result<_, DecodeError>>()?,
            )
        }
        "sel" => {
            arity(2)?;
            Expr::Select(sub(0)?, text(1)?)
        }
        "has" => {
            arity(2)?;
            Expr::Has(sub(0)?, text(1)?)
        }
        "typed" => {
            arity(2)?;
            Expr::Typed(sub(0)?, decode_type(&args[1], depth + 1)?)
        }
        "idx" => {
            arity(2)?;
            Expr::Index(sub(0)?, sub(1)?)
        }
        "and" => {
            arity(2)?;
            Expr::And(sub(0)?, sub(1)?)
        }
        "or" => {
            arity(2)?;
            Expr::Or(sub(0)?, sub(1)?)
        }
        "cond" => {
            arity(3)?;
            Expr::Cond(sub(0)?, sub(1)?, sub(2)?)
        }
        "exists" | "all" => {
            arity(3)?;
            let slot = match args[1] {
                Value::Int(slot) if slot == i64::from(slots) => slots,
                _ => return Err(shape("comprehension slot")),
            };
            Expr::Quantified {
                quantifier: if op == "exists" { Quantifier::Exists } else { Quantifier::All },
                range: sub(0)?,
                slot,
                predicate: Box::new(decode_expr(&args[2], depth + 1, slots + 1)?),
            }
        }
        name => {
            if let Some(un) = UnOp::from_name(name) {
                arity(1)?;
                Expr::Unary(un, sub(0)?)
            } else if let Some(bin) = BinOp::from_name(name) {
                arity(2)?;
                Expr::Binary(bin, sub(0)?, sub(1)?)
            } else {
                return Err(shape("expression (unknown operator)"));
            }
        }
    };
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"{"v":1,"paths":[],"secrets":[],"gate":{"field":"resource_server","api":"a"},"rules":[RULE]}"#;

    fn with_rule(rule: &str) -> Result<Policy, DecodeError> {
        decode(HEAD.replace("RULE", rule).as_bytes())
    }

    #[test]
    fn typed_reads_and_on_error_survive_a_round_trip() {
        let rule = r#"{"id":"r","when":["typed",["sel",["root"],"user"],["map",["list",["map","dyn"]]]],"grant":[],"forbid":["s"],"deny":null,"mfa":false,"on_error":"skip","claims":[]}"#;
        let policy = with_rule(rule).expect("decodes");
        assert_eq!(policy.rules[0].on_error, OnError::Skip);
        let Expr::Typed(_, ty) = &policy.rules[0].when else { panic!("typed") };
        let mut text = String::new();
        ty.write(&mut text);
        assert_eq!(text, "map<string, list<map<string, dyn>>>");
        assert_eq!(decode(encode(&policy).as_bytes()).expect("re-decodes"), policy);
    }

    #[test]
    fn on_error_defaults_to_restrict_and_bad_forms_are_refused() {
        let plain = r#"{"id":"r","when":["lit",true],"grant":[],"forbid":[],"deny":null,"mfa":false,"claims":[]}"#;
        assert_eq!(with_rule(plain).expect("decodes").rules[0].on_error, OnError::Restrict);
        let bad_on_error = plain.replace(r#""claims":[]"#, r#""claims":[],"on_error":"open""#);
        assert_eq!(with_rule(&bad_on_error), Err(shape("on_error")));
        for ty in [r#""float""#, r#"["list"]"#, r#"["record","a","int"]"#, r#"["map","int","x"]"#, "7"] {
            let rule = plain.replace(r#"["lit",true]"#, &(String::from(r#"["typed",["root"],"#) + ty + "]"));
            assert_eq!(with_rule(&rule), Err(shape("type")), "{ty}");
        }
    }

    #[test]
    fn declared_types_admit_exactly_their_values() {
        let parse = |json: &str| parse_json(json.as_bytes()).expect("json");
        let strings = DeclaredType::List(Box::new(DeclaredType::String));
        assert!(strings.admits(&parse(r#"["a","b"]"#)));
        assert!(strings.admits(&parse("[]")));
        assert!(!strings.admits(&parse(r#"["a",1]"#)));
        assert!(!strings.admits(&parse(r#""a""#)));
        assert!(!DeclaredType::String.admits(&Value::Null), "null is not a string");
        assert!(DeclaredType::Dyn.admits(&Value::Null));
        assert!(!DeclaredType::Int.admits(&parse("1.5")));
        assert!(DeclaredType::Object.admits(&parse(r#"{"n":"not checked here"}"#)));
        assert!(!DeclaredType::Object.admits(&parse("[]")));
        let ints = DeclaredType::Map(Box::new(DeclaredType::Int));
        assert!(ints.admits(&parse(r#"{"a":1}"#)));
        assert!(!ints.admits(&parse(r#"{"a":true}"#)));
    }
}
