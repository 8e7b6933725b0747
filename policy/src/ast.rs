//! The policy file as read from TOML, before checking: every value keeps the byte range it was
//! written at, and every CEL string keeps the map from its characters back into the file.

use std::ops::Range;

use action_core::ir::{GateField, OnError, OnInvalidDomain, Tokens};
use action_core::value::Value;
use action_core::Decision;

/// A byte range in the policy file.
pub type Span = Range<usize>;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is in the file.
    pub span: Span,
}

/// A CEL expression written in a TOML string, with the file offset of each of its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct CelSource {
    /// The expression text (the TOML string's value).
    pub text: String,
    /// The TOML string's span, quotes included.
    pub span: Span,
    /// For each byte of `text`, the file range it was written as (an escape like `\"` is two
    /// file bytes for one text byte).
    pub(crate) units: Vec<Span>,
}

impl CelSource {
    /// The file range of the text range `range` (clamped to the text).
    pub fn file_span(&self, range: Range<usize>) -> Span {
        if self.units.len() != self.text.len() || self.units.is_empty() {
            return self.span.clone();
        }
        if range.start >= self.units.len() {
            // The end of the expression (e.g. "expected an operand"): point at the closing quote.
            let end = self.units[self.units.len() - 1].end;
            return end..(end + 1).min(self.span.end).max(end);
        }
        let start = range.start;
        let end = range.end.clamp(start + 1, self.units.len());
        self.units[start].start..self.units[end - 1].end
    }
}

/// The whole policy file.
#[derive(Debug, Clone, Default)]
pub struct PolicyAst {
    /// `[api]`; `None` when missing (already reported).
    pub api: Option<ApiAst>,
    /// `[attributes]`, in file order.
    pub attributes: Vec<AttributeAst>,
    /// `[sp_client_id]`
    pub sp_client_id: Option<SpClientIdAst>,
    /// `[domain_aliases]`
    pub domain_aliases: Option<DomainAliasesAst>,
    /// `[scopes]`
    pub scopes: Option<ScopesAst>,
    /// `[mfa]`
    pub mfa: Option<MfaAst>,
    /// `[[rule]]`, in file order.
    pub rules: Vec<RuleAst>,
    /// `[[test]]`, in file order.
    pub tests: Vec<TestAst>,
}

/// `[api]`
#[derive(Debug, Clone)]
pub struct ApiAst {
    /// The API identifier.
    pub identifier: Spanned<String>,
    /// Which event field is compared with it.
    pub field: GateField,
}

/// One `[attributes]` entry.
#[derive(Debug, Clone)]
pub struct AttributeAst {
    /// The dotted path (the key).
    pub path: Spanned<String>,
    /// The type string (the value).
    pub ty: Spanned<String>,
}

/// `[sp_client_id]`, defaults filled in.
#[derive(Debug, Clone)]
pub struct SpClientIdAst {
    /// `metadata_key`
    pub metadata_key: String,
    /// `tenant_domain_secret`
    pub tenant_domain_secret: String,
    /// `init_login_secret`
    pub init_login_secret: String,
    /// `missing_data_message`
    pub missing_data_message: String,
}

/// `[domain_aliases]`, defaults filled in.
#[derive(Debug, Clone)]
pub struct DomainAliasesAst {
    /// `metadata_key`
    pub metadata_key: String,
    /// `claim`
    pub claim: Spanned<String>,
    /// `block_public_email_domains`
    pub block_public_email_domains: bool,
    /// `blocked`
    pub blocked: Vec<Spanned<String>>,
    /// `on_invalid`
    pub on_invalid: OnInvalidDomain,
    /// `deny_message`
    pub deny_message: String,
}

/// `[scopes]`
#[derive(Debug, Clone)]
pub struct ScopesAst {
    /// `deny_message`
    pub deny_message: String,
}

/// `[mfa]`, defaults filled in.
#[derive(Debug, Clone)]
pub struct MfaAst {
    /// The table header's span.
    pub span: Span,
    /// `when`
    pub when: Option<CelSource>,
    /// `provider`; `None` for `provider = false`.
    pub provider: Option<Spanned<String>>,
    /// `challenge`
    pub challenge: Vec<Spanned<String>>,
    /// `webauthn_platform`
    pub webauthn_platform: bool,
}

/// One `[[rule]]`.
#[derive(Debug, Clone)]
pub struct RuleAst {
    /// The span of the rule's table.
    pub span: Span,
    /// `id`
    pub id: Spanned<String>,
    /// `when`; `None` when missing or not a string (already reported).
    pub when: Option<CelSource>,
    /// `grant`
    pub grant: Vec<Spanned<String>>,
    /// `forbid`
    pub forbid: Vec<Spanned<String>>,
    /// `deny`
    pub deny: Option<DenyAst>,
    /// `mfa`
    pub mfa: bool,
    /// `on_error`: what a failing `when` means (default `restrict`).
    pub on_error: OnError,
    /// `[[rule.claim]]`
    pub claims: Vec<ClaimAst>,
}

/// A rule's `deny`: a fixed reason, or one computed at login.
#[derive(Debug, Clone)]
pub enum DenyAst {
    /// `deny = "text"`.
    Text(Spanned<String>),
    /// `deny = { reason = 'CEL string expression' }`.
    Reason(CelSource),
}

/// One `[[rule.claim]]`.
#[derive(Debug, Clone)]
pub struct ClaimAst {
    /// `token`
    pub tokens: Tokens,
    /// `name`
    pub name: Spanned<String>,
    /// `value`
    pub value: Option<CelSource>,
}

/// One `[[test]]`.
#[derive(Debug, Clone)]
pub struct TestAst {
    /// `name`
    pub name: Spanned<String>,
    /// `event`, as the engine's value.
    pub event: Value,
    /// `expect`, the exact decisions.
    pub expect: Vec<Decision>,
}
