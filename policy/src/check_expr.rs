//! Stage 3: the expressions. Every CEL expression of the policy is parsed and type-checked
//! against the [`Schema`]; optional attributes must be `has()`-guarded; everything outside the
//! subset the engine runs is refused by name.

use std::collections::{BTreeSet, HashSet};

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;

use super::ast::{CelSource, ClaimAst, DenyAst, PolicyAst, RuleAst, Span};
use super::cel::{parse_cel, ParsedCel};
use super::diagnostic::problems::{
    CelFeature, CelSyntax, ExpressionTooDeep, Guard, Receiver, RestrictionMayFail, TypeMismatch, UnguardedOptional,
    UnknownAttribute, UnsupportedFeature,
};
use super::diagnostic::{Diagnostics, Problem, Source};
use super::schema::{suggest, Record, Schema, Type};

/// The checked expressions of a policy, what lowering reads besides the AST.
#[derive(Debug)]
pub struct CheckedExprs<'a> {
    /// One entry per `[[rule]]`, in file order.
    pub rules: Vec<CheckedRule<'a>>,
    /// `[mfa] when`; `None` when absent or refused.
    pub mfa_when: Option<CheckedExpr>,
}

/// The checked expressions of one `[[rule]]`.
#[derive(Debug)]
pub struct CheckedRule<'a> {
    /// The rule.
    pub rule: &'a RuleAst,
    /// Its `when`; `None` when missing or refused.
    pub when: Option<CheckedExpr>,
    /// Its computed deny reason (`deny = { reason = ... }`); `None` when absent or refused.
    pub deny_reason: Option<CheckedExpr>,
    /// The claims whose value was accepted, in file order.
    pub claims: Vec<(&'a ClaimAst, CheckedExpr)>,
}

/// Checks every expression of the policy: each rule's `when` and claim values, then
/// `[mfa] when`. Each is named in its diagnostics by where it is written.
pub fn check_exprs<'a>(
    ast: &'a PolicyAst,
    schema: &Schema,
    source: &Source,
    diags: &mut Diagnostics,
) -> CheckedExprs<'a> {
    let scope = ExprScope { schema, domain_aliases: ast.domain_aliases.is_some() };
    let mut rules = Vec::new();
    for rule in &ast.rules {
        let context = format!("rule `{}`", rule.id.value);
        let when = rule.when.as_ref().and_then(|w| check_expr(&scope, source, w, &context, Usage::Condition, diags));
        if let (Some(when), Some(cel)) = (&when, &rule.when) {
            let restricts = !rule.forbid.is_empty() || rule.deny.is_some() || rule.mfa;
            if restricts && rule.on_error == action_core::ir::OnError::Restrict {
                if let Some(path) = when.paths.iter().find(|p| matches!(path_type(schema, p), Some(Type::Dyn))) {
                    let problem = RestrictionMayFail { rule: rule.id.value.clone(), path: path.clone() };
                    diags.push(problem.at(source, cel.span.clone()));
                }
            }
        }
        // The reason is computed when the condition held (or failed, and then a failing reason
        // falls back to the default): what `when` proves present may be read unguarded.
        let deny_reason = match (&rule.deny, &when) {
            (Some(DenyAst::Reason(reason)), Some(when)) => {
                let guards = proven_by(&scope, source, when);
                check_expr_guarded(&scope, source, reason, &context, Usage::Reason, &guards, diags)
            }
            _ => None,
        };
        let mut claims = Vec::new();
        for claim in &rule.claims {
            let context = format!("claim `{}` of rule `{}`", claim.name.value, rule.id.value);
            if let Some(v) =
                claim.value.as_ref().and_then(|v| check_expr(&scope, source, v, &context, Usage::Value, diags))
            {
                claims.push((claim, v));
            }
        }
        rules.push(CheckedRule { rule, when, deny_reason, claims });
    }
    let mfa_when = ast
        .mfa
        .as_ref()
        .and_then(|m| m.when.as_ref())
        .and_then(|w| check_expr(&scope, source, w, "`[mfa] when`", Usage::Condition, diags));
    CheckedExprs { rules, mfa_when }
}

/// The type the schema gives the attribute at the dotted `path`.
fn path_type(schema: &Schema, path: &str) -> Option<Type> {
    let mut ty = Type::Record(schema.root().clone());
    for segment in path.split('.') {
        ty = match ty {
            Type::Record(r) => r.field(segment)?.ty.clone(),
            Type::Map(v) => *v,
            _ => return None,
        };
    }
    Some(ty)
}

/// An expression that passed the checker: its AST, type and the event paths it reads.
#[derive(Debug)]
pub struct CheckedExpr {
    /// The parsed expression.
    pub parsed: ParsedCel,
    /// Its type.
    pub ty: Type,
    /// Event paths read, at the schema's granularity.
    pub paths: BTreeSet<String>,
}

/// What an expression is used for, which decides the type it must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// A condition (`when`): must be `bool`.
    Condition,
    /// A claim value: any type.
    Value,
    /// A computed deny reason: must be `string`.
    Reason,
}

/// What an expression may read: the event's attributes (the schema) and, with a
/// `[domain_aliases]` section, the organization's domains as `domain_aliases`.
#[derive(Debug, Clone, Copy)]
pub struct ExprScope<'a> {
    /// The event schema with the policy's `[attributes]`.
    pub schema: &'a Schema,
    /// Whether `domain_aliases` is defined.
    pub domain_aliases: bool,
}

/// The name under which conditions read the organization's domains.
pub const DOMAIN_ALIASES: &str = "domain_aliases";

/// The functions of the subset, for "did you mean".
const FUNCTIONS: &[&str] = &[
    "has",
    "size",
    "startsWith",
    "endsWith",
    "contains",
    "lowerAscii",
    "trim",
    "split",
    "emailDomain",
    "exists",
    "all",
];

/// Checks one CEL expression. `context` names its place in the file (``rule `admins` ``).
/// Returns `None` when it has errors (all reported to `diags`).
pub fn check_expr(
    scope: &ExprScope<'_>,
    source: &Source,
    cel: &CelSource,
    context: &str,
    usage: Usage,
    diags: &mut Diagnostics,
) -> Option<CheckedExpr> {
    check_expr_guarded(scope, source, cel, context, usage, &Vec::new(), diags)
}

/// The attributes a checked condition proves present when it is true (its `has()` conjuncts,
/// with their parents).
fn proven_by(scope: &ExprScope<'_>, source: &Source, when: &CheckedExpr) -> Guards {
    let mut scratch = Diagnostics::default();
    let cel = CelSource { text: when.parsed.text().to_string(), span: 0..0, units: Vec::new() };
    let checker = ExprChecker {
        usage: Usage::Condition,
        schema: scope.schema,
        domain_aliases: scope.domain_aliases,
        source,
        cel: &cel,
        parsed: &when.parsed,
        diags: &mut scratch,
        context: "",
        vars: Vec::new(),
        reported: HashSet::new(),
    };
    checker.guards_if_true(&when.parsed.expr, true)
}

/// [`check_expr`] with `guards`: attributes already proven present where the expression runs.
fn check_expr_guarded(
    scope: &ExprScope<'_>,
    source: &Source,
    cel: &CelSource,
    context: &str,
    usage: Usage,
    guards: &Guards,
    diags: &mut Diagnostics,
) -> Option<CheckedExpr> {
    let parsed = match parse_cel(cel) {
        Ok(p) => p,
        Err(errors) => {
            // A habit from another language explains the error better than the parser can, at
            // the token itself; the parser's own messages are for everything else.
            if let Some((range, mistake)) = super::cel::common_mistake(&cel.text) {
                let problem = CelSyntax::Mistake { context: context.to_string(), mistake };
                diags.push(problem.at(source, cel.file_span(range)));
                return None;
            }
            for e in errors {
                let problem = CelSyntax::Parser { context: context.to_string(), message: e.message };
                diags.push(problem.at(source, cel.file_span(e.range)));
            }
            return None;
        }
    };
    let before = diags.errors().len();
    let mut checker = ExprChecker {
        usage,
        schema: scope.schema,
        domain_aliases: scope.domain_aliases,
        source,
        cel,
        parsed: &parsed,
        diags,
        context,
        vars: Vec::new(),
        reported: HashSet::new(),
    };
    let ty = checker.infer(&parsed.expr, guards);
    match (usage, &ty) {
        (Usage::Condition, Some(ty)) if !matches!(ty, Type::Bool | Type::Dyn) => {
            let range = parsed.range(&parsed.expr);
            checker.report(range, TypeMismatch::NotACondition { context: context.to_string(), ty: ty.to_string() });
        }
        (Usage::Reason, Some(ty)) if !matches!(ty, Type::String | Type::Dyn) => {
            let range = parsed.range(&parsed.expr);
            checker.report(range, TypeMismatch::NotAReason { context: context.to_string(), ty: ty.to_string() });
        }
        _ => {}
    }
    let height = height(&parsed.expr);
    if height > action_core::ir::MAX_EXPR_DEPTH {
        let range = parsed.range(&parsed.expr);
        checker.report(range, ExpressionTooDeep::Nested { context: context.to_string(), height });
    }
    let mut paths = BTreeSet::new();
    checker.paths(&parsed.expr, &mut Vec::new(), &mut paths);
    if diags.errors().len() > before {
        return None;
    }
    Some(CheckedExpr { ty: ty.unwrap_or(Type::Dyn), paths, parsed })
}

/// The nesting depth of an expression as the engine's IR decoder counts it (a leaf is 0). Lowering
/// keeps the tree shape (`has(x.f)` becomes one node, as its argument does), so the CEL height
/// bounds the IR height.
fn height(e: &IdedExpr) -> usize {
    let children: Vec<&IdedExpr> = match &e.expr {
        Expr::Call(c) if c.func_name == "has" => {
            return match c.args.first().map(|a| &a.expr) {
                Some(Expr::Select(s)) => height(&s.operand) + 1,
                _ => 1,
            };
        }
        Expr::Call(c) => c
            .target
            .as_deref()
            .into_iter()
            .chain(c.args.iter().skip(usize::from(c.func_name == "exists" || c.func_name == "all")))
            .collect(),
        // A top-level `x` is `sel(root, x)`: one level more than it looks.
        Expr::Ident(_) => return 1,
        Expr::Select(s) => vec![&s.operand],
        Expr::List(l) => l.elements.iter().collect(),
        Expr::Map(m) => m
            .entries
            .iter()
            .filter_map(|en| match &en.expr {
                EntryExpr::MapEntry(me) => Some(&me.value),
                EntryExpr::StructField(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    children.into_iter().map(height).max().map_or(0, |h| h + 1)
}

type Guards = Vec<String>;

/// `key`, and with `prefixes` also its parents (`a.b.c`, `a.b`, `a`).
fn with_prefixes(key: String, prefixes: bool) -> Vec<String> {
    let mut out = vec![key];
    if prefixes {
        while let Some((head, _)) = out[out.len() - 1].rsplit_once('.') {
            let head = head.to_string();
            out.push(head);
        }
    }
    out
}

/// A value of `ty` to write when an attribute is absent, for a help's example.
fn default_of(ty: &Type) -> String {
    match ty {
        Type::String => "\"\"".into(),
        Type::Int => "0".into(),
        Type::Bool => "false".into(),
        Type::List(_) => "[]".into(),
        Type::Map(_) | Type::Record(_) => "{}".into(),
        Type::Dyn | Type::Null => "null".into(),
    }
}

struct ExprChecker<'a> {
    /// What the expression is for (a condition or a value), for the help of a missing guard.
    usage: Usage,
    schema: &'a Schema,
    /// Whether `domain_aliases` is defined (the policy has `[domain_aliases]`).
    domain_aliases: bool,
    source: &'a Source,
    cel: &'a CelSource,
    parsed: &'a ParsedCel,
    diags: &'a mut Diagnostics,
    context: &'a str,
    /// Comprehension variables in scope, outermost first.
    vars: Vec<(String, Type)>,
    /// Messages already reported: one misspelt attribute used three times is one error.
    reported: HashSet<String>,
}

/// The function name and the arguments of a call, target first for methods.
fn call(e: &IdedExpr) -> Option<(&str, Option<&IdedExpr>, &[IdedExpr])> {
    match &e.expr {
        Expr::Call(c) => Some((c.func_name.as_str(), c.target.as_deref(), c.args.as_slice())),
        _ => None,
    }
}

fn flatten<'e>(e: &'e IdedExpr, op: &str, out: &mut Vec<&'e IdedExpr>) {
    match call(e) {
        Some((name, None, [a, b])) if name == op => {
            flatten(a, op, out);
            flatten(b, op, out);
        }
        _ => out.push(e),
    }
}

fn string_literal(e: &IdedExpr) -> Option<&str> {
    match &e.expr {
        Expr::Literal(LiteralValue::String(s)) => Some(s.inner()),
        _ => None,
    }
}

impl ExprChecker<'_> {
    /// Reports a problem at `range` of the expression text, once per code and message.
    fn report(&mut self, range: std::ops::Range<usize>, problem: impl Problem) {
        let span: Span = self.cel.file_span(range);
        let diagnostic = problem.at(self.source, span);
        if self.reported.insert(format!("{}{}", diagnostic.code(), diagnostic.message())) {
            self.diags.push(diagnostic);
        }
    }

    /// Where the expression is, for a problem's text.
    fn context(&self) -> String {
        self.context.to_string()
    }

    fn var(&self, name: &str) -> Option<(usize, &Type)> {
        self.vars.iter().enumerate().rev().find(|(_, (n, _))| n == name).map(|(i, (_, t))| (i, t))
    }

    /// The guard key of a field path (`user.app_metadata.x`, or `$0.type` for a variable).
    fn key(&self, e: &IdedExpr) -> Option<String> {
        match &e.expr {
            Expr::Ident(name) => Some(match self.var(name) {
                Some((slot, _)) => format!("${slot}"),
                None => name.clone(),
            }),
            Expr::Select(s) if !s.test => Some(format!("{}.{}", self.key(&s.operand)?, s.field)),
            Expr::Call(c) if c.func_name == "_[_]" && c.target.is_none() && c.args.len() == 2 => {
                Some(format!("{}.{}", self.key(&c.args[0])?, string_literal(&c.args[1])?))
            }
            _ => None,
        }
    }

    /// The key tested by `has(x.f)` (or `has(x)` for a top-level attribute).
    fn has_key(&self, e: &IdedExpr) -> Option<String> {
        match call(e)? {
            ("has", None, [arg]) => self.key(arg),
            _ => None,
        }
    }

    fn not_has_key(&self, e: &IdedExpr) -> Option<String> {
        match call(e)? {
            ("!_", None, [arg]) => self.has_key(arg),
            _ => None,
        }
    }

    /// Keys proven present when all conjuncts of `e` are true: the `has(k)` among them.
    ///
    /// `prefixes` adds the parents of each `k` (`has(a.b.c)` being *true* proves `a.b`). That is
    /// only sound where `e` was evaluated without error first, as the condition of `?:` is. On an
    /// `&&` chain, whose sides are evaluated in any order and whose errors are absorbed only by a
    /// `false`, a `has(a.b.c)` with `a.b` absent is an error, not false: each `has(k)` guards
    /// only `k`, and must itself have `k`'s parent guarded by the others. Because every guard is
    /// strictly longer than what its own `has` reads, guards cannot justify each other in a
    /// circle.
    fn guards_if_true(&self, e: &IdedExpr, prefixes: bool) -> Vec<String> {
        let mut parts = Vec::new();
        flatten(e, "_&&_", &mut parts);
        parts.into_iter().filter_map(|p| self.has_key(p)).flat_map(|k| with_prefixes(k, prefixes)).collect()
    }

    /// Keys proven present when `e` is false (`!has(k) || ...`); `prefixes` as for
    /// [`Self::guards_if_true`].
    fn guards_if_false(&self, e: &IdedExpr, prefixes: bool) -> Vec<String> {
        let mut parts = Vec::new();
        flatten(e, "_||_", &mut parts);
        parts.into_iter().filter_map(|p| self.not_has_key(p)).flat_map(|k| with_prefixes(k, prefixes)).collect()
    }

    fn expect_bool(&mut self, e: &IdedExpr, ty: Option<Type>, operator: &str) {
        if let Some(ty) = ty {
            if !matches!(ty, Type::Bool | Type::Dyn) {
                let range = self.parsed.range(e);
                let problem = TypeMismatch::NotBool {
                    operator: operator.to_string(),
                    ty: ty.to_string(),
                    context: self.context(),
                };
                self.report(range, problem);
            }
        }
    }

    fn unguarded(&mut self, e: &IdedExpr, ty: &Type) {
        let range = self.parsed.range(e);
        let path = self.parsed.snippet(e).to_string();
        let expression = self.parsed.text().trim().to_string();
        // A value (claim, deny reason) needs a default for when the attribute is absent; a
        // condition a `has()` conjunct. A default of the attribute's type fits when the value is
        // the attribute itself.
        let guard = match self.usage {
            Usage::Condition => Guard::Conjunct,
            Usage::Value | Usage::Reason => {
                Guard::Default { default: if expression == path { default_of(ty) } else { "DEFAULT".to_string() } }
            }
        };
        let problem = UnguardedOptional { path, expression, context: self.context(), guard };
        self.report(range, problem);
    }

    fn infer(&mut self, e: &IdedExpr, guards: &Guards) -> Option<Type> {
        match &e.expr {
            Expr::Literal(lit) => match lit {
                LiteralValue::Boolean(_) => Some(Type::Bool),
                LiteralValue::Int(_) => Some(Type::Int),
                LiteralValue::String(_) => Some(Type::String),
                LiteralValue::Null => Some(Type::Null),
                LiteralValue::Double(_) => self.unsupported(e, CelFeature::FloatingPoint),
                LiteralValue::UInt(_) => self.unsupported(e, CelFeature::Unsigned),
                LiteralValue::Bytes(_) => self.unsupported(e, CelFeature::Bytes),
            },
            Expr::Ident(name) => self.ident(e, name, guards),
            Expr::Select(s) => {
                let operand = self.infer(&s.operand, guards)?;
                self.select(e, &s.operand, operand, &s.field, guards)
            }
            Expr::Call(c) => self.call(e, &c.func_name, c.target.as_deref(), &c.args, guards),
            Expr::List(l) => {
                let mut item: Option<Type> = None;
                let mut ok = true;
                for element in &l.elements {
                    match self.infer(element, guards) {
                        Some(t) => item = Some(item.map_or(t.clone(), |i| i.join(&t))),
                        None => ok = false,
                    }
                }
                ok.then(|| Type::List(Box::new(item.unwrap_or(Type::Dyn))))
            }
            Expr::Map(m) => {
                let mut value: Option<Type> = None;
                let mut seen = HashSet::new();
                let mut ok = true;
                for entry in &m.entries {
                    let EntryExpr::MapEntry(me) = &entry.expr else {
                        continue;
                    };
                    match string_literal(&me.key) {
                        Some(k) => {
                            if !seen.insert(k.to_string()) {
                                let range = self.parsed.range(&me.key);
                                let problem =
                                    TypeMismatch::DuplicateMapKey { key: k.to_string(), context: self.context() };
                                self.report(range, problem);
                                ok = false;
                            }
                        }
                        None => {
                            let range = self.parsed.range(&me.key);
                            self.report(range, UnsupportedFeature::MapKey { context: self.context() });
                            ok = false;
                        }
                    }
                    match self.infer(&me.value, guards) {
                        Some(t) => value = Some(value.map_or(t.clone(), |v| v.join(&t))),
                        None => ok = false,
                    }
                }
                ok.then(|| Type::Map(Box::new(value.unwrap_or(Type::Dyn))))
            }
            Expr::Struct(_) => self.unsupported(e, CelFeature::MessageConstruction),
            Expr::Comprehension(_) | Expr::Unspecified => self.unsupported(e, CelFeature::OtherExpression),
        }
    }

    fn unsupported(&mut self, e: &IdedExpr, feature: CelFeature) -> Option<Type> {
        let range = self.parsed.range(e);
        self.report(range, UnsupportedFeature::Feature { feature, context: self.context() });
        None
    }

    fn ident(&mut self, e: &IdedExpr, name: &str, guards: &Guards) -> Option<Type> {
        if let Some((_, ty)) = self.var(name) {
            return Some(ty.clone());
        }
        let root = self.schema.root();
        if name == DOMAIN_ALIASES && root.field(name).is_none() {
            if self.domain_aliases {
                return Some(Type::List(Box::new(Type::String)));
            }
            let range = self.parsed.range(e);
            self.report(range, UnknownAttribute::DomainAliasesWithoutSection { context: self.context() });
            return None;
        }
        match root.field(name) {
            Some(field) => {
                if field.optional && !guards.iter().any(|g| g == name) {
                    self.unguarded(e, &field.ty);
                    return None;
                }
                Some(field.ty.clone())
            }
            None => {
                let mut names: Vec<&str> = root.fields.iter().map(|f| f.name.as_str()).collect();
                names.extend(self.vars.iter().map(|(n, _)| n.as_str()));
                let suggestion = suggest(name, &names);
                let range = self.parsed.range(e);
                self.report(
                    range,
                    UnknownAttribute::TopLevel { name: name.to_string(), context: self.context(), suggestion },
                );
                None
            }
        }
    }

    fn select(&mut self, e: &IdedExpr, operand: &IdedExpr, ty: Type, field: &str, guards: &Guards) -> Option<Type> {
        let key = self.key(e);
        let guarded = |guards: &Guards| key.as_ref().is_none_or(|k| guards.contains(k));
        match ty {
            Type::Record(record) => match record.field(field) {
                Some(f) => {
                    if f.optional && !guarded(guards) {
                        self.unguarded(e, &f.ty);
                        return None;
                    }
                    Some(f.ty.clone())
                }
                None => {
                    self.unknown_field(e, operand, &record, field);
                    None
                }
            },
            Type::Map(value) => {
                if !guarded(guards) {
                    self.unguarded(e, &value);
                    return None;
                }
                Some(*value)
            }
            Type::Dyn => Some(Type::Dyn),
            other => {
                let range = self.parsed.range(e);
                let problem = TypeMismatch::NoFields {
                    field: field.to_string(),
                    operand: self.parsed.snippet(operand).to_string(),
                    ty: other.to_string(),
                    context: self.context(),
                };
                self.report(range, problem);
                None
            }
        }
    }

    fn unknown_field(&mut self, e: &IdedExpr, operand: &IdedExpr, record: &Record, field: &str) {
        let names: Vec<&str> = record.fields.iter().map(|f| f.name.as_str()).collect();
        let suggestion = suggest(field, &names);
        let range = self.parsed.range(e);
        let problem = UnknownAttribute::Field {
            operand: self.parsed.snippet(operand).to_string(),
            field: field.to_string(),
            context: self.context(),
            open: record.open,
            fields: names.iter().map(|n| n.to_string()).collect(),
            suggestion,
        };
        self.report(range, problem);
    }

    fn arity(&mut self, e: &IdedExpr, function: &str, want: usize, got: usize) -> bool {
        if want == got {
            return true;
        }
        let range = self.parsed.range(e);
        self.report(range, TypeMismatch::Arity { function: function.to_string(), want, got, context: self.context() });
        false
    }

    fn mismatch(&mut self, e: &IdedExpr, operator: &str, types: &[&Type]) -> Option<Type> {
        let range = self.parsed.range(e);
        let problem = TypeMismatch::NoOverload {
            operator: operator.to_string(),
            types: types.iter().map(|t| t.to_string()).collect(),
            context: self.context(),
        };
        self.report(range, problem);
        None
    }

    fn call(
        &mut self,
        e: &IdedExpr,
        name: &str,
        target: Option<&IdedExpr>,
        args: &[IdedExpr],
        guards: &Guards,
    ) -> Option<Type> {
        let op = |n: &str| -> Option<&'static str> {
            Some(match n {
                "_==_" => "==",
                "_!=_" => "!=",
                "_<_" => "<",
                "_<=_" => "<=",
                "_>_" => ">",
                "_>=_" => ">=",
                "_+_" => "+",
                "_-_" => "-",
                "_*_" => "*",
                "_/_" => "/",
                "_%_" => "%",
                "@in" => "in",
                _ => return None,
            })
        };
        match (name, target, args) {
            ("_&&_" | "_||_", None, _) => {
                let (op, guards_of) = if name == "_&&_" { ("&&", 0) } else { ("||", 1) };
                let mut parts = Vec::new();
                flatten(e, name, &mut parts);
                let mut inner = guards.clone();
                for part in &parts {
                    if guards_of == 0 {
                        inner.extend(self.guards_if_true(part, false));
                    } else {
                        inner.extend(self.guards_if_false(part, false));
                    }
                }
                let mut ok = true;
                for part in parts {
                    let ty = self.infer(part, &inner);
                    ok &= ty.is_some();
                    self.expect_bool(part, ty, op);
                }
                ok.then_some(Type::Bool)
            }
            ("!_", None, [a]) => {
                let ty = self.infer(a, guards);
                let ok = ty.is_some();
                self.expect_bool(a, ty, "!");
                ok.then_some(Type::Bool)
            }
            ("-_", None, [a]) => match self.infer(a, guards)? {
                Type::Int | Type::Dyn => Some(Type::Int),
                other => self.mismatch(e, "-", &[&other]),
            },
            ("_?_:_", None, [c, a, b]) => {
                let cond = self.infer(c, guards);
                self.expect_bool(c, cond.clone(), "?:");
                let mut then_guards = guards.clone();
                then_guards.extend(self.guards_if_true(c, true));
                let mut else_guards = guards.clone();
                else_guards.extend(self.guards_if_false(c, true));
                let a = self.infer(a, &then_guards);
                let b = self.infer(b, &else_guards);
                cond?;
                Some(a?.join(&b?))
            }
            (_, None, [a, b]) if op(name).is_some() => {
                let op = op(name).unwrap_or("?");
                let (ta, tb) = (self.infer(a, guards), self.infer(b, guards));
                let (ta, tb) = (ta?, tb?);
                self.binary(e, op, &ta, &tb)
            }
            ("_[_]", None, [a, k]) => {
                let (ta, tk) = (self.infer(a, guards), self.infer(k, guards));
                let (ta, tk) = (ta?, tk?);
                match (&ta, &tk) {
                    (Type::List(item), Type::Int | Type::Dyn) => Some((**item).clone()),
                    (Type::Dyn, _) => Some(Type::Dyn),
                    (Type::Map(_) | Type::Record(_), Type::String) if string_literal(k).is_some() => {
                        let field = string_literal(k).unwrap_or_default().to_string();
                        self.select(e, a, ta.clone(), &field, guards)
                    }
                    (Type::Map(v), Type::String | Type::Dyn) => Some((**v).clone()),
                    // A computed key of an object: its value type is not known statically.
                    (Type::Record(_), Type::String | Type::Dyn) => Some(Type::Dyn),
                    _ => self.mismatch(e, "[]", &[&ta, &tk]),
                }
            }
            ("has", None, [arg]) => match &arg.expr {
                Expr::Select(s) => {
                    let operand = self.infer(&s.operand, guards)?;
                    match operand {
                        Type::Record(r) if r.field(&s.field).is_none() => {
                            self.unknown_field(arg, &s.operand, &r, &s.field);
                            None
                        }
                        Type::Record(_) | Type::Map(_) | Type::Dyn => Some(Type::Bool),
                        other => {
                            let range = self.parsed.range(arg);
                            let problem = TypeMismatch::HasOnNoFields {
                                operand: self.parsed.snippet(&s.operand).to_string(),
                                ty: other.to_string(),
                                context: self.context(),
                            };
                            self.report(range, problem);
                            None
                        }
                    }
                }
                Expr::Ident(n) if self.var(n).is_none() => {
                    // `has(organization)`: the event is the root object, so its optional
                    // top-level fields are tested like any other field.
                    if self.schema.root().field(n).is_some() {
                        Some(Type::Bool)
                    } else {
                        self.ident(arg, n, guards)
                    }
                }
                _ => {
                    let range = self.parsed.range(arg);
                    self.report(range, TypeMismatch::HasArgument { context: self.context() });
                    None
                }
            },
            ("has", _, _) => {
                self.arity(e, "has", 1, args.len());
                None
            }
            ("size", _, _) => {
                let operand = match (target, args) {
                    (Some(t), []) | (None, [t]) => t,
                    _ => {
                        self.arity(e, "size", 1, args.len() + usize::from(target.is_some()));
                        return None;
                    }
                };
                match self.infer(operand, guards)? {
                    Type::String | Type::List(_) | Type::Map(_) | Type::Record(_) | Type::Dyn => Some(Type::Int),
                    other => self.mismatch(e, "size", &[&other]),
                }
            }
            ("startsWith" | "endsWith" | "contains" | "lowerAscii" | "trim" | "split" | "emailDomain", None, _) => {
                let range = self.parsed.range(e);
                let problem = TypeMismatch::MethodAsFunction {
                    method: name.to_string(),
                    receiver: Receiver::String,
                    context: self.context(),
                };
                self.report(range, problem);
                None
            }
            // String methods of one string argument: tests, and `split`, which gives the parts.
            ("startsWith" | "endsWith" | "contains" | "split", Some(t), _) => {
                let tt = self.infer(t, guards);
                if !self.arity(e, name, 1, args.len()) {
                    return None;
                }
                let ta = self.infer(&args[0], guards);
                let (tt, ta) = (tt?, ta?);
                match (&tt, &ta) {
                    (Type::String | Type::Dyn, Type::String | Type::Dyn) if name == "split" => {
                        Some(Type::List(Box::new(Type::String)))
                    }
                    (Type::String | Type::Dyn, Type::String | Type::Dyn) => Some(Type::Bool),
                    _ => self.mismatch(e, name, &[&tt, &ta]),
                }
            }
            ("lowerAscii" | "trim" | "emailDomain", Some(t), _) => {
                let tt = self.infer(t, guards);
                if !self.arity(e, name, 0, args.len()) {
                    return None;
                }
                match tt? {
                    Type::String | Type::Dyn => Some(Type::String),
                    other => self.mismatch(e, name, &[&other]),
                }
            }
            ("exists" | "all", Some(range), _) => {
                if !self.arity(e, name, 2, args.len()) {
                    return None;
                }
                let Expr::Ident(var) = &args[0].expr else {
                    let r = self.parsed.range(&args[0]);
                    self.report(
                        r,
                        TypeMismatch::QuantifierVariable { quantifier: name.to_string(), context: self.context() },
                    );
                    return None;
                };
                let item = match self.infer(range, guards)? {
                    Type::List(item) => *item,
                    Type::Map(_) | Type::Record(_) => Type::String,
                    Type::Dyn => Type::Dyn,
                    other => return self.mismatch(e, name, &[&other]),
                };
                self.vars.push((var.clone(), item));
                let pred = self.infer(&args[1], guards);
                self.vars.pop();
                let ok = pred.is_some();
                self.expect_bool(&args[1], pred, name);
                ok.then_some(Type::Bool)
            }
            ("exists" | "all", None, _) => {
                let range = self.parsed.range(e);
                let problem = TypeMismatch::MethodAsFunction {
                    method: name.to_string(),
                    receiver: Receiver::List,
                    context: self.context(),
                };
                self.report(range, problem);
                None
            }
            _ => {
                let feature = match name {
                    "matches" => CelFeature::RegularExpressions,
                    "map" | "filter" | "exists_one" | "existsOne" | "transformList" | "transformMap" => {
                        CelFeature::Macro { name: name.to_string() }
                    }
                    "timestamp" | "duration" | "getFullYear" | "getMonth" | "getDate" | "getHours" => CelFeature::Time,
                    "int" | "uint" | "double" | "string" | "bytes" | "dyn" | "type" | "bool" => {
                        CelFeature::Conversion { name: name.to_string() }
                    }
                    "_?._" | "_[?_]" | "optional.of" | "optional.none" | "orValue" | "hasValue" => CelFeature::Optional,
                    _ => {
                        let suggestion = suggest(name, FUNCTIONS);
                        let range = self.parsed.range(e);
                        let problem = UnsupportedFeature::UnknownFunction {
                            name: name.to_string(),
                            context: self.context(),
                            functions: FUNCTIONS,
                            suggestion,
                        };
                        self.report(range, problem);
                        return None;
                    }
                };
                self.unsupported(e, feature)
            }
        }
    }

    fn binary(&mut self, e: &IdedExpr, op: &str, a: &Type, b: &Type) -> Option<Type> {
        use Type::*;
        match op {
            "==" | "!=" => {
                if a.compatible(b) {
                    Some(Bool)
                } else {
                    self.mismatch(e, op, &[a, b])
                }
            }
            "<" | "<=" | ">" | ">=" => match (a, b) {
                (Int, Int) | (String, String) | (Bool, Bool) => Some(Bool),
                (Dyn, Int | String | Bool | Dyn) | (Int | String | Bool, Dyn) => Some(Bool),
                _ => self.mismatch(e, op, &[a, b]),
            },
            "+" => match (a, b) {
                (Int, Int) => Some(Int),
                (String, String) => Some(String),
                (List(x), List(y)) => Some(List(Box::new(x.join(y)))),
                (Dyn, Int | String | List(_) | Dyn) | (Int | String | List(_), Dyn) => Some(Dyn),
                _ => self.mismatch(e, op, &[a, b]),
            },
            "-" | "*" | "/" | "%" => match (a, b) {
                (Int | Dyn, Int | Dyn) => Some(Int),
                _ => self.mismatch(e, op, &[a, b]),
            },
            "in" => match b {
                List(item) if a.compatible(item) => Some(Bool),
                Map(_) | Record(_) if matches!(a, String | Dyn) => Some(Bool),
                Dyn => Some(Bool),
                _ => self.mismatch(e, op, &[a, b]),
            },
            _ => self.mismatch(e, op, &[a, b]),
        }
    }

    /// Collects the event paths `e` reads, at the schema's granularity: a chain of field
    /// selections from a top-level attribute is followed as long as the schema knows the
    /// selected object's fields (records and typed maps), so `user.app_metadata.is_admin` and
    /// `client.metadata.KEY` are paths while `authentication.methods` stops at the list.
    fn paths(&self, e: &IdedExpr, vars: &mut Vec<String>, out: &mut BTreeSet<String>) {
        if let Some(segments) = self.chain(e, vars) {
            out.insert(self.granular(&segments));
            // A chain's non-literal index keys are read too.
            self.chain_keys(e, vars, out);
            return;
        }
        match &e.expr {
            Expr::Call(c) if (c.func_name == "exists" || c.func_name == "all") && c.target.is_some() => {
                if let Some(t) = &c.target {
                    self.paths(t, vars, out);
                }
                if let [var, pred] = c.args.as_slice() {
                    if let Expr::Ident(v) = &var.expr {
                        vars.push(v.clone());
                        self.paths(pred, vars, out);
                        vars.pop();
                    }
                }
            }
            Expr::Call(c) => {
                if c.func_name == "has" {
                    if let [arg] = c.args.as_slice() {
                        if let Expr::Select(s) = &arg.expr {
                            if let Some(mut segments) = self.chain(&s.operand, vars) {
                                segments.push(s.field.clone());
                                out.insert(self.granular(&segments));
                                return;
                            }
                        }
                        if let Expr::Ident(n) = &arg.expr {
                            if !vars.contains(n) {
                                out.insert(n.clone());
                                return;
                            }
                        }
                    }
                }
                if let Some(t) = &c.target {
                    self.paths(t, vars, out);
                }
                for a in &c.args {
                    self.paths(a, vars, out);
                }
            }
            Expr::Select(s) => self.paths(&s.operand, vars, out),
            Expr::List(l) => l.elements.iter().for_each(|i| self.paths(i, vars, out)),
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        self.paths(&me.value, vars, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The segments of a selection chain rooted at a top-level attribute.
    fn chain(&self, e: &IdedExpr, vars: &[String]) -> Option<Vec<String>> {
        match &e.expr {
            // `domain_aliases` is derived by the engine, not read from the event.
            Expr::Ident(n) if n == DOMAIN_ALIASES && self.schema.root().field(n).is_none() => None,
            Expr::Ident(n) if !vars.contains(n) => Some(vec![n.clone()]),
            Expr::Select(s) if !s.test => {
                let mut c = self.chain(&s.operand, vars)?;
                c.push(s.field.clone());
                Some(c)
            }
            Expr::Call(c) if c.func_name == "_[_]" && c.target.is_none() && c.args.len() == 2 => {
                let mut chain = self.chain(&c.args[0], vars)?;
                // A computed key reads the whole object: the chain stops at it.
                if let Some(k) = string_literal(&c.args[1]) {
                    chain.push(k.to_string());
                }
                Some(chain)
            }
            _ => None,
        }
    }

    fn chain_keys(&self, e: &IdedExpr, vars: &mut Vec<String>, out: &mut BTreeSet<String>) {
        match &e.expr {
            Expr::Select(s) => self.chain_keys(&s.operand, vars, out),
            Expr::Call(c) if c.func_name == "_[_]" && c.args.len() == 2 => {
                self.chain_keys(&c.args[0], vars, out);
                if string_literal(&c.args[1]).is_none() {
                    self.paths(&c.args[1], vars, out);
                }
            }
            _ => {}
        }
    }

    fn granular(&self, segments: &[String]) -> String {
        let mut ty = Type::Record(self.schema.root().clone());
        let mut taken = 0;
        for segment in segments {
            let next = match &ty {
                Type::Record(r) => match r.field(segment) {
                    Some(f) => f.ty.clone(),
                    None => break,
                },
                Type::Map(v) => (**v).clone(),
                _ => break,
            };
            ty = next;
            taken += 1;
        }
        segments[..taken.max(1)].join(".")
    }
}
