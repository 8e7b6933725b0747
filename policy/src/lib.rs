//! The policy compiler: a TOML policy file with CEL conditions → checked → the engine's IR.
//!
//! This crate owns the policy language: its file format, the CEL subset and its type rules, every
//! diagnostic about a policy (stable codes, messages, labels and help), and the translation to
//! [`action_core::ir::Policy`]. It depends on `action-core` (the IR and the engine the inline
//! tests run on) and `auth0-platform` (what Auth0 accepts: scopes, MFA names and limits, claim
//! names), and must not depend on `codegen`, `deploy`, `harness` or the CLI: they build on it.
//!
//! One stage per file, each a function that can be tested on its own (Cedar's split); [`compile`]
//! runs them in this order and reports every problem at once:
//!
//! 1. [`parse`] (`parse.rs`): TOML with spans → [`ast::PolicyAst`]; the file's shape.
//! 2. [`schema`] (`schema.rs`): the built-in event schema merged with `[attributes]`.
//! 3. [`check_policy`] (`check_policy.rs`): rules that need no types (rule ids, scopes, rules
//!    without effect, MFA providers, factors and the command cap, claim names).
//! 4. [`check_expr`] (`check_expr.rs`): CEL parsing ([`cel`]), types against the schema, `has()`
//!    guards, the unsupported features; then [`check_policy`] again for claim values that read
//!    secrets, which needs the checked expressions.
//! 5. [`lower`] (`lower.rs`): → [`action_core::ir::Policy`], which the engine's decoder must
//!    then accept.
//!
//! Besides: [`diagnostic`] (`diagnostic.rs`, one type per kind of problem in
//! `diagnostic/problems.rs`), the diagnostics every stage reports; [`ast`] (`ast.rs`), the policy
//! as read, with spans; and [`disasm`] (`disasm.rs`), a readable IR listing for
//! `actionkit explain --ir` and the snapshots.
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
pub mod check_expr;
pub mod check_policy;
pub mod diagnostic;
pub mod disasm;
pub mod event;
pub mod lower;
pub mod parse;
pub mod schema;

#[cfg(test)]
mod tests;

use action_core::ir;
use action_core::value::Value;
use action_core::{Decision, Outcome};

pub use diagnostic::{Code, Diagnostics, PolicyDiagnostic, Source};

use diagnostic::problems::{ExpressionTooDeep, UnsupportedFeature};
use diagnostic::Problem;

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
    /// `file:line:col` of its `name`.
    pub location: String,
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
    /// `file:line:col` of the test.
    pub location: String,
    /// Whether the decisions matched exactly.
    pub passed: bool,
    /// The expected decisions.
    pub expected: Vec<Decision>,
    /// What the engine decided, with its trace.
    pub actual: Outcome,
}

impl Compiled {
    /// Runs the inline tests natively, on the event as the built Action would see it
    /// ([`event::decide_as_the_action_does`]).
    pub fn run_tests(&self) -> Vec<TestRun> {
        self.run_tests_named(None)
    }

    /// Runs the inline test called `name`, or all of them for `None`.
    pub fn run_tests_named(&self, name: Option<&str>) -> Vec<TestRun> {
        self.tests
            .iter()
            .filter(|t| name.is_none_or(|n| n == t.name))
            .map(|t| {
                let actual = event::decide_as_the_action_does(&self.policy, &t.event);
                TestRun {
                    name: t.name.clone(),
                    location: t.location.clone(),
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
    let schema = schema::declare_attributes(&ast, &source, &mut diags);
    check_policy::check_policy(&ast, &schema, &source, &mut diags);
    let exprs = check_expr::check_exprs(&ast, &schema, &source, &mut diags);
    check_policy::check_claim_values(&exprs, &source, &mut diags);
    if diags.has_errors() || ast.api.is_none() {
        diags.sort();
        return Err(diags);
    }

    let policy = match lower::lower_policy(&ast, &schema, &exprs) {
        Ok(p) => p,
        Err(e) => {
            diags.push(UnsupportedFeature::Unlowerable { message: e.to_string() }.in_file(&source));
            return Err(diags);
        }
    };
    // The engine trusts the IR only as far as its decoder checks it; a policy it would refuse to
    // load must fail here, not in the deployed Action.
    if let Err(e) = ir::decode(ir::encode(&policy).as_bytes()) {
        diags.push(ExpressionTooDeep::RefusedByEngine { reason: e.to_string() }.in_file(&source));
        return Err(diags);
    }
    diags.sort();
    Ok(Compiled {
        policy,
        tests: ast
            .tests
            .iter()
            .map(|t| {
                let (line, col) = source.line_col(t.name.span.start);
                InlineTest {
                    name: t.name.value.clone(),
                    location: format!("{}:{line}:{col}", source.name()),
                    event: t.event.clone(),
                    expect: t.expect.clone(),
                }
            })
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
