//! The compiler's diagnostics: one error type for every problem found in a policy file, with a
//! stable code, a labelled span into the file and a help line, plus the collection that carries
//! all of them at once (errors and warnings kept apart).
//!
//! Each kind of problem is a type of its own in `diagnostic/problems.rs` (as in
//! cedar-policy-validator's `ValidationError`): it holds the data the problem is about and words
//! its own message, label and help, so a stage only says what it found and where
//! (`InvalidScope { scope }.at(source, span)`), and every text a user can see lives in one file.
//!
//! Every diagnostic owns its source (`Arc<str>` plus the file name), so it renders anywhere
//! without a file table (Cedar's `Loc` idea).

pub(crate) mod problems;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode, SourceSpan};

/// A policy file's text and name, shared by all diagnostics about it.
#[derive(Debug, Clone)]
pub struct Source {
    named: NamedSource<Arc<str>>,
}

impl Source {
    /// A source named `name` (a path, as the user wrote it) with the file's `text`.
    pub fn new(name: &str, text: &str) -> Source {
        Source { named: NamedSource::new(name, Arc::from(text)).with_language("toml") }
    }

    /// The file name.
    pub fn name(&self) -> &str {
        self.named.name()
    }

    /// The file text.
    pub fn text(&self) -> &str {
        self.named.inner()
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let before = &text[..floor_boundary(text, offset.min(text.len()))];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The stable code of a diagnostic, shown as `policy::<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The file is not valid TOML.
    TomlSyntax,
    /// `version` is missing or not 1.
    UnsupportedVersion,
    /// A table has a key the format does not define.
    UnknownKey,
    /// A required key is missing.
    MissingKey,
    /// A key has a value of the wrong kind or outside its allowed set.
    InvalidValue,
    /// A CEL expression does not parse.
    CelSyntax,
    /// A CEL feature outside the subset the engine runs.
    UnsupportedFeature,
    /// An attribute that is neither in the Auth0 event schema nor in `[attributes]`.
    UnknownAttribute,
    /// An `[attributes]` entry whose type or path is invalid.
    InvalidAttribute,
    /// An operator or function applied to operands of types it does not accept.
    TypeMismatch,
    /// An optional attribute read without a `has()` guard.
    UnguardedOptional,
    /// Two rules share an id.
    DuplicateRuleId,
    /// A rule id outside `[a-z0-9_-]+`.
    InvalidRuleId,
    /// A scope that Auth0 would reject.
    InvalidScope,
    /// An MFA factor or provider name Auth0 does not know.
    InvalidFactor,
    /// More MFA commands than Auth0 allows in one flow.
    TooManyMfaCommands,
    /// A claim name Auth0 silently drops.
    RestrictedClaim,
    /// A claim name Auth0 only releases under scope gating (warning).
    ProfileClaim,
    /// A rule that does nothing when it holds (warning).
    RuleWithoutEffect,
    /// An inline `[[test]]` that cannot be read.
    InvalidTest,
    /// An expression nested deeper than the engine accepts.
    ExpressionTooDeep,
    /// A claim value that reads a secret (warning): tokens are readable by their holders.
    SecretInClaim,
    /// A scope that looks like a misspelt Express Configure scope (warning).
    ScopeTypo,
    /// A literal deny reason that reads like an attribute path (warning).
    LiteralDeny,
    /// A restricting rule whose condition reads a `dyn` attribute, so it may fail (warning).
    RestrictionMayFail,
}

impl Code {
    /// The code without the `policy::` prefix.
    pub fn name(self) -> &'static str {
        match self {
            Code::TomlSyntax => "toml-syntax",
            Code::UnsupportedVersion => "unsupported-version",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::InvalidValue => "invalid-value",
            Code::CelSyntax => "cel-syntax",
            Code::UnsupportedFeature => "unsupported-feature",
            Code::UnknownAttribute => "unknown-attribute",
            Code::InvalidAttribute => "invalid-attribute",
            Code::TypeMismatch => "type-mismatch",
            Code::UnguardedOptional => "unguarded-optional",
            Code::DuplicateRuleId => "duplicate-rule-id",
            Code::InvalidRuleId => "invalid-rule-id",
            Code::InvalidScope => "invalid-scope",
            Code::InvalidFactor => "invalid-factor",
            Code::TooManyMfaCommands => "too-many-mfa-commands",
            Code::RestrictedClaim => "restricted-claim",
            Code::ProfileClaim => "profile-claim",
            Code::RuleWithoutEffect => "rule-without-effect",
            Code::InvalidTest => "invalid-test",
            Code::ExpressionTooDeep => "expression-too-deep",
            Code::SecretInClaim => "secret-in-claim",
            Code::ScopeTypo => "scope-typo",
            Code::LiteralDeny => "literal-deny",
            Code::RestrictionMayFail => "restriction-may-fail",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "policy::{}", self.name())
    }
}

/// One problem found in a policy file.
///
/// The message is lowercase with user input in backticks; the help says how to fix it; the label
/// points at the exact text (for CEL, the exact sub-expression).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct PolicyDiagnostic {
    code: Code,
    warning: bool,
    message: String,
    help: Option<String>,
    span: Option<(Range<usize>, String)>,
    src: Source,
}

/// One kind of problem, with the data it is about: what [`PolicyDiagnostic`]s are made of.
pub(crate) trait Problem: Sized {
    /// The code of every diagnostic of this kind.
    const CODE: Code;
    /// Whether it is a warning (compilation goes on) rather than an error.
    const WARNING: bool = false;

    /// What the diagnostic says.
    fn text(&self) -> Text;

    /// The diagnostic of this problem, underlining `span` of `source`.
    fn at(self, source: &Source, span: Range<usize>) -> PolicyDiagnostic {
        PolicyDiagnostic::new(source, Some(span), &self)
    }

    /// The diagnostic of this problem about the compiled policy as a whole (it has no span).
    fn in_file(self, source: &Source) -> PolicyDiagnostic {
        PolicyDiagnostic::new(source, None, &self)
    }
}

/// The words of a diagnostic: its message, the label on its span and its help line.
#[derive(Debug)]
pub(crate) struct Text {
    message: String,
    label: Option<String>,
    help: Option<String>,
}

impl Text {
    /// A message and the label on the span it is reported at.
    pub(crate) fn new(message: impl Into<String>, label: impl Into<String>) -> Text {
        Text { message: message.into(), label: Some(label.into()), help: None }
    }

    /// A message about the policy as a whole, reported without a span (so without a label).
    pub(crate) fn unlabelled(message: impl Into<String>) -> Text {
        Text { message: message.into(), label: None, help: None }
    }

    /// Adds the help line.
    pub(crate) fn help(self, help: impl Into<String>) -> Text {
        Text { help: Some(help.into()), ..self }
    }
}

impl PolicyDiagnostic {
    fn new<P: Problem>(source: &Source, span: Option<Range<usize>>, problem: &P) -> Self {
        let Text { message, label, help } = problem.text();
        PolicyDiagnostic {
            code: P::CODE,
            warning: P::WARNING,
            message,
            help,
            // Only problems about the policy as a whole are unlabelled, and they have no span.
            span: span.map(|span| (span, label.unwrap_or_default())),
            src: source.clone(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// Whether this is a warning (it does not stop compilation).
    pub fn is_warning(&self) -> bool {
        self.warning
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The help line, if any.
    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// The byte range the diagnostic points at, if any.
    pub fn span(&self) -> Option<Range<usize>> {
        self.span.as_ref().map(|(r, _)| r.clone())
    }

    /// The label on the span, if any.
    pub fn label(&self) -> Option<&str> {
        self.span.as_ref().map(|(_, l)| l.as_str())
    }

    /// The source text the span underlines (empty without a span).
    pub fn snippet(&self) -> &str {
        self.span().and_then(|r| self.src.text().get(r)).unwrap_or("")
    }

    /// `file:line:col` of the span's start, or the file name alone.
    pub fn location(&self) -> String {
        match self.span() {
            Some(r) => {
                let (line, col) = self.src.line_col(r.start);
                format!("{}:{line}:{col}", self.src.name())
            }
            None => self.src.name().to_string(),
        }
    }
}

impl Diagnostic for PolicyDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(if self.warning { Severity::Warning } else { Severity::Error })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src.named)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (range, label) = self.span.as_ref()?;
        let span = SourceSpan::from(range.start..range.end.max(range.start));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some(label.clone()), span))))
    }
}

/// Every problem found in a policy file: errors and warnings, kept apart.
///
/// As an error it displays the first error and relates the rest (miette renders all of them).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    errors: Vec<PolicyDiagnostic>,
    warnings: Vec<PolicyDiagnostic>,
}

impl Diagnostics {
    /// Adds a diagnostic to the errors or the warnings, by its severity.
    pub(crate) fn push(&mut self, d: PolicyDiagnostic) {
        if d.warning {
            self.warnings.push(d);
        } else {
            self.errors.push(d);
        }
    }

    /// The errors, in file order.
    pub fn errors(&self) -> &[PolicyDiagnostic] {
        &self.errors
    }

    /// The warnings, in file order.
    pub fn warnings(&self) -> &[PolicyDiagnostic] {
        &self.warnings
    }

    /// Whether there is at least one error.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Errors then warnings.
    pub fn iter(&self) -> impl Iterator<Item = &PolicyDiagnostic> {
        self.errors.iter().chain(&self.warnings)
    }

    /// Sorts errors and warnings by their position in the file, so the report reads top-down.
    pub(crate) fn sort(&mut self) {
        let key = |d: &PolicyDiagnostic| d.span().map_or(0, |r| r.start);
        self.errors.sort_by_key(key);
        self.warnings.sort_by_key(key);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.first().or(self.warnings.first()) {
            Some(first) => first.fmt(f),
            None => f.write_str("no problems found"),
        }
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostic for Diagnostics {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.errors.first().and_then(Diagnostic::code)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.errors.first().and_then(Diagnostic::help)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.errors.first().and_then(|d| d.source_code())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.errors.first().and_then(|d| d.labels())
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().skip(1).chain(&self.warnings).map(|d| d as &dyn Diagnostic)))
    }
}
