//! The policy-level rules, which need no type checking: rule ids, scopes, rules without effect,
//! MFA providers, factors and the command cap, claim names, and claim values that read secrets.
//! What Auth0 accepts comes from `auth0_platform`, never from a copy here.

use auth0_platform::claims::{in_auth0_namespace, PROFILE_CLAIMS, RESTRICTED_CLAIM_NAMES};
use auth0_platform::{mfa, scopes};

use super::ast::{DenyAst, PolicyAst, Span};
use super::check_expr::CheckedExprs;
use super::diagnostic::problems::{
    DuplicateRuleId, InvalidFactor, InvalidRuleId, InvalidScope, LiteralDeny, ProfileClaim, RestrictedClaim,
    RuleWithoutEffect, ScopeTypo, SecretInClaim, TooManyMfaCommands,
};
use super::diagnostic::{Diagnostics, Problem, Source};
use super::schema::{suggest, Schema};

/// The Express Configure scope `scope` is probably a misspelling of: one that starts like them
/// (`express_configure:ssoo`, `express-configure:sso`) or is close to one, but is none of them.
fn express_scope_typo(scope: &str) -> Option<String> {
    use auth0_platform::express::{SCOPES, SCOPE_PREFIX};
    if SCOPES.contains(&scope) {
        return None;
    }
    let lower = scope.to_ascii_lowercase().replace('-', "_");
    if SCOPES.contains(&lower.as_str()) {
        return SCOPES.iter().find(|s| **s == lower).map(|s| s.to_string());
    }
    let looks_express = lower.starts_with(SCOPE_PREFIX) || lower.starts_with("express_config");
    suggest(&lower, SCOPES).or_else(|| {
        looks_express.then(|| {
            let rest = lower.rsplit(':').next().unwrap_or("");
            SCOPES
                .iter()
                .min_by_key(|s| strsim::levenshtein(s.rsplit(':').next().unwrap_or(""), rest))
                .map(|s| s.to_string())
                .unwrap_or_default()
        })
    })
}

/// Whether a literal deny reason reads like an attribute path (`organization.metadata.blocked`):
/// dotted identifiers starting at a top-level attribute of the event.
fn looks_like_an_attribute(text: &str, schema: &Schema) -> bool {
    let mut segments = text.split('.');
    let first = segments.next().unwrap_or("");
    let identifier = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    text.contains('.') && schema.root().field(first).is_some() && segments.all(identifier)
}

/// Policy-level checks that need no CEL: rule ids, scopes, MFA names and limits, claim names.
pub fn check_policy(ast: &PolicyAst, schema: &Schema, source: &Source, diags: &mut Diagnostics) {
    let mut ids: Vec<&str> = Vec::new();
    for rule in &ast.rules {
        let id = rule.id.value.as_str();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            diags.push(InvalidRuleId { id: id.to_string() }.at(source, rule.id.span.clone()));
        }
        if ids.contains(&id) {
            diags.push(DuplicateRuleId { id: id.to_string() }.at(source, rule.id.span.clone()));
        }
        ids.push(id);
        for scope in rule.grant.iter().chain(&rule.forbid) {
            let s = scope.value.as_str();
            if !scopes::is_valid_scope(s) {
                diags.push(InvalidScope { scope: s.to_string() }.at(source, scope.span.clone()));
            } else if let Some(suggestion) = express_scope_typo(s) {
                diags.push(ScopeTypo { scope: s.to_string(), suggestion }.at(source, scope.span.clone()));
            }
        }
        if let Some(DenyAst::Text(text)) = &rule.deny {
            if looks_like_an_attribute(&text.value, schema) {
                diags.push(LiteralDeny { text: text.value.clone() }.at(source, text.span.clone()));
            }
        }
        if rule.grant.is_empty() && rule.forbid.is_empty() && rule.deny.is_none() && !rule.mfa && rule.claims.is_empty()
        {
            diags.push(RuleWithoutEffect { id: id.to_string() }.at(source, rule.id.span.clone()));
        }
        for claim in &rule.claims {
            check_claim_name(&claim.name.value, claim.name.span.clone(), source, diags);
        }
    }
    if let Some(hrd) = &ast.domain_aliases {
        check_claim_name(&hrd.claim.value, hrd.claim.span.clone(), source, diags);
    }
    if let Some(mfa) = &ast.mfa {
        if let Some(p) = &mfa.provider {
            if !mfa::PROVIDERS.contains(&p.value.as_str()) {
                let suggestion = suggest(&p.value, mfa::PROVIDERS);
                diags.push(InvalidFactor::Provider { name: p.value.clone(), suggestion }.at(source, p.span.clone()));
            }
        }
        for f in &mfa.challenge {
            if !mfa::FACTORS.contains(&f.value.as_str()) {
                let suggestion = suggest(&f.value, mfa::FACTORS);
                diags.push(InvalidFactor::Factor { name: f.value.clone(), suggestion }.at(source, f.span.clone()));
            }
        }
        let commands = mfa.challenge.len() + usize::from(mfa.webauthn_platform);
        if commands > mfa::MAX_COMMANDS {
            let span = mfa
                .challenge
                .first()
                .map_or(mfa.span.clone(), |f| f.span.start..mfa.challenge.last().map_or(f.span.end, |l| l.span.end));
            diags.push(TooManyMfaCommands { commands }.at(source, span));
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
                let problem = SecretInClaim { claim: claim.name.value.clone(), secret: secret.clone() };
                diags.push(problem.at(source, text.span.clone()));
            }
        }
    }
}

/// Restricted names and Auth0 namespaces are errors (the claim would never reach the token, which
/// is always a mistake); OIDC profile names are warnings (they work, but only with the scope).
fn check_claim_name(name: &str, span: Span, source: &Source, diags: &mut Diagnostics) {
    let diagnostic = if name.is_empty() {
        RestrictedClaim::Empty.at(source, span)
    } else if RESTRICTED_CLAIM_NAMES.contains(&name) || name == "scope" {
        RestrictedClaim::Restricted { name: name.to_string() }.at(source, span)
    } else if in_auth0_namespace(name) {
        RestrictedClaim::Auth0Namespace { name: name.to_string() }.at(source, span)
    } else if PROFILE_CLAIMS.contains(&name) {
        ProfileClaim { name: name.to_string() }.at(source, span)
    } else {
        return;
    };
    diags.push(diagnostic);
}
