//! Unit tests of the policy compiler, stage by stage. Diagnostics are checked Cedar-style: the
//! code, the message, the help and the exact underlined source text.

use action_core::ir::{self, BinOp, Expr, Quantifier};
use action_core::value::Value;

use super::schema::{parse_type, Schema, Type};
use super::*;

const HEAD: &str = "version = 1\n[api]\nidentifier = \"urn:auth0:express-configure\"\n";

fn policy(body: &str) -> String {
    format!("{HEAD}{body}")
}

fn rule(when: &str) -> String {
    policy(&format!(
        "[attributes]\n\"user.app_metadata.is_admin\" = \"bool?\"\n\"user.app_metadata.roles\" = \"list<string>?\"\n\
         [[rule]]\nid = \"r\"\nwhen = '{when}'\ngrant = [\"s\"]\n"
    ))
}

fn errors(src: &str) -> Diagnostics {
    match compile(src, "policy.toml") {
        Ok(c) => panic!("expected errors, compiled to {}", disasm::disassemble(&c.policy)),
        Err(d) => d,
    }
}

fn ok(src: &str) -> Compiled {
    match compile(src, "policy.toml") {
        Ok(c) => c,
        Err(d) => panic!("expected success, got: {:#?}", d.iter().map(|e| e.message()).collect::<Vec<_>>()),
    }
}

/// Asserts that exactly one error has `code`, with this message, help and underlined text.
#[track_caller]
fn expect_error(src: &str, code: Code, message: &str, help: &str, underlined: &str) {
    let diags = errors(src);
    let found: Vec<_> = diags.errors().iter().filter(|d| d.code() == code).collect();
    assert_eq!(found.len(), 1, "errors: {:#?}", diags.iter().map(|d| (d.code(), d.message())).collect::<Vec<_>>());
    let d = found[0];
    assert_eq!(d.message(), message);
    assert!(d.help_text().unwrap_or("").contains(help), "help was {:?}", d.help_text());
    assert_eq!(d.snippet(), underlined);
}

#[test]
fn toml_syntax() {
    expect_error(&policy("[[rule]\n"), Code::TomlSyntax, "invalid TOML: unclosed array table, expected `]`", "", "");
}

#[test]
fn toml_syntax_message_has_a_span() {
    let d = errors("version = 1\nx = \n");
    assert_eq!(d.errors()[0].code(), Code::TomlSyntax);
    assert!(d.errors()[0].span().is_some());
}

#[test]
fn unsupported_version() {
    let src = HEAD.replace("version = 1", "version = 2");
    expect_error(&src, Code::UnsupportedVersion, "unsupported policy version `2`", "version = 1", "2");
    let d = errors(&HEAD.replace("version = 1\n", ""));
    assert_eq!(d.errors()[0].message(), "missing `version`");
}

#[test]
fn unknown_key() {
    expect_error(
        &policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ngrnat = [\"s\"]\n"),
        Code::UnknownKey,
        "unknown key `grnat` in [[rule]]",
        "did you mean `grant`?",
        "grnat",
    );
}

#[test]
fn unknown_top_level_table() {
    expect_error(
        &policy("[rules]\n"),
        Code::UnknownKey,
        "unknown key `rules` in the policy file",
        "did you mean `rule`?",
        "rules",
    );
}

#[test]
fn missing_key() {
    expect_error(
        &policy("[[rule]]\nid = \"r\"\ngrant = [\"s\"]\n"),
        Code::MissingKey,
        "missing `when` in rule `r`",
        "when = 'true'",
        "\"r\"",
    );
    let d = errors("version = 1\n");
    assert_eq!(d.errors()[0].message(), "missing `[api]`");
}

#[test]
fn invalid_value() {
    expect_error(
        &policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = \"s\"\n"),
        Code::InvalidValue,
        "`grant` must be an array of strings, not a string",
        "",
        "\"s\"",
    );
    expect_error(
        &HEAD.replace("\"urn:auth0:express-configure\"\n", "\"x\"\nmatch = \"audiance\"\n"),
        Code::InvalidValue,
        "invalid `match` value `audiance`",
        "did you mean `audience`?",
        "\"audiance\"",
    );
}

#[test]
fn cel_syntax() {
    let d = errors(&rule("user.email == "));
    let e = &d.errors()[0];
    assert_eq!(e.code(), Code::CelSyntax);
    assert!(e.message().starts_with("invalid CEL in rule `r`: syntax error"), "{}", e.message());
    // The parser stops at the end of the text: the closing quote is underlined.
    assert_eq!(e.snippet(), "'");
    let d = errors(&rule("user.email = \"a\""));
    assert_eq!(d.errors()[0].code(), Code::CelSyntax);
    assert_eq!(d.errors()[0].snippet(), "=");
}

#[test]
fn unsupported_feature() {
    expect_error(
        &rule("has(user.email) && user.email.matches(\"a.*\")"),
        Code::UnsupportedFeature,
        "unsupported CEL feature in rule `r`: regular expressions (`matches`)",
        "startsWith",
        "user.email.matches(\"a.*\")",
    );
    expect_error(
        &rule("[1, 2].map(x, x * 2) == [2, 4]"),
        Code::UnsupportedFeature,
        "unsupported CEL feature in rule `r`: the `map` macro",
        "exists",
        "[1, 2].map(x, x * 2)",
    );
    expect_error(
        &rule("1.5 > 1"),
        Code::UnsupportedFeature,
        "unsupported CEL feature in rule `r`: floating-point numbers",
        "integers",
        "1.5",
    );
    expect_error(
        &rule("2u > 1u"),
        Code::UnsupportedFeature,
        "unsupported CEL feature in rule `r`: unsigned integers",
        "",
        "2u",
    );
    expect_error(
        &rule("sise(\"a\") == 1"),
        Code::UnsupportedFeature,
        "unknown function `sise` in rule `r`",
        "did you mean `size`?",
        "sise(\"a\")",
    );
}

#[test]
fn unknown_attribute() {
    expect_error(
        &rule("user.app_metdata.is_admin == true"),
        Code::UnknownAttribute,
        "unknown attribute `user.app_metdata` in rule `r`",
        "did you mean `user.app_metadata`?",
        "user.app_metdata",
    );
    expect_error(
        &rule("usr.email == \"a\""),
        Code::UnknownAttribute,
        "unknown attribute `usr` in rule `r`",
        "did you mean `user`?",
        "usr",
    );
    // Undeclared metadata keys must be declared before they are read.
    expect_error(
        &rule("has(user.app_metadata.team) && user.app_metadata.team == \"x\""),
        Code::UnknownAttribute,
        "unknown attribute `user.app_metadata.team` in rule `r`",
        "declare its type in `[attributes]`",
        "user.app_metadata.team",
    );
}

#[test]
fn invalid_attribute() {
    expect_error(
        &policy("[attributes]\n\"user.app_metadata.x\" = \"lst<string>\"\n"),
        Code::InvalidAttribute,
        "invalid type `lst<string>` for attribute `user.app_metadata.x`: unknown type `lst`",
        "list<T>",
        "lst",
    );
    expect_error(
        &policy("[attributes]\n\"user.email\" = \"int\"\n"),
        Code::InvalidAttribute,
        "`user.email` is already declared by the Auth0 event schema as `string`",
        "remove the entry",
        "\"user.email\"",
    );
    expect_error(
        &policy("[attributes]\n\"usr.x\" = \"int\"\n"),
        Code::UnknownAttribute,
        "unknown attribute `usr.x`",
        "did you mean `user`?",
        "\"usr.x\"",
    );
}

#[test]
fn type_mismatch() {
    expect_error(
        &rule("\"a\" < 1"),
        Code::TypeMismatch,
        "no matching overload for `<` on `string` and `int` in rule `r`",
        "two ints",
        "\"a\" < 1",
    );
    expect_error(
        &rule("size(1) > 0"),
        Code::TypeMismatch,
        "no matching overload for `size` on `int` in rule `r`",
        "strings, lists and maps",
        "size(1)",
    );
    expect_error(
        &rule("user.email_verified && 1"),
        Code::TypeMismatch,
        "`&&` expects a `bool`, found `int` in rule `r`",
        "",
        "1",
    );
    expect_error(
        &rule("size(user.user_id)"),
        Code::TypeMismatch,
        "the condition of rule `r` is `int`, not `bool`",
        "true or false",
        "size(user.user_id)",
    );
    expect_error(
        &rule("user.user_id.startsWith(1)"),
        Code::TypeMismatch,
        "no matching overload for `startsWith` on `string` and `int` in rule `r`",
        "two strings",
        "user.user_id.startsWith(1)",
    );
}

#[test]
fn unguarded_optional() {
    expect_error(
        &rule("user.app_metadata.is_admin == true"),
        Code::UnguardedOptional,
        "optional attribute `user.app_metadata.is_admin` is read without a `has()` guard in rule `r`",
        "`has(user.app_metadata.is_admin) && user.app_metadata.is_admin == true`",
        "user.app_metadata.is_admin",
    );
    // A guard on the other branch of `||` does not count.
    expect_error(
        &rule("has(user.email) || user.email == \"a\""),
        Code::UnguardedOptional,
        "optional attribute `user.email` is read without a `has()` guard in rule `r`",
        "has(user.email)",
        "user.email",
    );
    // Top-level optional objects need `has(organization)`.
    expect_error(
        &rule("organization.id == \"o\""),
        Code::UnguardedOptional,
        "optional attribute `organization` is read without a `has()` guard in rule `r`",
        "has(organization)",
        "organization",
    );
}

#[test]
fn guards_that_count() {
    for when in [
        "has(user.app_metadata.is_admin) && user.app_metadata.is_admin",
        "user.app_metadata.is_admin && has(user.app_metadata.is_admin)",
        "has(user.app_metadata.is_admin) ? user.app_metadata.is_admin : false",
        "!has(user.app_metadata.is_admin) || user.app_metadata.is_admin",
        "!has(user.app_metadata.is_admin) ? false : user.app_metadata.is_admin",
        "has(user.enrolledFactors) && user.enrolledFactors.exists(f, has(f.options) && size(f.options) > 0)",
        "has(organization) && has(organization.metadata.domains) && organization.metadata.domains != \"\"",
        "has(user.email) && (user.email.endsWith(\"@a.com\") || user.email.endsWith(\"@b.com\"))",
    ] {
        ok(&rule(when));
    }
}

#[test]
fn duplicate_and_invalid_rule_ids() {
    let src = policy(
        "[[rule]]\nid = \"a\"\nwhen = 'true'\ngrant = [\"s\"]\n[[rule]]\nid = \"a\"\nwhen = 'false'\ngrant = [\"s\"]\n",
    );
    let d = errors(&src);
    assert_eq!(d.errors().len(), 1);
    assert_eq!(d.errors()[0].code(), Code::DuplicateRuleId);
    assert_eq!(d.errors()[0].message(), "duplicate rule id `a`");
    assert_eq!(d.errors()[0].label(), Some("used by an earlier rule"));
    expect_error(
        &policy("[[rule]]\nid = \"Admins Rule\"\nwhen = 'true'\ngrant = [\"s\"]\n"),
        Code::InvalidRuleId,
        "invalid rule id `Admins Rule`",
        "`admins-rule`",
        "\"Admins Rule\"",
    );
}

#[test]
fn invalid_scope() {
    expect_error(
        &policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"express configure\"]\n"),
        Code::InvalidScope,
        "invalid scope `express configure`",
        "1 to 280 characters",
        "\"express configure\"",
    );
}

#[test]
fn invalid_factor_and_provider() {
    expect_error(
        &policy("[mfa]\nchallenge = [\"emial\"]\n"),
        Code::InvalidFactor,
        "unknown MFA factor `emial`",
        "did you mean `email`?",
        "\"emial\"",
    );
    expect_error(
        &policy("[mfa]\nprovider = \"guardain\"\n"),
        Code::InvalidFactor,
        "unknown MFA provider `guardain`",
        "did you mean `guardian`?",
        "\"guardain\"",
    );
}

#[test]
fn too_many_mfa_commands() {
    expect_error(
        &policy(
            "[mfa]\nchallenge = [\"email\", \"otp\", \"phone\", \"push-notification\"]\nwebauthn_platform = true\n",
        ),
        Code::TooManyMfaCommands,
        "5 MFA commands in one flow, Auth0 allows at most 4",
        "at most 4",
        "\"email\", \"otp\", \"phone\", \"push-notification\"",
    );
}

#[test]
fn restricted_claim() {
    let claim = |name: &str| {
        policy(&format!(
            "[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"s\"]\n[[rule.claim]]\nname = \"{name}\"\nvalue = '1'\n"
        ))
    };
    expect_error(
        &claim("roles"),
        Code::RestrictedClaim,
        "claim `roles` is restricted by Auth0",
        "https://example.com/roles",
        "\"roles\"",
    );
    expect_error(
        &claim("https://tenant.auth0.com/roles"),
        Code::RestrictedClaim,
        "claim `https://tenant.auth0.com/roles` uses an Auth0 namespace",
        "namespace you own",
        "\"https://tenant.auth0.com/roles\"",
    );
    // Profile claims compile, with a warning.
    let c = ok(&claim("email"));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].code(), Code::ProfileClaim);
    assert!(c.warnings[0].is_warning());
    assert_eq!(c.warnings[0].snippet(), "\"email\"");
}

#[test]
fn secret_in_claim_is_a_warning() {
    let c = ok(&policy(
        "[[rule]]\nid = \"r\"\nwhen = 'true'\n[[rule.claim]]\nname = \"https://example.com/k\"\n\
         value = 'has(secrets.API_KEY) ? secrets.API_KEY : \"\"'\n",
    ));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].code(), Code::SecretInClaim);
    assert_eq!(c.warnings[0].message(), "claim `https://example.com/k` reads `secrets.API_KEY`");
    assert_eq!(c.warnings[0].snippet(), "'has(secrets.API_KEY) ? secrets.API_KEY : \"\"'");
}

#[test]
fn rule_without_effect_is_a_warning() {
    let c = ok(&policy("[[rule]]\nid = \"r\"\nwhen = 'true'\n"));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].code(), Code::RuleWithoutEffect);
    assert_eq!(c.warnings[0].message(), "rule `r` has no effect");
}

#[test]
fn invalid_test() {
    expect_error(
        &policy("[[test]]\nname = \"t\"\nevent = {}\nexpect = [{ type = \"add_scopes\", scope = \"x\" }]\n"),
        Code::InvalidTest,
        "invalid expected decision: unknown variant `add_scopes`, expected one of `set_claim`, `add_scope`, `remove_scope`, `deny`, `fail`, `multifactor_enable`, `challenge_with`, `enroll_with`",
        "actionkit explain --json",
        "{ type = \"add_scopes\", scope = \"x\" }",
    );
    expect_error(
        &policy("[[test]]\nname = \"t\"\nexpect = []\n"),
        Code::InvalidTest,
        "missing `event` in a `[[test]]`",
        "",
        "\"t\"",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let src =
        policy("[mfa]\nprovider = \"x\"\n[[rule]]\nid = \"A\"\nwhen = 'user.nope'\ngrant = [\"a b\"]\nbogus = 1\n");
    let d = errors(&src);
    let codes: Vec<Code> = d.errors().iter().map(|e| e.code()).collect();
    for code in [Code::InvalidFactor, Code::InvalidRuleId, Code::UnknownAttribute, Code::InvalidScope, Code::UnknownKey]
    {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    // Sorted by position in the file.
    let starts: Vec<usize> = d.errors().iter().filter_map(|e| e.span()).map(|s| s.start).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn spans_map_through_basic_string_escapes() {
    let src = policy("[[rule]]\nid = \"r\"\nwhen = \"user.user_id == \\\"a\\\" && user.nope\"\ngrant = [\"s\"]\n");
    let d = errors(&src);
    assert_eq!(d.errors()[0].snippet(), "user.nope");
    let src =
        policy("[[rule]]\nid = \"r\"\nwhen = \"\\u00e9\\u00e9\" == user.user_id && user.nope2\"\ngrant = [\"s\"]\n");
    let _ = compile(&src, "p.toml"); // malformed on purpose: must not panic
    let src =
        policy("[[rule]]\nid = \"r\"\nwhen = \"\\\"\\u00e9\\\" == user.user_id && user.nope\"\ngrant = [\"s\"]\n");
    assert_eq!(errors(&src).errors()[0].snippet(), "user.nope");
}

#[test]
fn spans_map_through_multiline_literal_strings() {
    let src =
        policy("[[rule]]\nid = \"r\"\nwhen = '''\nhas(user.email) &&\n  user.emial == \"x\"'''\ngrant = [\"s\"]\n");
    let d = errors(&src);
    assert_eq!(d.errors()[0].snippet(), "user.emial");
    assert_eq!(d.errors()[0].location(), "policy.toml:8:3");
}

#[test]
fn lowering_uses_root_and_slots() {
    let c = ok(&rule("has(user.app_metadata.roles) && user.app_metadata.roles.exists(r, [r].all(s, s == r))"));
    let when = &c.policy.rules[0].when;
    let Expr::And(_, exists) = when else { panic!("{when:?}") };
    let Expr::Quantified { quantifier: Quantifier::Exists, slot: 0, predicate, .. } = &**exists else {
        panic!("{exists:?}")
    };
    let Expr::Quantified { quantifier: Quantifier::All, slot: 1, predicate: inner, .. } = &**predicate else {
        panic!("{predicate:?}")
    };
    assert_eq!(**inner, Expr::Binary(BinOp::Eq, Box::new(Expr::Var(1)), Box::new(Expr::Var(0))));
    // The IR survives the engine's own decoder.
    assert_eq!(ir::decode(ir::encode(&c.policy).as_bytes()).as_ref(), Ok(&c.policy));
}

#[test]
fn paths_are_at_schema_granularity() {
    let c = ok(&policy(
        "[attributes]\n\"user.app_metadata.is_admin\" = \"bool?\"\n[sp_client_id]\n[mfa]\nwebauthn_platform = true\n\
         [[rule]]\nid = \"r\"\nwhen = 'has(user.app_metadata.is_admin) && has(authentication) && \
         authentication.methods.exists(m, m.name == \"mfa\") && has(secrets.EXTRA) && secrets.EXTRA != \"\"'\ngrant = [\"s\"]\n",
    ));
    assert_eq!(
        c.policy.paths,
        [
            "authentication",
            "client.metadata.express_configure_sp_client_id",
            "organization.id",
            "resource_server.identifier",
            "secrets.EXTRA",
            "secrets.SERVICE_INIT_LOGIN_URL",
            "secrets.TENANT_DOMAIN",
            "user.app_metadata.is_admin",
            "user.enrolledFactors",
        ]
    );
    assert_eq!(c.policy.secrets, ["EXTRA", "SERVICE_INIT_LOGIN_URL", "TENANT_DOMAIN"]);
}

#[test]
fn defaults_of_the_feature_tables() {
    let c =
        ok(&policy("[sp_client_id]\n[domain_aliases]\n[mfa]\n[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"s\"]\n"));
    let p = &c.policy;
    assert_eq!(p.gate.field, ir::GateField::ResourceServer);
    assert_eq!(p.sp_claims.as_ref().map(|s| s.metadata_key.as_str()), Some("express_configure_sp_client_id"));
    let hrd = p.domain_aliases.as_ref().map(|d| (d.claim.as_str(), d.blocked.len(), d.on_invalid));
    assert_eq!(
        hrd,
        Some(("express_configuration", action_core::domains::DEFAULT_BLOCKED_DOMAINS.len(), ir::OnInvalidDomain::Drop))
    );
    assert_eq!(p.scopes.as_ref().map(|s| s.deny_message.as_str()), Some("Access denied"));
    let mfa = p.mfa.as_ref().map(|m| (m.when.is_none(), m.provider.as_deref(), m.challenge.len(), m.webauthn_platform));
    assert_eq!(mfa, Some((true, Some("any"), 0, false)));
    // `provider = false` skips `api.multifactor.enable`; no grants means no scope feature.
    let c = ok(&policy("[mfa]\nprovider = false\n"));
    assert_eq!(c.policy.mfa.and_then(|m| m.provider), None);
    assert_eq!(c.policy.scopes, None);
}

#[test]
fn inline_tests_run_and_fail_when_they_should() {
    let src = policy(
        "[attributes]\n\"user.app_metadata.is_admin\" = \"bool?\"\n[[rule]]\nid = \"r\"\n\
         when = 'has(user.app_metadata.is_admin) && user.app_metadata.is_admin'\ngrant = [\"s\"]\n\
         [[test]]\nname = \"pass\"\nevent = { resource_server = { identifier = \"urn:auth0:express-configure\" }, user = { app_metadata = { is_admin = true } } }\n\
         expect = [{ type = \"add_scope\", scope = \"s\" }]\n\
         [[test]]\nname = \"fail\"\nevent = { resource_server = { identifier = \"urn:auth0:express-configure\" }, user = { app_metadata = {} } }\n\
         expect = [{ type = \"add_scope\", scope = \"s\" }]\n",
    );
    let runs = ok(&src).run_tests();
    assert_eq!(runs.iter().map(|r| (r.name.as_str(), r.passed)).collect::<Vec<_>>(), [("pass", true), ("fail", false)]);
    assert_eq!(runs[1].actual.decisions, [action_core::Decision::Deny { reason: "Access denied".into() }]);
}

#[test]
fn schema_builtin_and_type_syntax() {
    let schema = Schema::builtin();
    assert!(schema.root().field("user").is_some());
    assert!(schema.root().field("organization").is_some_and(|f| f.optional));
    assert_eq!(parse_type("list<string>?"), Ok((Type::List(Box::new(Type::String)), true)));
    assert!(
        matches!(parse_type("{a: int, b: string?}"), Ok((Type::Record(r), false)) if r.fields.len() == 2 && r.fields[1].optional)
    );
    assert!(parse_type("map<int, string>").is_err());
    assert!(parse_type("double").is_err());
    assert!(parse_type("list<string").is_err());
}

#[test]
fn garbage_never_panics() {
    for src in [
        "",
        "version = 1",
        "version = \"1\"\n[api]\nidentifier = 3",
        "[[rule]]\nwhen = '((((('",
        "version = 1\n[api]\nidentifier = \"x\"\n[[rule]]\nid = \"r\"\nwhen = '\u{1F600} == user'\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[[rule]]\nid = \"r\"\nwhen = '{1: 2}[1] == 2'\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[[rule]]\nid = \"r\"\nwhen = 'a.b.c.d.e(f, g)'\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[[rule]]\nid = \"r\"\nwhen = 'has(1)'\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[[rule]]\nid = \"r\"\nwhen = '[].exists(1, true)'\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[[rule]]\nid = \"r\"\nwhen = 'x.?y'\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[attributes]\n\"user\" = \"{a: \"\n",
        "version = 1\n[api]\nidentifier = \"x\"\n[[test]]\nname = 1\nevent = 2\nexpect = 3\n",
    ] {
        let _ = compile(src, "p.toml");
    }
}

#[test]
fn event_values_from_toml() {
    let c = ok(&policy(
        "[[test]]\nname = \"t\"\nevent = { a = 1, b = \"x\", c = [true], d = 1.5, e = { f = 0x10 } }\nexpect = []\n",
    ));
    let e = &c.tests[0].event;
    assert_eq!(e.get("a"), Some(&Value::Int(1)));
    assert_eq!(e.get("d"), Some(&Value::Number("1.5".into())));
    assert_eq!(e.get("e").and_then(|e| e.get("f")), Some(&Value::Int(16)));
}

#[test]
fn expression_too_deep() {
    let deep = format!("{}true{}", "!(".repeat(70), ")".repeat(70));
    let d = errors(&rule(&deep));
    assert_eq!(d.errors()[0].code(), Code::ExpressionTooDeep);
    assert_eq!(d.errors()[0].message(), "rule `r` nests 70 levels deep, the engine accepts 64");
    // Just inside the limit, the IR still decodes in the engine.
    let ok_depth = format!("{}true{}", "!(".repeat(64), ")".repeat(64));
    let c = ok(&rule(&ok_depth));
    assert!(ir::decode(ir::encode(&c.policy).as_bytes()).is_ok());
}

/// The example of the module documentation.
#[test]
fn module_example() -> Result<(), Diagnostics> {
    let policy = r#"
version = 1
[api]
identifier = "urn:auth0:express-configure"
[attributes]
"user.app_metadata.is_admin" = "bool?"
[[rule]]
id = "admins"
when = 'has(user.app_metadata.is_admin) && user.app_metadata.is_admin'
grant = ["express_configure:sso"]
"#;
    let compiled = compile(policy, "policy.toml")?;
    assert_eq!(compiled.policy.paths, ["resource_server.identifier", "user.app_metadata.is_admin"]);
    Ok(())
}

#[test]
fn nested_optionals_need_a_guard_per_level() {
    let src = |when: &str| {
        policy(&format!(
            "[attributes]\n\"user.app_metadata.t\" = \"{{id: string?}}?\"\n[[rule]]\nid = \"r\"\nwhen = '{when}'\ngrant = [\"s\"]\n"
        ))
    };
    ok(&src("has(user.app_metadata.t) && has(user.app_metadata.t.id) && user.app_metadata.t.id == \"x\""));
    // `has(t.id)` with `t` absent is an error, not false: it cannot guard `t` on an `&&` chain.
    expect_error(
        &src("has(user.app_metadata.t.id) && user.app_metadata.t.id == \"x\""),
        Code::UnguardedOptional,
        "optional attribute `user.app_metadata.t` is read without a `has()` guard in rule `r`",
        "has(user.app_metadata.t)",
        "user.app_metadata.t",
    );
}

// ---- Fail closed, declared types at run time, and the functions for domain rules ----

/// The decisions for `event` (JSON) under the compiled `src`, as the engine's JSON.
fn decide_json(src: &str, event: &str) -> String {
    let compiled = ok(src);
    let event = action_core::value::parse_json(event.as_bytes()).expect("event JSON");
    let outcome = action_core::decide(&compiled.policy, &event);
    outcome.to_json()
}

const EC_EVENT: &str = r#""resource_server":{"identifier":"urn:auth0:express-configure"}"#;

#[test]
fn on_error_is_read_and_lowered() {
    let src = policy(
        "[attributes]\n\"user.app_metadata.roles\" = \"list<string>?\"\n\
         [[rule]]\nid = \"all\"\nwhen = 'true'\ngrant = [\"express_configure:sso\", \"express_configure:scim\"]\n\
         [[rule]]\nid = \"contractors\"\non_error = \"skip\"\n\
         when = 'has(user.app_metadata.roles) && \"contractor\" in user.app_metadata.roles'\n\
         forbid = [\"express_configure:scim\"]\n",
    );
    assert_eq!(ok(&src).policy.rules[1].on_error, ir::OnError::Skip);
    let bad = src.replace("on_error = \"skip\"", "on_error = \"open\"");
    expect_error(&bad, Code::InvalidValue, "invalid `on_error` value `open`", "restrict, skip", "\"open\"");
}

#[test]
fn a_forbid_whose_condition_meets_a_badly_typed_value_still_forbids() {
    // The policy author's case: `roles` declared a list, but the user has the string "contractor".
    let src = policy(
        "[attributes]\n\"user.app_metadata.roles\" = \"list<string>?\"\n\
         [[rule]]\nid = \"all\"\nwhen = 'true'\ngrant = [\"express_configure:sso\", \"express_configure:scim\"]\n\
         [[rule]]\nid = \"contractors\"\nwhen = 'has(user.app_metadata.roles) && \"contractor\" in user.app_metadata.roles'\n\
         forbid = [\"express_configure:scim\"]\n",
    );
    let event = format!(r#"{{{EC_EVENT},"user":{{"app_metadata":{{"roles":"contractor"}}}}}}"#);
    let outcome = decide_json(&src, &event);
    assert!(outcome.contains(r#"{"type":"remove_scope","scope":"express_configure:scim"}"#), "{outcome}");
    assert!(!outcome.contains(r#"{"type":"add_scope","scope":"express_configure:scim"}"#), "{outcome}");
    assert!(
        outcome.contains("not the declared type: user.app_metadata.roles is string, declared list<string>"),
        "{outcome}"
    );
}

#[test]
fn a_declared_string_claim_is_never_a_number_or_null() {
    let src = policy(
        "[attributes]\n\"user.app_metadata.tier\" = \"string?\"\n\
         [[rule]]\nid = \"tier\"\nwhen = 'true'\ngrant = [\"s\"]\n\
         [[rule.claim]]\nname = \"https://example.com/tier\"\n\
         value = 'has(user.app_metadata.tier) ? user.app_metadata.tier : \"free\"'\n",
    );
    for tier in ["3", "null", r#"{"a":1}"#] {
        let event = format!(r#"{{{EC_EVENT},"user":{{"app_metadata":{{"tier":{tier}}}}}}}"#);
        let outcome = decide_json(&src, &event);
        assert!(!outcome.contains("set_claim"), "tier {tier}: {outcome}");
        assert!(outcome.contains("claim `https://example.com/tier` not set"), "tier {tier}: {outcome}");
    }
    let event = format!(r#"{{{EC_EVENT},"user":{{"app_metadata":{{"tier":"gold"}}}}}}"#);
    assert!(decide_json(&src, &event).contains(r#""value":"gold""#));
}

#[test]
fn sso_only_when_the_email_domain_is_one_of_the_organizations_domains() {
    let src = policy(
        "[domain_aliases]\nmetadata_key = \"domains\"\n\
         [[rule]]\nid = \"own-domain\"\nwhen = 'has(user.email) && user.email.emailDomain() in domain_aliases'\n\
         grant = [\"express_configure:sso\"]\n",
    );
    assert!(!ok(&src).policy.paths.iter().any(|p| p == "domain_aliases"), "not an event path");
    let org = r#""organization":{"id":"o","metadata":{"domains":"acme.com, acme.io"}}"#;
    let own = format!(r#"{{{EC_EVENT},{org},"user":{{"email":"Ada@Acme.IO"}}}}"#);
    assert!(decide_json(&src, &own).contains(r#"{"type":"add_scope","scope":"express_configure:sso"}"#));
    let other = format!(r#"{{{EC_EVENT},{org},"user":{{"email":"ada@example.com"}}}}"#);
    assert!(decide_json(&src, &other).contains(r#"{"type":"deny""#));

    let without =
        policy("[[rule]]\nid = \"r\"\nwhen = 'has(user.email) && user.email.emailDomain() in domain_aliases'\ngrant = [\"s\"]\n");
    expect_error(
        &without,
        Code::UnknownAttribute,
        "`domain_aliases` in rule `r` needs a `[domain_aliases]` section",
        "add `[domain_aliases]`",
        "domain_aliases",
    );
}

#[test]
fn split_and_trim_read_a_comma_list() {
    let src = policy(
        "[attributes]\n\"organization.metadata.admins\" = \"string?\"\n\
         [[rule]]\nid = \"listed\"\n\
         when = 'has(organization) && has(organization.metadata.admins) && has(user.email) && organization.metadata.admins.split(\",\").exists(a, a.trim() == user.email)'\n\
         grant = [\"s\"]\n",
    );
    let event = format!(
        r#"{{{EC_EVENT},"organization":{{"id":"o","metadata":{{"admins":"bob@x.io , ada@x.io"}}}},"user":{{"email":"ada@x.io"}}}}"#
    );
    assert!(decide_json(&src, &event).contains(r#"{"type":"add_scope","scope":"s"}"#));
    expect_error(
        &rule("has(user.email) && size(user.email.split(1)) > 0"),
        Code::TypeMismatch,
        "no matching overload for `split` on `string` and `int` in rule `r`",
        "",
        "user.email.split(1)",
    );
}

#[test]
fn a_deny_reason_may_be_computed_and_must_be_a_string() {
    let src = policy(
        "[attributes]\n\"organization.metadata.blocked\" = \"string?\"\n\
         [[rule]]\nid = \"blocked\"\nwhen = 'has(organization) && has(organization.metadata.blocked)'\n\
         deny = { reason = 'organization.metadata.blocked' }\n",
    );
    let event = format!(r#"{{{EC_EVENT},"organization":{{"id":"o","metadata":{{"blocked":"billing overdue"}}}}}}"#);
    assert!(decide_json(&src, &event).contains(r#"{"type":"deny","reason":"billing overdue"}"#));
    let not_string = src.replace("reason = 'organization.metadata.blocked'", "reason = '1'");
    expect_error(&not_string, Code::TypeMismatch, "the deny reason of rule `blocked` is `int`, not `string`", "", "1");
}

// ---- Diagnostics that teach ----

#[test]
fn an_unguarded_claim_value_gets_a_default_not_a_conjunct() {
    let src = policy(
        "[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"s\"]\n\
         [[rule.claim]]\nname = \"https://example.com/email\"\nvalue = 'user.email'\n",
    );
    expect_error(
        &src,
        Code::UnguardedOptional,
        "optional attribute `user.email` is read without a `has()` guard in claim `https://example.com/email` of rule `r`",
        "give it a value for when it is absent: `has(user.email) ? user.email : \"\"`",
        "user.email",
    );
    // The suggestion compiles.
    ok(&src.replace("value = 'user.email'", "value = 'has(user.email) ? user.email : \"\"'"));
    // In a condition the guard is a conjunct, as before.
    expect_error(
        &rule("user.email.endsWith(\"@x.io\")"),
        Code::UnguardedOptional,
        "optional attribute `user.email` is read without a `has()` guard in rule `r`",
        "guard it on the same `&&` chain: `has(user.email) && user.email.endsWith(\"@x.io\")`",
        "user.email",
    );
}

#[test]
fn cel_syntax_errors_point_at_the_habit_from_another_language() {
    expect_error(
        &rule("user.app_metadata.is_admin = true"),
        Code::CelSyntax,
        "invalid CEL in rule `r`: `=` is not CEL",
        "CEL compares with `==`",
        "=",
    );
    expect_error(
        &rule("has(user.email) and user.email == \"a=b\""),
        Code::CelSyntax,
        "invalid CEL in rule `r`: `and` is not CEL",
        "write `&&` here",
        "and",
    );
    // `=` inside a string, `==`, `<=` and a field called `or` are not mistakes.
    assert_eq!(super::cel::common_mistake("a == 'x=y' && b <= 2 || c.or"), None);
}

#[test]
fn misspelt_express_configure_scopes_are_warned() {
    let compiled =
        ok(&policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"express_configure:ssoo\", \"read:users\"]\n"));
    let warnings: Vec<_> = compiled.warnings.iter().filter(|w| w.code() == Code::ScopeTypo).collect();
    assert_eq!(warnings.len(), 1, "{:?}", compiled.warnings.iter().map(|w| w.message()).collect::<Vec<_>>());
    assert_eq!(warnings[0].message(), "scope `express_configure:ssoo` is not an Express Configure scope");
    assert!(warnings[0].help_text().unwrap_or("").starts_with("did you mean `express_configure:sso`?"));
    let dashed = ok(&policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"express-configure:scim\"]\n"));
    assert!(dashed.warnings.iter().any(|w| w.help_text().unwrap_or("").contains("`express_configure:scim`?")));
    let fine = ok(&policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ngrant = [\"express_configure:sso\"]\n"));
    assert!(fine.warnings.iter().all(|w| w.code() != Code::ScopeTypo));
}

#[test]
fn a_literal_deny_that_reads_like_an_attribute_is_warned() {
    let compiled = ok(&policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ndeny = \"organization.metadata.blocked\"\n"));
    let warning = compiled.warnings.iter().find(|w| w.code() == Code::LiteralDeny).expect("a warning");
    assert_eq!(
        warning.message(),
        "the deny reason is the text `organization.metadata.blocked`, not the value of that attribute"
    );
    assert!(warning.help_text().unwrap_or("").contains("deny = { reason = 'organization.metadata.blocked' }"));
    let prose = ok(&policy("[[rule]]\nid = \"r\"\nwhen = 'true'\ndeny = \"Access denied. Ask your admin.\"\n"));
    assert!(prose.warnings.iter().all(|w| w.code() != Code::LiteralDeny));
}

#[test]
fn a_restriction_that_reads_a_dyn_attribute_warns_that_it_may_fail() {
    let src = policy(
        "[attributes]\n\"user.app_metadata.contractor\" = \"dyn?\"\n\
         [[rule]]\nid = \"contractors\"\nwhen = 'has(user.app_metadata.contractor) && user.app_metadata.contractor == true'\n\
         forbid = [\"express_configure:scim\"]\n",
    );
    let compiled = ok(&src);
    let warning = compiled.warnings.iter().find(|w| w.code() == Code::RestrictionMayFail).expect("a warning");
    assert_eq!(
        warning.message(),
        "the condition of rule `contractors` can fail at run time: `user.app_metadata.contractor` is `dyn`"
    );
    // Typed, or skipping on error, or only granting: no warning.
    for quiet in [
        src.replace("\"dyn?\"", "\"bool?\""),
        src.replace(
            "forbid = [\"express_configure:scim\"]",
            "forbid = [\"express_configure:scim\"]\non_error = \"skip\"",
        ),
        src.replace("forbid", "grant"),
    ] {
        assert!(ok(&quiet).warnings.iter().all(|w| w.code() != Code::RestrictionMayFail), "{quiet}");
    }
}
