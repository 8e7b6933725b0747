//! The policy compiler: a TOML policy file with CEL conditions → checked → the engine's IR.
//!
//! The stages are separate functions so each can be tested on its own (Cedar's split):
//! [`parse`](parse::parse) (TOML with spans → [`ast::PolicyAst`]), [`check`] (CEL parsing, types
//! against the [`schema`], `has()` guards, policy-level rules), [`lower`] (→
//! [`action_core::ir::Policy`]) and [`disasm`] (a readable IR listing). [`compile`] runs them
//! all and reports every problem at once.
//!
//! (The example is compiled and run as the unit test `tests::module_example`: a doctest of
//! `codegen` cannot link while `action-core` is tested in the same cargo run, because its
//! `cdylib` crate type leaves `libaction_core.rlib` without a metadata hash.)
//!
//! ```text
//! let policy = r#"
//! version = 1
//! [api]
//! identifier = "urn:auth0:express-configure"
//! [attributes]
//! "user.app_metadata.is_admin" = "bool?"
//! [[rule]]
//! id = "admins"
//! when = 'has(user.app_metadata.is_admin) && user.app_metadata.is_admin'
//! grant = ["express_configure:sso"]
//! "#;
//! let compiled = policy::compile(policy, "policy.toml")?;
//! assert_eq!(compiled.policy.paths, ["resource_server.identifier", "user.app_metadata.is_admin"]);
//! ```

pub mod ast;
pub mod cel;
pub mod check;
pub mod diagnostic;
pub mod disasm;
pub mod lower;
pub mod parse;
pub mod schema;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use action_core::domains::DEFAULT_BLOCKED_DOMAINS;
use action_core::ir::{self, GateField};
use action_core::value::Value;
use action_core::{decide, Decision, Outcome};

pub use diagnostic::{Code, Diagnostics, PolicyDiagnostic, Source};

use check::{check_expr, check_policy, Usage};
use schema::{parse_type, DeclareError, Schema};

/// A policy that compiled: the IR plus what `actionkit check` needs besides it.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The IR the engine runs.
    pub policy: ir::Policy,
    /// The inline `[[test]]`s, in file order.
    pub tests: Vec<InlineTest>,
    /// Where each rule is written, in file order (for traces mapped back to the file).
    pub rules: Vec<RuleInfo>,
    /// Warnings (compilation succeeded despite them).
    pub warnings: Vec<PolicyDiagnostic>,
    /// The policy file.
    pub source: Source,
}

/// Where a rule is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// The rule id.
    pub id: String,
    /// `file:line:col` of its `id`.
    pub location: String,
    /// The text of its `when`.
    pub when: String,
}

/// One inline `[[test]]`: an event and the exact decisions expected for it.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineTest {
    /// The test's name.
    pub name: String,
    /// The post-login event (secrets included, under `secrets`).
    pub event: Value,
    /// The expected decisions, in order.
    pub expect: Vec<Decision>,
}

/// The result of running one [`InlineTest`].
#[derive(Debug, Clone, PartialEq)]
pub struct TestRun {
    /// The test's name.
    pub name: String,
    /// Whether the decisions matched exactly.
    pub passed: bool,
    /// The expected decisions.
    pub expected: Vec<Decision>,
    /// What the engine decided, with its trace.
    pub actual: Outcome,
}

impl Compiled {
    /// Runs the inline tests natively with [`action_core::decide`].
    pub fn run_tests(&self) -> Vec<TestRun> {
        self.tests
            .iter()
            .map(|t| {
                let actual = decide(&self.policy, &t.event);
                TestRun {
                    name: t.name.clone(),
                    passed: actual.decisions == t.expect,
                    expected: t.expect.clone(),
                    actual,
                }
            })
            .collect()
    }
}

/// Compiles a policy file: parse, check, lower.
///
/// `file_name` is used in diagnostics only.
///
/// # Errors
///
/// [`Diagnostics`] holding every error found (and the warnings) when the policy has errors.
pub fn compile(source: &str, file_name: &str) -> Result<Compiled, Diagnostics> {
    let source = Source::new(file_name, source);
    let mut diags = Diagnostics::default();
    let ast = parse::parse(&source, &mut diags);
    if diags.has_errors() && diags.errors().iter().any(|d| d.code() == Code::TomlSyntax) {
        return Err(diags);
    }
    let schema = declare_attributes(&ast, &source, &mut diags);
    check_policy(&ast, &source, &mut diags);

    let mut paths = BTreeSet::new();
    let mut rules = Vec::new();
    for rule in &ast.rules {
        let context = format!("rule `{}`", rule.id.value);
        let when =
            rule.when.as_ref().and_then(|w| check_expr(&schema, &source, w, &context, Usage::Condition, &mut diags));
        let mut claims = Vec::new();
        for claim in &rule.claims {
            let context = format!("claim `{}` of rule `{}`", claim.name.value, rule.id.value);
            if let Some(v) =
                claim.value.as_ref().and_then(|v| check_expr(&schema, &source, v, &context, Usage::Value, &mut diags))
            {
                let secret = v.paths.iter().find(|p| *p == "secrets" || p.starts_with("secrets."));
                if let (Some(secret), Some(text)) = (secret, &claim.value) {
                    diags.push(
                        PolicyDiagnostic::warning(
                            &source,
                            Code::SecretInClaim,
                            format!("claim `{}` reads `{secret}`", claim.name.value),
                        )
                        .at(text.span.clone(), "copies a secret into a token")
                        .help("tokens are readable by the application and the user: keep secrets out of claim values"),
                    );
                }
                claims.push((claim, v));
            }
        }
        rules.push((rule, when, claims));
    }
    let mfa_when = ast
        .mfa
        .as_ref()
        .and_then(|m| m.when.as_ref())
        .and_then(|w| check_expr(&schema, &source, w, "`[mfa] when`", Usage::Condition, &mut diags));
    let api = ast.api.as_ref();
    if diags.has_errors() || api.is_none() {
        diags.sort();
        return Err(diags);
    }

    let lowered = (|| -> Result<ir::Policy, lower::LowerError> {
        let mut ir_rules = Vec::new();
        for (rule, when, claims) in &rules {
            let Some(when) = when else {
                return Err(lower::LowerError(rule.id.value.clone()));
            };
            paths.extend(when.paths.iter().cloned());
            let mut ir_claims = Vec::new();
            for (claim, value) in claims {
                paths.extend(value.paths.iter().cloned());
                ir_claims.push(ir::ClaimRule {
                    tokens: claim.tokens,
                    name: claim.name.value.clone(),
                    value: lower::lower_expr(&value.parsed.expr)?,
                });
            }
            ir_rules.push(ir::Rule {
                id: rule.id.value.clone(),
                when: lower::lower_expr(&when.parsed.expr)?,
                grant: dedup(rule.grant.iter().map(|s| s.value.clone())),
                forbid: dedup(rule.forbid.iter().map(|s| s.value.clone())),
                deny: rule.deny.clone().map(ir::DenyReason::Text),
                mfa: rule.mfa,
                on_error: ir::OnError::Restrict,
                claims: ir_claims,
            });
        }
        let api = api.ok_or_else(|| lower::LowerError("[api]".into()))?;
        paths.insert(match api.field {
            GateField::ResourceServer => "resource_server.identifier".to_string(),
            GateField::AudienceQuery => "request.query.audience".to_string(),
        });
        let sp_claims = ast.sp_client_id.as_ref().map(|sp| {
            paths.insert(format!("client.metadata.{}", sp.metadata_key));
            paths.insert("organization.id".to_string());
            paths.insert(format!("secrets.{}", sp.tenant_domain_secret));
            paths.insert(format!("secrets.{}", sp.init_login_secret));
            ir::SpClaims {
                metadata_key: sp.metadata_key.clone(),
                tenant_domain_secret: sp.tenant_domain_secret.clone(),
                init_login_secret: sp.init_login_secret.clone(),
                missing_data_message: sp.missing_data_message.clone(),
            }
        });
        let domain_aliases = ast.domain_aliases.as_ref().map(|d| {
            paths.insert(format!("organization.metadata.{}", d.metadata_key));
            let defaults: &[&str] = if d.block_public_email_domains { DEFAULT_BLOCKED_DOMAINS } else { &[] };
            ir::DomainAliases {
                metadata_key: d.metadata_key.clone(),
                claim: d.claim.value.clone(),
                blocked: dedup(
                    defaults
                        .iter()
                        .map(|s| s.to_string())
                        .chain(d.blocked.iter().map(|b| b.value.trim().to_ascii_lowercase())),
                ),
                on_invalid: d.on_invalid,
                deny_message: d.deny_message.clone(),
            }
        });
        let any_scopes = ast.rules.iter().any(|r| !r.grant.is_empty() || !r.forbid.is_empty());
        let scopes = match &ast.scopes {
            Some(s) => Some(ir::Scopes { deny_message: s.deny_message.clone() }),
            None if any_scopes => Some(ir::Scopes { deny_message: "Access denied".into() }),
            None => None,
        };
        let mfa = match &ast.mfa {
            Some(m) => {
                if m.webauthn_platform {
                    paths.insert("user.enrolledFactors".to_string());
                }
                let when = match &mfa_when {
                    Some(w) => {
                        paths.extend(w.paths.iter().cloned());
                        Some(lower::lower_expr(&w.parsed.expr)?)
                    }
                    None => None,
                };
                Some(ir::Mfa {
                    when,
                    provider: m.provider.as_ref().map(|p| p.value.clone()),
                    challenge: m.challenge.iter().map(|c| c.value.clone()).collect(),
                    webauthn_platform: m.webauthn_platform,
                })
            }
            None => None,
        };
        let paths = minimal_paths(&paths);
        let secrets = dedup(paths.iter().filter_map(|p| p.strip_prefix("secrets.")).map(str::to_string));
        Ok(ir::Policy {
            paths,
            secrets,
            gate: ir::Gate { field: api.field, api_identifier: api.identifier.value.clone() },
            sp_claims,
            domain_aliases,
            scopes,
            mfa,
            rules: ir_rules,
        })
    })();
    let policy = match lowered {
        Ok(p) => p,
        Err(e) => {
            diags.push(PolicyDiagnostic::error(&source, Code::UnsupportedFeature, e.to_string()));
            return Err(diags);
        }
    };
    // The engine trusts the IR only as far as its decoder checks it; a policy it would refuse to
    // load must fail here, not in the deployed Action.
    if let Err(e) = ir::decode(ir::encode(&policy).as_bytes()) {
        diags.push(PolicyDiagnostic::error(
            &source,
            Code::ExpressionTooDeep,
            format!("the compiled policy is refused by the engine: {e}"),
        ));
        return Err(diags);
    }
    diags.sort();
    Ok(Compiled {
        policy,
        tests: ast
            .tests
            .iter()
            .map(|t| InlineTest { name: t.name.value.clone(), event: t.event.clone(), expect: t.expect.clone() })
            .collect(),
        rules: ast
            .rules
            .iter()
            .map(|r| {
                let (line, col) = source.line_col(r.id.span.start);
                RuleInfo {
                    id: r.id.value.clone(),
                    location: format!("{}:{line}:{col}", source.name()),
                    when: r.when.as_ref().map_or(String::new(), |w| w.text.clone()),
                }
            })
            .collect(),
        warnings: diags.warnings().to_vec(),
        source,
    })
}

/// Builds the schema: the built-in event merged with `[attributes]`.
fn declare_attributes(ast: &ast::PolicyAst, source: &Source, diags: &mut Diagnostics) -> Schema {
    let mut schema = Schema::builtin();
    for attr in &ast.attributes {
        let (ty, optional) = match parse_type(&attr.ty.value) {
            Ok(t) => t,
            Err(e) => {
                // Type strings are short and rarely escaped: point into a plain string, else at it.
                let raw = source.text().get(attr.ty.span.clone()).unwrap_or("");
                let span = if raw.len() == attr.ty.value.len() + 2 {
                    // Underline the offending word (or one character).
                    let word = attr.ty.value[e.offset.min(attr.ty.value.len())..]
                        .find(|c: char| !c.is_ascii_alphanumeric())
                        .unwrap_or(attr.ty.value.len() - e.offset.min(attr.ty.value.len()))
                        .max(1);
                    let at = attr.ty.span.start + 1 + e.offset;
                    at..(at + word).min(attr.ty.span.end - 1).max(at)
                } else {
                    attr.ty.span.clone()
                };
                diags.push(
                    PolicyDiagnostic::error(
                        source,
                        Code::InvalidAttribute,
                        format!("invalid type `{}` for attribute `{}`: {}", attr.ty.value, attr.path.value, e.message),
                    )
                    .at(span, "here")
                    .help("types are bool, int, string, dyn, list<T>, map<string, T> and {field: T, other: T?}; add `?` when the attribute may be absent"),
                );
                continue;
            }
        };
        if let Err(e) = schema.declare(&attr.path.value, ty, optional) {
            let (code, message, help) = match e {
                DeclareError::UnknownRoot { suggestion } => (
                    Code::UnknownAttribute,
                    format!("unknown attribute `{}`", attr.path.value),
                    suggestion.map_or_else(
                        || "attribute paths start with a field of the post-login event: user, client, organization, request, ...".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    ),
                ),
                DeclareError::NotAnObject { prefix, ty } => (
                    Code::InvalidAttribute,
                    format!("cannot declare `{}`: `{prefix}` is `{ty}`", attr.path.value),
                    "only objects and maps have fields".to_string(),
                ),
                DeclareError::Conflict { builtin } => (
                    Code::InvalidAttribute,
                    format!("`{}` is already declared by the Auth0 event schema as `{builtin}`", attr.path.value),
                    "remove the entry, or declare a field below it".to_string(),
                ),
            };
            diags.push(
                PolicyDiagnostic::error(source, code, message).at(attr.path.span.clone(), "this attribute").help(help),
            );
        }
    }
    schema
}

fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Sorted paths without those already covered by a shorter one (`user` covers `user.email`).
fn minimal_paths(paths: &BTreeSet<String>) -> Vec<String> {
    paths
        .iter()
        .filter(|p| {
            !paths.iter().any(|q| q.len() < p.len() && p.starts_with(q.as_str()) && p.as_bytes()[q.len()] == b'.')
        })
        .cloned()
        .collect()
}
