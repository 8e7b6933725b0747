//! The evaluator for the CEL subset, over the lowered [`Expr`] tree.
//!
//! Semantics follow the CEL language definition for the subset: errors are values that propagate
//! through operators, except that `&&` and `||` absorb an error when the other side decides the
//! result (`false && error == false`, in either order), and `exists`/`all` do the same over their
//! elements. Integer arithmetic is checked (overflow is an error, as in CEL).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::ir::{BinOp, Expr, Quantifier, UnOp};
use crate::value::{write_i64, Value};

/// An evaluation error: the CEL error value, with a message for the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// What went wrong.
    pub kind: EvalErrorKind,
    /// The key, operator or type involved.
    pub detail: String,
}

/// The kinds of [`EvalError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// Selecting or indexing a key that is absent (`no such key`).
    NoSuchKey,
    /// An operator applied to operands it has no overload for.
    NoSuchOverload,
    /// A list index out of range.
    IndexOutOfRange,
    /// Integer overflow.
    Overflow,
    /// Division by zero.
    DivideByZero,
    /// Modulus by zero.
    ModulusByZero,
    /// An attribute's value is not of its declared type ([`Expr::Typed`]).
    DeclaredType,
    /// A function's argument is outside what it accepts (`emailDomain` of a non-address).
    InvalidArgument,
}

impl EvalError {
    fn new(kind: EvalErrorKind, detail: &str) -> EvalError {
        EvalError { kind, detail: String::from(detail) }
    }

    fn overload(op: &str, a: &Value, b: Option<&Value>) -> EvalError {
        let mut detail = String::from(op);
        detail.push_str(" (");
        detail.push_str(a.type_name());
        if let Some(b) = b {
            detail.push_str(", ");
            detail.push_str(b.type_name());
        }
        detail.push(')');
        EvalError { kind: EvalErrorKind::NoSuchOverload, detail }
    }

    /// The message shown in traces, e.g. `no such key: is_admin`.
    pub fn message(&self) -> String {
        let mut out = String::from(match self.kind {
            EvalErrorKind::NoSuchKey => "no such key: ",
            EvalErrorKind::NoSuchOverload => "no such overload: ",
            EvalErrorKind::IndexOutOfRange => "index out of range: ",
            EvalErrorKind::Overflow => "integer overflow in ",
            EvalErrorKind::DivideByZero => "division by zero in ",
            EvalErrorKind::ModulusByZero => "modulus by zero in ",
            EvalErrorKind::DeclaredType => "not the declared type: ",
            EvalErrorKind::InvalidArgument => "invalid argument to ",
        });
        out.push_str(&self.detail);
        out
    }
}

type Eval<'a> = Result<Cow<'a, Value>, EvalError>;

/// What an expression can read: the event, and what the policy's features derived from it.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The (pruned) event.
    pub root: &'a Value,
    /// The organization's home-realm-discovery domains as `[domain_aliases]` reads them
    /// (normalised, blocked ones left out): a list of strings, `None` without the feature.
    pub domain_aliases: Option<&'a Value>,
}

/// Evaluates `expr` against the event `root` alone.
///
/// # Errors
///
/// The CEL error value the expression evaluates to.
pub fn evaluate(expr: &Expr, root: &Value) -> Result<Value, EvalError> {
    evaluate_in(expr, &Scope { root, domain_aliases: None })
}

/// Evaluates `expr` in `scope`.
///
/// # Errors
///
/// The CEL error value the expression evaluates to.
pub fn evaluate_in(expr: &Expr, scope: &Scope<'_>) -> Result<Value, EvalError> {
    let mut vars = Vec::new();
    eval(expr, scope, &mut vars).map(Cow::into_owned)
}

fn eval<'a>(expr: &'a Expr, scope: &Scope<'a>, vars: &mut Vec<Value>) -> Eval<'a> {
    match expr {
        Expr::Lit(v) => Ok(Cow::Borrowed(v)),
        Expr::Root => Ok(Cow::Borrowed(scope.root)),
        Expr::DomainAliases => scope.domain_aliases.map(Cow::Borrowed).ok_or_else(|| {
            EvalError::new(EvalErrorKind::NoSuchKey, "domain_aliases (no [domain_aliases] in the policy)")
        }),
        Expr::Var(slot) => vars
            .get(*slot as usize)
            .cloned()
            .map(Cow::Owned)
            .ok_or_else(|| EvalError::new(EvalErrorKind::NoSuchKey, "comprehension variable")),
        Expr::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(eval(item, scope, vars)?.into_owned());
            }
            Ok(Cow::Owned(Value::List(out)))
        }
        Expr::Map(entries) => {
            let mut out = Value::Map(Vec::with_capacity(entries.len()));
            for (key, item) in entries {
                let item = eval(item, scope, vars)?.into_owned();
                out.insert(key, item);
            }
            Ok(Cow::Owned(out))
        }
        Expr::Select(target, field) => {
            let target = eval(target, scope, vars)?;
            select(target, field)
        }
        Expr::Has(target, field) => {
            let target = eval(target, scope, vars)?;
            match &*target {
                Value::Map(_) => Ok(Cow::Owned(Value::Bool(target.get(field).is_some()))),
                other => Err(EvalError::overload("has", other, None)),
            }
        }
        Expr::Typed(read, ty) => {
            let value = eval(read, scope, vars)?;
            if ty.admits(&value) {
                Ok(value)
            } else {
                // Names the attribute and the types, never the value: this message reaches
                // Auth0's logs.
                let mut detail = String::new();
                write_path(read, &mut detail);
                detail.push_str(" is ");
                detail.push_str(value.type_name());
                detail.push_str(", declared ");
                ty.write(&mut detail);
                Err(EvalError { kind: EvalErrorKind::DeclaredType, detail })
            }
        }
        Expr::Index(target, key) => {
            let target = eval(target, scope, vars)?;
            let key = eval(key, scope, vars)?;
            index(target, &key)
        }
        Expr::Unary(op, operand) => {
            let operand = eval(operand, scope, vars)?;
            unary(*op, &operand).map(Cow::Owned)
        }
        Expr::Binary(op, a, b) => {
            let a = eval(a, scope, vars)?;
            let b = eval(b, scope, vars)?;
            binary(*op, &a, &b).map(Cow::Owned)
        }
        Expr::And(a, b) => logic(false, eval_bool(a, scope, vars), || eval_bool(b, scope, vars)),
        Expr::Or(a, b) => logic(true, eval_bool(a, scope, vars), || eval_bool(b, scope, vars)),
        Expr::Cond(c, a, b) => {
            if eval_bool(c, scope, vars)? {
                eval(a, scope, vars)
            } else {
                eval(b, scope, vars)
            }
        }
        Expr::Quantified { quantifier, range, slot, predicate } => {
            let range = eval(range, scope, vars)?;
            let elements: Vec<Value> = match &*range {
                Value::List(items) => items.clone(),
                Value::Map(entries) => entries.iter().map(|(k, _)| Value::Str(k.clone())).collect(),
                other => {
                    let name = match quantifier {
                        Quantifier::Exists => "exists",
                        Quantifier::All => "all",
                    };
                    return Err(EvalError::overload(name, other, None));
                }
            };
            // `exists` is decided by the first true, `all` by the first false; an error is only
            // the result if nothing decided it (CEL's comprehension semantics).
            let deciding = matches!(quantifier, Quantifier::Exists);
            let mut first_error = None;
            vars.truncate(*slot as usize);
            for element in elements {
                vars.push(element);
                let result = eval_bool(predicate, scope, vars);
                vars.pop();
                match result {
                    Ok(b) if b == deciding => return Ok(Cow::Owned(Value::Bool(deciding))),
                    Ok(_) => {}
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            match first_error {
                Some(e) => Err(e),
                None => Ok(Cow::Owned(Value::Bool(!deciding))),
            }
        }
    }
}

fn eval_bool(expr: &Expr, scope: &Scope<'_>, vars: &mut Vec<Value>) -> Result<bool, EvalError> {
    match &*eval(expr, scope, vars)? {
        Value::Bool(b) => Ok(*b),
        other => Err(EvalError::overload("bool", other, None)),
    }
}

/// `&&` (`absorbing = false`) and `||` (`absorbing = true`) with CEL's commutative error
/// handling: the absorbing value on either side wins over an error on the other.
fn logic<'a>(
    absorbing: bool,
    left: Result<bool, EvalError>,
    right: impl FnOnce() -> Result<bool, EvalError>,
) -> Eval<'a> {
    if left == Ok(absorbing) {
        return Ok(Cow::Owned(Value::Bool(absorbing)));
    }
    match (left, right()) {
        (_, Ok(b)) if b == absorbing => Ok(Cow::Owned(Value::Bool(absorbing))),
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        (Ok(_), Ok(_)) => Ok(Cow::Owned(Value::Bool(!absorbing))),
    }
}

fn select<'a>(target: Cow<'a, Value>, field: &str) -> Eval<'a> {
    match target {
        Cow::Borrowed(value @ Value::Map(_)) => value.get(field).map(Cow::Borrowed).ok_or_else(|| no_such_key(field)),
        Cow::Owned(value @ Value::Map(_)) => {
            value.get(field).cloned().map(Cow::Owned).ok_or_else(|| no_such_key(field))
        }
        other => Err(EvalError::overload("select", &other, None)),
    }
}

/// `user.app_metadata.roles` for the selection chain of an attribute read.
fn write_path(expr: &Expr, out: &mut String) {
    if let Expr::Select(target, field) = expr {
        if !matches!(**target, Expr::Root) {
            write_path(target, out);
            out.push('.');
        }
        out.push_str(field);
    }
}

fn no_such_key(key: &str) -> EvalError {
    EvalError::new(EvalErrorKind::NoSuchKey, key)
}

fn index<'a>(target: Cow<'a, Value>, key: &Value) -> Eval<'a> {
    match (&*target, key) {
        // The key may come from the event, so the error does not repeat it (it reaches logs).
        (Value::Map(_), Value::Str(key)) => {
            select(target, key).map_err(|_| EvalError::new(EvalErrorKind::NoSuchKey, "the key of _[_]"))
        }
        (Value::List(items), Value::Int(i)) => {
            let item = usize::try_from(*i).ok().and_then(|i| items.get(i)).ok_or_else(|| {
                let mut detail = String::new();
                write_i64(*i, &mut detail);
                EvalError { kind: EvalErrorKind::IndexOutOfRange, detail }
            })?;
            Ok(match target {
                Cow::Borrowed(Value::List(items)) => Cow::Borrowed(&items[*i as usize]),
                _ => Cow::Owned(item.clone()),
            })
        }
        (target, key) => Err(EvalError::overload("_[_]", target, Some(key))),
    }
}

fn unary(op: UnOp, operand: &Value) -> Result<Value, EvalError> {
    match (op, operand) {
        (UnOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnOp::Neg, Value::Int(i)) => {
            i.checked_neg().map(Value::Int).ok_or_else(|| EvalError::new(EvalErrorKind::Overflow, "-_"))
        }
        (UnOp::Size, Value::Str(s)) => Ok(Value::Int(s.chars().count() as i64)),
        (UnOp::Size, Value::List(items)) => Ok(Value::Int(items.len() as i64)),
        (UnOp::Size, Value::Map(entries)) => Ok(Value::Int(entries.len() as i64)),
        (UnOp::LowerAscii, Value::Str(s)) => Ok(Value::Str(s.to_ascii_lowercase())),
        (UnOp::Trim, Value::Str(s)) => Ok(Value::Str(String::from(s.trim()))),
        // The domain of an email address, as `[domain_aliases]` normalises domains: the text
        // after the last `@`, trimmed and in lower case.
        (UnOp::EmailDomain, Value::Str(s)) => match s.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.trim().is_empty() => {
                Ok(Value::Str(domain.trim().to_ascii_lowercase()))
            }
            _ => Err(EvalError::new(EvalErrorKind::InvalidArgument, "emailDomain (not an email address)")),
        },
        (op, operand) => Err(EvalError::overload(op.name(), operand, None)),
    }
}

fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, EvalError> {
    use core::cmp::Ordering;
    let ordering = |a: &Value, b: &Value| -> Option<Ordering> {
        match (a, b) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            _ => None,
        }
    };
    let int_op = |f: fn(i64, i64) -> Option<i64>, zero: Option<EvalErrorKind>| match (a, b) {
        (Value::Int(_), Value::Int(0)) if zero.is_some() => {
            Err(EvalError::new(zero.unwrap_or(EvalErrorKind::DivideByZero), op.name()))
        }
        (Value::Int(x), Value::Int(y)) => {
            f(*x, *y).map(Value::Int).ok_or_else(|| EvalError::new(EvalErrorKind::Overflow, op.name()))
        }
        _ => Err(EvalError::overload(op.name(), a, Some(b))),
    };
    let strings = |f: fn(&str, &str) -> bool| match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(Value::Bool(f(x, y))),
        _ => Err(EvalError::overload(op.name(), a, Some(b))),
    };
    match op {
        BinOp::Eq => Ok(Value::Bool(a == b)),
        BinOp::Ne => Ok(Value::Bool(a != b)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = ordering(a, b).ok_or_else(|| EvalError::overload(op.name(), a, Some(b)))?;
            Ok(Value::Bool(match op {
                BinOp::Lt => ord == Ordering::Less,
                BinOp::Le => ord != Ordering::Greater,
                BinOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        BinOp::Add => match (a, b) {
            (Value::Str(x), Value::Str(y)) => {
                let mut out = x.clone();
                out.push_str(y);
                Ok(Value::Str(out))
            }
            (Value::List(x), Value::List(y)) => {
                let mut out = x.clone();
                out.extend(y.iter().cloned());
                Ok(Value::List(out))
            }
            _ => int_op(i64::checked_add, None),
        },
        BinOp::Sub => int_op(i64::checked_sub, None),
        BinOp::Mul => int_op(i64::checked_mul, None),
        BinOp::Div => int_op(i64::checked_div, Some(EvalErrorKind::DivideByZero)),
        BinOp::Mod => int_op(i64::checked_rem, Some(EvalErrorKind::ModulusByZero)),
        BinOp::In => match b {
            Value::List(items) => Ok(Value::Bool(items.contains(a))),
            Value::Map(_) => match a {
                Value::Str(key) => Ok(Value::Bool(b.get(key).is_some())),
                _ => Ok(Value::Bool(false)),
            },
            _ => Err(EvalError::overload(op.name(), a, Some(b))),
        },
        BinOp::StartsWith => strings(|x, y| x.starts_with(y)),
        BinOp::EndsWith => strings(|x, y| x.ends_with(y)),
        BinOp::Contains => strings(|x, y| find(x, y, 0).is_some()),
        // An empty separator splits between characters, as CEL's strings extension does.
        BinOp::Split => match (a, b) {
            (Value::Str(x), Value::Str(sep)) if sep.is_empty() => {
                Ok(Value::List(x.chars().map(|c| Value::Str(String::from(c))).collect()))
            }
            (Value::Str(x), Value::Str(sep)) => {
                let mut parts = Vec::new();
                let mut from = 0;
                while let Some(at) = find(x, sep, from) {
                    parts.push(Value::Str(String::from(&x[from..at])));
                    from = at + sep.len();
                }
                parts.push(Value::Str(String::from(&x[from..])));
                Ok(Value::List(parts))
            }
            _ => Err(EvalError::overload(op.name(), a, Some(b))),
        },
    }
}

/// The first byte offset at or after `from` where `needle` (non-empty, or found at `from`)
/// starts in `haystack`. A plain scan instead of `str::find`: the strings a policy searches are
/// short, and the standard two-way searcher costs the WASM engine over a kilobyte.
fn find(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    (from..=hay.len().checked_sub(needle.len())?).find(|&at| hay[at..].starts_with(needle))
}

#[cfg(test)]
mod tests;
