//! Unit tests of the evaluator's CEL semantics on hand-built expressions. The differential
//! property test against the `cel` crate lives in codegen (it needs the CEL parser).

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec;

use super::*;
use crate::value::parse_json;

fn lit(v: Value) -> Expr {
    Expr::Lit(v)
}
fn int(i: i64) -> Expr {
    lit(Value::Int(i))
}
fn string(s: &str) -> Expr {
    lit(Value::Str(s.to_string()))
}
fn boolean(b: bool) -> Expr {
    lit(Value::Bool(b))
}
fn attr(path: &str) -> Expr {
    path.split('.').fold(Expr::Root, |e, k| Expr::Select(Box::new(e), k.to_string()))
}
fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}
fn and(a: Expr, b: Expr) -> Expr {
    Expr::And(Box::new(a), Box::new(b))
}
fn or(a: Expr, b: Expr) -> Expr {
    Expr::Or(Box::new(a), Box::new(b))
}
fn missing() -> Expr {
    attr("user.nope")
}

fn event() -> Value {
    parse_json(
        br#"{"user":{"email":"Ann@Example.com","app_metadata":{"is_admin":true,"roles":["a","b"]},
             "enrolledFactors":[{"type":"otp"},{"type":"webauthn-platform"}]},"n":7,"d":1.5}"#,
    )
    .unwrap()
}

fn run(e: &Expr) -> Result<Value, EvalError> {
    evaluate(e, &event())
}

fn error_kind(e: &Expr) -> EvalErrorKind {
    run(e).unwrap_err().kind
}

#[test]
fn selection_and_missing_keys() {
    assert_eq!(run(&attr("user.app_metadata.is_admin")), Ok(Value::Bool(true)));
    let err = run(&missing()).unwrap_err();
    assert_eq!(err.message(), "no such key: nope");
    assert_eq!(error_kind(&attr("user.email.x")), EvalErrorKind::NoSuchOverload);
}

#[test]
fn has_tests_presence_but_needs_the_parent() {
    let has = |path: &str, field: &str| Expr::Has(Box::new(attr(path)), field.to_string());
    assert_eq!(run(&has("user.app_metadata", "is_admin")), Ok(Value::Bool(true)));
    assert_eq!(run(&has("user.app_metadata", "nope")), Ok(Value::Bool(false)));
    assert_eq!(error_kind(&has("user.nope", "x")), EvalErrorKind::NoSuchKey);
}

#[test]
fn and_or_absorb_errors_from_either_side() {
    let t = || boolean(true);
    let f = || boolean(false);
    assert_eq!(run(&and(f(), missing())), Ok(Value::Bool(false)));
    assert_eq!(run(&and(missing(), f())), Ok(Value::Bool(false)));
    assert_eq!(error_kind(&and(t(), missing())), EvalErrorKind::NoSuchKey);
    assert_eq!(error_kind(&and(missing(), t())), EvalErrorKind::NoSuchKey);
    assert_eq!(run(&or(t(), missing())), Ok(Value::Bool(true)));
    assert_eq!(run(&or(missing(), t())), Ok(Value::Bool(true)));
    assert_eq!(error_kind(&or(f(), missing())), EvalErrorKind::NoSuchKey);
    // A non-bool operand is an error, absorbed the same way.
    assert_eq!(run(&and(int(1), f())), Ok(Value::Bool(false)));
    assert_eq!(error_kind(&and(int(1), t())), EvalErrorKind::NoSuchOverload);
}

#[test]
fn comprehensions_follow_cel() {
    let factors = || attr("user.enrolledFactors");
    let is_type = |t: &str| bin(BinOp::Eq, Expr::Select(Box::new(Expr::Var(0)), "type".to_string()), string(t));
    let q = |quantifier, range, predicate| Expr::Quantified {
        quantifier,
        range: Box::new(range),
        slot: 0,
        predicate: Box::new(predicate),
    };
    assert_eq!(run(&q(Quantifier::Exists, factors(), is_type("otp"))), Ok(Value::Bool(true)));
    assert_eq!(run(&q(Quantifier::All, factors(), is_type("otp"))), Ok(Value::Bool(false)));
    // exists: an error only counts when no element is true.
    let field_x = Expr::Select(Box::new(Expr::Var(0)), "x".to_string());
    let err_or_otp = or(bin(BinOp::Eq, field_x.clone(), int(1)), is_type("otp"));
    assert_eq!(run(&q(Quantifier::Exists, factors(), err_or_otp)), Ok(Value::Bool(true)));
    assert_eq!(
        error_kind(&q(Quantifier::Exists, factors(), bin(BinOp::Eq, field_x, int(1)))),
        EvalErrorKind::NoSuchKey
    );
    // Maps iterate over keys; empty ranges.
    let keys = q(Quantifier::Exists, attr("user.app_metadata"), bin(BinOp::Eq, Expr::Var(0), string("roles")));
    assert_eq!(run(&keys), Ok(Value::Bool(true)));
    assert_eq!(run(&q(Quantifier::All, Expr::List(vec![]), boolean(false))), Ok(Value::Bool(true)));
    assert_eq!(run(&q(Quantifier::Exists, Expr::List(vec![]), boolean(true))), Ok(Value::Bool(false)));
}

#[test]
fn strings_and_sizes() {
    let email = || attr("user.email");
    assert_eq!(
        run(&bin(BinOp::EndsWith, Expr::Unary(UnOp::LowerAscii, Box::new(email())), string("@example.com"))),
        Ok(Value::Bool(true))
    );
    assert_eq!(run(&bin(BinOp::StartsWith, email(), string("Ann"))), Ok(Value::Bool(true)));
    assert_eq!(run(&bin(BinOp::Contains, email(), string("@"))), Ok(Value::Bool(true)));
    assert_eq!(run(&Expr::Unary(UnOp::Size, Box::new(string("héé")))), Ok(Value::Int(3)));
    assert_eq!(run(&Expr::Unary(UnOp::Size, Box::new(attr("user.app_metadata.roles")))), Ok(Value::Int(2)));
    assert_eq!(error_kind(&bin(BinOp::StartsWith, int(1), string("a"))), EvalErrorKind::NoSuchOverload);
}

#[test]
fn membership() {
    assert_eq!(run(&bin(BinOp::In, string("a"), attr("user.app_metadata.roles"))), Ok(Value::Bool(true)));
    assert_eq!(run(&bin(BinOp::In, string("is_admin"), attr("user.app_metadata"))), Ok(Value::Bool(true)));
    assert_eq!(error_kind(&bin(BinOp::In, string("a"), string("abc"))), EvalErrorKind::NoSuchOverload);
}

#[test]
fn integer_arithmetic_is_checked() {
    assert_eq!(run(&bin(BinOp::Add, attr("n"), int(3))), Ok(Value::Int(10)));
    assert_eq!(run(&bin(BinOp::Div, int(-7), int(2))), Ok(Value::Int(-3)));
    assert_eq!(run(&bin(BinOp::Mod, int(-7), int(2))), Ok(Value::Int(-1)));
    assert_eq!(error_kind(&bin(BinOp::Add, int(i64::MAX), int(1))), EvalErrorKind::Overflow);
    assert_eq!(error_kind(&bin(BinOp::Div, int(i64::MIN), int(-1))), EvalErrorKind::Overflow);
    assert_eq!(error_kind(&bin(BinOp::Div, int(1), int(0))), EvalErrorKind::DivideByZero);
    assert_eq!(error_kind(&bin(BinOp::Mod, int(1), int(0))), EvalErrorKind::ModulusByZero);
    assert_eq!(error_kind(&Expr::Unary(UnOp::Neg, Box::new(int(i64::MIN)))), EvalErrorKind::Overflow);
    // Doubles are outside the subset: any arithmetic on them is an error, equality is textual.
    assert_eq!(error_kind(&bin(BinOp::Add, attr("d"), int(1))), EvalErrorKind::NoSuchOverload);
}

#[test]
fn comparisons_need_matching_types() {
    assert_eq!(run(&bin(BinOp::Lt, string("a"), string("b"))), Ok(Value::Bool(true)));
    assert_eq!(run(&bin(BinOp::Ge, boolean(true), boolean(false))), Ok(Value::Bool(true)));
    assert_eq!(error_kind(&bin(BinOp::Lt, string("a"), int(1))), EvalErrorKind::NoSuchOverload);
    assert_eq!(run(&bin(BinOp::Eq, string("1"), int(1))), Ok(Value::Bool(false)));
}

#[test]
fn index_lists_and_maps() {
    let roles = || attr("user.app_metadata.roles");
    assert_eq!(run(&Expr::Index(Box::new(roles()), Box::new(int(1)))), Ok(Value::Str("b".to_string())));
    assert_eq!(error_kind(&Expr::Index(Box::new(roles()), Box::new(int(2)))), EvalErrorKind::IndexOutOfRange);
    assert_eq!(error_kind(&Expr::Index(Box::new(roles()), Box::new(int(-1)))), EvalErrorKind::IndexOutOfRange);
    let by_key = Expr::Index(Box::new(attr("user")), Box::new(string("email")));
    assert_eq!(run(&by_key), Ok(Value::Str("Ann@Example.com".to_string())));
}

#[test]
fn conditional_and_literals() {
    let c = Expr::Cond(
        Box::new(boolean(false)),
        Box::new(missing()),
        Box::new(Expr::Map(vec![("k".to_string(), Expr::List(vec![int(1)]))])),
    );
    assert_eq!(run(&c).unwrap().to_json(), r#"{"k":[1]}"#);
    let e = Expr::Cond(Box::new(missing()), Box::new(int(1)), Box::new(int(2)));
    assert_eq!(error_kind(&e), EvalErrorKind::NoSuchKey);
    let _: String = String::new();
}

fn un(op: UnOp, a: Expr) -> Expr {
    Expr::Unary(op, Box::new(a))
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::Str(s.to_string())).collect())
}

#[test]
fn string_functions_for_domain_rules() {
    let root = Value::Null;
    let eval = |e: &Expr| evaluate(e, &root);
    assert_eq!(eval(&un(UnOp::Trim, string("  acme.com \t"))), Ok(Value::Str("acme.com".into())));
    assert_eq!(eval(&bin(BinOp::Split, string("a.com, b.com"), string(", "))), Ok(strings(&["a.com", "b.com"])));
    assert_eq!(eval(&bin(BinOp::Split, string("ab"), string(""))), Ok(strings(&["a", "b"])));
    assert_eq!(eval(&bin(BinOp::Split, string(""), string(","))), Ok(strings(&[""])));
    assert_eq!(eval(&un(UnOp::EmailDomain, string("Ada@Sub.ACME.com "))), Ok(Value::Str("sub.acme.com".into())));
    assert_eq!(eval(&un(UnOp::EmailDomain, string("\"a@b\"@acme.com"))), Ok(Value::Str("acme.com".into())));
    for bad in ["acme.com", "@acme.com", "ada@", "ada@  "] {
        let error = eval(&un(UnOp::EmailDomain, string(bad))).expect_err(bad);
        assert_eq!(error.kind, EvalErrorKind::InvalidArgument, "{bad}");
    }
    assert_eq!(eval(&un(UnOp::Trim, int(1))).map_err(|e| e.kind), Err(EvalErrorKind::NoSuchOverload));
}

#[test]
fn domain_aliases_are_read_from_the_scope() {
    let root = Value::Null;
    let domains = strings(&["acme.com"]);
    let with = Scope { root: &root, domain_aliases: Some(&domains) };
    let member = bin(BinOp::In, string("acme.com"), Expr::DomainAliases);
    assert_eq!(evaluate_in(&member, &with), Ok(Value::Bool(true)));
    let without = Scope { root: &root, domain_aliases: None };
    assert_eq!(evaluate_in(&member, &without).map_err(|e| e.kind), Err(EvalErrorKind::NoSuchKey));
}
