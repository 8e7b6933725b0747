//! Stage 3: checked expressions → the engine's [`ir::Expr`]. Lowering runs only on expressions
//! the checker accepted, so every form here is one the checker allows; anything else would be a
//! checker bug and is reported as [`LowerError`] rather than a panic.

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;

use action_core::ir::{self, BinOp, Quantifier, UnOp};
use action_core::value::Value;

/// An expression form the checker should have refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error: cannot lower `{0}` (the checker should have refused it)")]
pub struct LowerError(pub String);

/// Lowers a checked `cel` AST. Top-level identifiers select from [`ir::Expr::Root`];
/// comprehension variables become [`ir::Expr::Var`] with their nesting depth as slot.
///
/// # Errors
///
/// [`LowerError`] for a form outside the subset.
pub fn lower_expr(e: &IdedExpr) -> Result<ir::Expr, LowerError> {
    Lowerer { vars: Vec::new() }.lower(e)
}

struct Lowerer {
    vars: Vec<String>,
}

fn boxed(e: ir::Expr) -> Box<ir::Expr> {
    Box::new(e)
}

impl Lowerer {
    fn lower(&mut self, e: &IdedExpr) -> Result<ir::Expr, LowerError> {
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
