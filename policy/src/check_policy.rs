//! The policy-level rules, which need no type checking: rule ids, scopes, rules without effect,
//! MFA providers, factors and the command cap, claim names, and claim values that read secrets.
//! What Auth0 accepts comes from `auth0_platform`, never from a copy here.

use auth0_platform::claims::{in_auth0_namespace, PROFILE_CLAIMS, RESTRICTED_CLAIM_NAMES};
use auth0_platform::{mfa, scopes};

use super::ast::{PolicyAst, Span};
use super::check_expr::CheckedExprs;
use super::diagnostic::{Code, Diagnostics, PolicyDiagnostic, Source};
use super::schema::suggest;

/// Policy-level checks that need no CEL: rule ids, scopes, MFA names and limits, claim names.
pub fn check_policy(ast: &PolicyAst, source: &Source, diags: &mut Diagnostics) {
    let mut ids: Vec<&str> = Vec::new();
    for rule in &ast.rules {
        let id = rule.id.value.as_str();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            diags.push(
                PolicyDiagnostic::error(source, Code::InvalidRuleId, format!("invalid rule id `{id}`"))
                    .at(rule.id.span.clone(), "not [a-z0-9_-]+")
                    .help(format!("use lowercase letters, digits, `-` and `_`, e.g. `{}`", slug(id))),
            );
        }
        if ids.contains(&id) {
            diags.push(
                PolicyDiagnostic::error(source, Code::DuplicateRuleId, format!("duplicate rule id `{id}`"))
                    .at(rule.id.span.clone(), "used by an earlier rule")
                    .help("give every rule a unique id: traces and tests refer to rules by id"),
            );
        }
        ids.push(id);
        for scope in rule.grant.iter().chain(&rule.forbid) {
            let s = scope.value.as_str();
            if !scopes::is_valid_scope(s) {
                diags.push(
                    PolicyDiagnostic::error(source, Code::InvalidScope, format!("invalid scope `{s}`"))
                        .at(scope.span.clone(), "not a scope")
                        .help(format!(
                            "a scope is 1 to {} characters without whitespace, e.g. `express_configure:sso`",
                            scopes::MAX_SCOPE_CHARS
                        )),
                );
            }
        }
        if rule.grant.is_empty() && rule.forbid.is_empty() && rule.deny.is_none() && !rule.mfa && rule.claims.is_empty()
        {
            diags.push(
                PolicyDiagnostic::warning(source, Code::RuleWithoutEffect, format!("rule `{id}` has no effect"))
                    .at(rule.id.span.clone(), "does nothing when it holds")
                    .help("add `grant`, `forbid`, `deny`, `mfa = true` or a `[[rule.claim]]`"),
            );
        }
        for claim in &rule.claims {
            check_claim_name(&claim.name.value, claim.name.span.clone(), source, diags);
        }
    }
    if let Some(hrd) = &ast.domain_aliases {
        check_claim_name(&hrd.claim.value, hrd.claim.span.clone(), source, diags);
    }
    if let Some(mfa) = &ast.mfa {
        const PROVIDERS: &[&str] = mfa::PROVIDERS;
        const FACTORS: &[&str] = mfa::FACTORS;
        if let Some(p) = &mfa.provider {
            if !PROVIDERS.contains(&p.value.as_str()) {
                let help = suggest(&p.value, PROVIDERS).map_or_else(
                    || format!("use one of: {}, or `false` to skip `api.multifactor.enable`", PROVIDERS.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(
                    PolicyDiagnostic::error(source, Code::InvalidFactor, format!("unknown MFA provider `{}`", p.value))
                        .at(p.span.clone(), "not an Auth0 MFA provider")
                        .help(help),
                );
            }
        }
        for f in &mfa.challenge {
            if !FACTORS.contains(&f.value.as_str()) {
                let help = suggest(&f.value, FACTORS)
                    .map_or_else(|| format!("use one of: {}", FACTORS.join(", ")), |s| format!("did you mean `{s}`?"));
                diags.push(
                    PolicyDiagnostic::error(source, Code::InvalidFactor, format!("unknown MFA factor `{}`", f.value))
                        .at(f.span.clone(), "not an Auth0 factor type")
                        .help(help),
                );
            }
        }
        let commands = mfa.challenge.len() + usize::from(mfa.webauthn_platform);
        if commands > mfa::MAX_COMMANDS {
            let span = mfa
                .challenge
                .first()
                .map_or(mfa.span.clone(), |f| f.span.start..mfa.challenge.last().map_or(f.span.end, |l| l.span.end));
            diags.push(
                PolicyDiagnostic::error(
                    source,
                    Code::TooManyMfaCommands,
                    format!("{commands} MFA commands in one flow, Auth0 allows at most {}", mfa::MAX_COMMANDS),
                )
                .at(span, "too many factors")
                .help(format!(
                    "Auth0 runs at most {} `challengeWith`/`enrollWith` commands per login; challenge fewer factors",
                    mfa::MAX_COMMANDS
                )),
            );
        }
    }
}

/// Claim values that read a secret (a warning): run on the checked expressions, because which
/// event paths a value reads is only known once it is checked.
pub fn check_claim_values(exprs: &CheckedExprs<'_>, source: &Source, diags: &mut Diagnostics) {
    for rule in &exprs.rules {
        for (claim, value) in &rule.claims {
            let secret = value.paths.iter().find(|p| *p == "secrets" || p.starts_with("secrets."));
            if let (Some(secret), Some(text)) = (secret, &claim.value) {
                diags.push(
                    PolicyDiagnostic::warning(
                        source,
                        Code::SecretInClaim,
                        format!("claim `{}` reads `{secret}`", claim.name.value),
                    )
                    .at(text.span.clone(), "copies a secret into a token")
                    .help("tokens are readable by the application and the user: keep secrets out of claim values"),
                );
            }
        }
    }
}

fn slug(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "my-rule".into()
    } else {
        s
    }
}

/// Restricted names and Auth0 namespaces are errors (the claim would never reach the token, which
/// is always a mistake); OIDC profile names are warnings (they work, but only with the scope).
fn check_claim_name(name: &str, span: Span, source: &Source, diags: &mut Diagnostics) {
    if name.is_empty() {
        diags.push(
            PolicyDiagnostic::error(source, Code::RestrictedClaim, "empty claim name")
                .at(span, "empty")
                .help("name the claim, e.g. `https://example.com/roles`"),
        );
    } else if RESTRICTED_CLAIM_NAMES.contains(&name) || name == "scope" {
        diags.push(
            PolicyDiagnostic::error(source, Code::RestrictedClaim, format!("claim `{name}` is restricted by Auth0"))
                .at(span, "Auth0 silently drops this claim")
                .help(format!("use a namespaced name, e.g. `https://example.com/{name}`")),
        );
    } else if in_auth0_namespace(name) {
        diags.push(
            PolicyDiagnostic::error(source, Code::RestrictedClaim, format!("claim `{name}` uses an Auth0 namespace"))
                .at(span, "Auth0 silently drops claims in its own namespaces")
                .help("use a namespace you own, e.g. `https://example.com/...`"),
        );
    } else if PROFILE_CLAIMS.contains(&name) {
        diags.push(
            PolicyDiagnostic::warning(source, Code::ProfileClaim, format!("claim `{name}` is an OIDC profile claim"))
                .at(span, "released only when its scope is requested")
                .help(format!("Auth0 includes `{name}` only with the matching OIDC scope; use a namespaced name to always include it")),
        );
    }
}
