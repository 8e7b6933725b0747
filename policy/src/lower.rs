//! The last stage: the checked policy → the engine's [`ir::Policy`]. Lowering runs only on a
//! policy the checkers accepted, so every form here is one they allow; anything else would be a
//! checker bug and is reported as [`LowerError`] rather than a panic.

use std::collections::BTreeSet;

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;

use action_core::domains::DEFAULT_BLOCKED_DOMAINS;
use action_core::ir::{self, BinOp, GateField, Quantifier, UnOp};
use action_core::value::Value;

use super::ast::{DenyAst, PolicyAst};
use super::check_expr::{CheckedExprs, DOMAIN_ALIASES};
use super::schema::{Schema, Type};

/// An expression form the checker should have refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error: cannot lower `{0}` (the checker should have refused it)")]
pub struct LowerError(pub String);

/// Lowers a policy whose expressions were all accepted: the rules, the built-in features, and
/// the event paths and secrets the engine must read.
///
/// # Errors
///
/// [`LowerError`] for a part the checkers should have refused.
pub fn lower_policy(ast: &PolicyAst, schema: &Schema, exprs: &CheckedExprs<'_>) -> Result<ir::Policy, LowerError> {
    let lowerer = Lowerer { schema, domain_aliases: ast.domain_aliases.is_some() };
    let mut paths = BTreeSet::new();
    let mut ir_rules = Vec::new();
    for checked in &exprs.rules {
        let rule = checked.rule;
        let Some(when) = &checked.when else {
            return Err(LowerError(rule.id.value.clone()));
        };
        paths.extend(when.paths.iter().cloned());
        let mut ir_claims = Vec::new();
        for (claim, value) in &checked.claims {
            paths.extend(value.paths.iter().cloned());
            ir_claims.push(ir::ClaimRule {
                tokens: claim.tokens,
                name: claim.name.value.clone(),
                value: lowerer.lower_expr(&value.parsed.expr)?,
            });
        }
        ir_rules.push(ir::Rule {
            id: rule.id.value.clone(),
            when: lowerer.lower_expr(&when.parsed.expr)?,
            grant: dedup(rule.grant.iter().map(|s| s.value.clone())),
            forbid: dedup(rule.forbid.iter().map(|s| s.value.clone())),
            deny: match (&rule.deny, &checked.deny_reason) {
                (Some(DenyAst::Text(text)), _) => Some(ir::DenyReason::Text(text.value.clone())),
                (Some(DenyAst::Reason(_)), Some(reason)) => {
                    paths.extend(reason.paths.iter().cloned());
                    Some(ir::DenyReason::Computed(lowerer.lower_expr(&reason.parsed.expr)?))
                }
                (Some(DenyAst::Reason(_)), None) => {
                    return Err(LowerError(format!("the deny reason of `{}`", rule.id.value)))
                }
                (None, _) => None,
            },
            mfa: rule.mfa,
            on_error: rule.on_error,
            claims: ir_claims,
        });
    }
    let api = ast.api.as_ref().ok_or_else(|| LowerError("[api]".into()))?;
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
            let when = match &exprs.mfa_when {
                Some(w) => {
                    paths.extend(w.paths.iter().cloned());
                    Some(lowerer.lower_expr(&w.parsed.expr)?)
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
}

/// The items in first-seen order, each once.
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

/// Lowers a checked `cel` AST. Top-level identifiers select from [`ir::Expr::Root`];
/// comprehension variables become [`ir::Expr::Var`] with their nesting depth as slot.
///
/// # Errors
///
/// [`LowerError`] for a form outside the subset.
/// Lowers checked expressions: what they may read decides how identifiers lower.
#[derive(Debug)]
pub struct Lowerer<'a> {
    /// The types event attributes are declared with, checked where an expression reads them.
    pub schema: &'a Schema,
    /// Whether `domain_aliases` is the organization's domains (`[domain_aliases]` is present).
    pub domain_aliases: bool,
}

impl Lowerer<'_> {
    /// Lowers one checked expression.
    ///
    /// # Errors
    ///
    /// [`LowerError`] for a form outside the subset.
    pub fn lower_expr(&self, e: &IdedExpr) -> Result<ir::Expr, LowerError> {
        ExprLowerer { scope: self, vars: Vec::new() }.lower(e)
    }

    /// The type declared for the attribute at `segments` (from the event root), as the engine
    /// checks it; `None` where any value is fine (`dyn`) or the schema does not say.
    fn declared_type(&self, segments: &[&str]) -> Option<ir::DeclaredType> {
        let mut ty = Type::Record(self.schema.root().clone());
        for segment in segments {
            ty = match ty {
                Type::Record(r) => r.field(segment)?.ty.clone(),
                Type::Map(v) => *v,
                _ => return None,
            };
        }
        declared(&ty)
    }
}

/// A schema type as the engine checks it at run time (`None` for `dyn`).
fn declared(ty: &Type) -> Option<ir::DeclaredType> {
    let any = |t: &Type| declared(t).unwrap_or(ir::DeclaredType::Dyn);
    Some(match ty {
        Type::Bool => ir::DeclaredType::Bool,
        Type::Int => ir::DeclaredType::Int,
        Type::String => ir::DeclaredType::String,
        Type::List(item) => ir::DeclaredType::List(Box::new(any(item))),
        Type::Map(item) => ir::DeclaredType::Map(Box::new(any(item))),
        Type::Record(_) => ir::DeclaredType::Object,
        Type::Dyn | Type::Null => return None,
    })
}

#[derive(Debug)]
struct ExprLowerer<'a> {
    scope: &'a Lowerer<'a>,
    vars: Vec<String>,
}

fn boxed(e: ir::Expr) -> Box<ir::Expr> {
    Box::new(e)
}

impl ExprLowerer<'_> {
    /// The segments of `e` when it selects an event attribute (`user.app_metadata.x`).
    fn attribute(&self, e: &IdedExpr) -> Option<Vec<String>> {
        match &e.expr {
            Expr::Ident(name) if !self.vars.contains(name) && !self.is_domain_aliases(name) => Some(vec![name.clone()]),
            Expr::Select(s) if !s.test => {
                let mut segments = self.attribute(&s.operand)?;
                segments.push(s.field.clone());
                Some(segments)
            }
            _ => None,
        }
    }

    fn is_domain_aliases(&self, name: &str) -> bool {
        name == DOMAIN_ALIASES && self.scope.domain_aliases && self.scope.schema.root().field(name).is_none()
    }

    /// A read of an event attribute: the plain selection chain, checked against the attribute's
    /// declared type as a whole (the chain's inner objects are not checked, so one badly typed
    /// field never fails reads of its siblings).
    fn attribute_read(&self, segments: &[String]) -> ir::Expr {
        let chain = segments.iter().fold(ir::Expr::Root, |e, s| ir::Expr::Select(boxed(e), s.clone()));
        let names: Vec<&str> = segments.iter().map(String::as_str).collect();
        match self.scope.declared_type(&names) {
            Some(ty) => ir::Expr::Typed(boxed(chain), ty),
            None => chain,
        }
    }

    fn lower(&mut self, e: &IdedExpr) -> Result<ir::Expr, LowerError> {
        if let Some(segments) = self.attribute(e) {
            return Ok(self.attribute_read(&segments));
        }
        let bad = |what: &str| LowerError(what.to_string());
        Ok(match &e.expr {
            Expr::Literal(lit) => ir::Expr::Lit(match lit {
                LiteralValue::Boolean(b) => Value::Bool(*b.inner()),
                LiteralValue::Int(i) => Value::Int(*i.inner()),
                LiteralValue::String(s) => Value::Str(s.inner().to_string()),
                LiteralValue::Null => Value::Null,
                _ => return Err(bad("literal")),
            }),
            Expr::Ident(name) => match self.vars.iter().rposition(|v| v == name) {
                Some(slot) => ir::Expr::Var(u32::try_from(slot).map_err(|_| bad("variable"))?),
                None if self.is_domain_aliases(name) => ir::Expr::DomainAliases,
                None => ir::Expr::Select(boxed(ir::Expr::Root), name.clone()),
            },
            Expr::Select(s) if !s.test => ir::Expr::Select(boxed(self.lower(&s.operand)?), s.field.clone()),
            Expr::Select(s) => ir::Expr::Has(boxed(self.lower(&s.operand)?), s.field.clone()),
            Expr::List(l) => ir::Expr::List(l.elements.iter().map(|i| self.lower(i)).collect::<Result<_, _>>()?),
            Expr::Map(m) => {
                let mut entries = Vec::new();
                for entry in &m.entries {
                    let EntryExpr::MapEntry(me) = &entry.expr else {
                        return Err(bad("struct field"));
                    };
                    let Expr::Literal(LiteralValue::String(k)) = &me.key.expr else {
                        return Err(bad("map key"));
                    };
                    entries.push((k.inner().to_string(), self.lower(&me.value)?));
                }
                ir::Expr::Map(entries)
            }
            Expr::Call(c) => {
                let name = c.func_name.as_str();
                let args = &c.args;
                match (name, c.target.as_deref(), args.as_slice()) {
                    ("_&&_", None, [a, b]) => ir::Expr::And(boxed(self.lower(a)?), boxed(self.lower(b)?)),
                    ("_||_", None, [a, b]) => ir::Expr::Or(boxed(self.lower(a)?), boxed(self.lower(b)?)),
                    ("_?_:_", None, [c, a, b]) => {
                        ir::Expr::Cond(boxed(self.lower(c)?), boxed(self.lower(a)?), boxed(self.lower(b)?))
                    }
                    ("!_", None, [a]) => ir::Expr::Unary(UnOp::Not, boxed(self.lower(a)?)),
                    ("-_", None, [a]) => ir::Expr::Unary(UnOp::Neg, boxed(self.lower(a)?)),
                    ("size", None, [a]) | ("size", Some(a), []) => ir::Expr::Unary(UnOp::Size, boxed(self.lower(a)?)),
                    ("lowerAscii", Some(a), []) => ir::Expr::Unary(UnOp::LowerAscii, boxed(self.lower(a)?)),
                    ("trim", Some(a), []) => ir::Expr::Unary(UnOp::Trim, boxed(self.lower(a)?)),
                    ("emailDomain", Some(a), []) => ir::Expr::Unary(UnOp::EmailDomain, boxed(self.lower(a)?)),
                    ("split", Some(a), [sep]) => {
                        ir::Expr::Binary(BinOp::Split, boxed(self.lower(a)?), boxed(self.lower(sep)?))
                    }
                    ("_[_]", None, [a, k]) => ir::Expr::Index(boxed(self.lower(a)?), boxed(self.lower(k)?)),
                    ("has", None, [arg]) => match &arg.expr {
                        Expr::Select(s) => ir::Expr::Has(boxed(self.lower(&s.operand)?), s.field.clone()),
                        Expr::Ident(n) => ir::Expr::Has(boxed(ir::Expr::Root), n.clone()),
                        _ => return Err(bad("has")),
                    },
                    ("exists" | "all", Some(range), [var, pred]) => {
                        let Expr::Ident(v) = &var.expr else {
                            return Err(bad(name));
                        };
                        let range = self.lower(range)?;
                        let slot = u32::try_from(self.vars.len()).map_err(|_| bad(name))?;
                        self.vars.push(v.clone());
                        let predicate = self.lower(pred);
                        self.vars.pop();
                        ir::Expr::Quantified {
                            quantifier: if name == "exists" { Quantifier::Exists } else { Quantifier::All },
                            range: boxed(range),
                            slot,
                            predicate: boxed(predicate?),
                        }
                    }
                    ("startsWith" | "endsWith" | "contains", Some(t), [a]) => {
                        let op = match name {
                            "startsWith" => BinOp::StartsWith,
                            "endsWith" => BinOp::EndsWith,
                            _ => BinOp::Contains,
                        };
                        ir::Expr::Binary(op, boxed(self.lower(t)?), boxed(self.lower(a)?))
                    }
                    (_, None, [a, b]) => {
                        let op = match name {
                            "_==_" => BinOp::Eq,
                            "_!=_" => BinOp::Ne,
                            "_<_" => BinOp::Lt,
                            "_<=_" => BinOp::Le,
                            "_>_" => BinOp::Gt,
                            "_>=_" => BinOp::Ge,
                            "_+_" => BinOp::Add,
                            "_-_" => BinOp::Sub,
                            "_*_" => BinOp::Mul,
                            "_/_" => BinOp::Div,
                            "_%_" => BinOp::Mod,
                            "@in" => BinOp::In,
                            _ => return Err(bad(name)),
                        };
                        ir::Expr::Binary(op, boxed(self.lower(a)?), boxed(self.lower(b)?))
                    }
                    _ => return Err(bad(name)),
                }
            }
            Expr::Comprehension(_) | Expr::Struct(_) | Expr::Unspecified => return Err(bad("expression")),
        })
    }
}
