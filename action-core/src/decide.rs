//! `decide`: one event and a compiled policy in, ordered decisions and a trace out.
//!
//! The order of work is fixed so that outcomes are predictable and match the guides' snippets
//! run one after another:
//!
//! 1. the gate: only requests for the Express Configure API are touched;
//! 2. `sp_client_id` claims (the Okta guide): missing data fails the login;
//! 3. every rule's condition is evaluated once, in file order;
//! 4. a rule with `deny` whose condition held or failed denies the login (nothing after it is
//!    decided);
//! 5. scopes: grants of true rules minus the forbids of rules that held or failed; none granted
//!    means deny (fail closed);
//! 6. `domain_aliases` for home-realm discovery;
//! 7. the claims of true rules;
//! 8. the MFA challenge, required by a rule that held or failed, or by `[mfa] when`.
//!
//! Fail closed by construction: a condition that fails to evaluate never grants anything (its
//! rule's grants and claims do not apply), and the rule's restricting effects (forbid, deny,
//! MFA) apply as if it held, unless the rule says `on_error = "skip"`. Every failure is a
//! [`Trace::Error`] saying what it meant.

use alloc::string::String;
use alloc::vec::Vec;

use crate::decision::{Decision, Outcome, RuleResult, Token, Trace};
use crate::domains::{read_domains, Domains, Refusal};
use crate::eval::{evaluate_in, Scope};
use crate::ir::{DenyReason, Expr, GateField, OnError, OnInvalidDomain, Policy, Rule, Tokens, DEFAULT_DENY_REASON};
use crate::value::Value;

/// The factor type that the MFA feature enrols or challenges depending on enrolment.
const WEBAUTHN_PLATFORM: &str = "webauthn-platform";

/// Decides what the Action does for `event` (the pruned post-login event, `secrets` included).
pub fn decide(policy: &Policy, event: &Value) -> Outcome {
    let mut out = Outcome::default();
    let requested = match policy.gate.field {
        GateField::ResourceServer => path(event, &["resource_server", "identifier"]),
        GateField::AudienceQuery => path(event, &["request", "query", "audience"]),
    }
    .and_then(Value::as_str)
        == Some(policy.gate.api_identifier.as_str());
    out.trace.push(Trace::Gate { api: policy.gate.api_identifier.clone(), matched: requested });
    if !requested {
        return out;
    }

    if let Err(message) = sp_claims(policy, event, &mut out) {
        out.decisions.push(Decision::Fail { message });
        return out;
    }

    // The organization's domains, read once: for the feature (step 6) and for conditions that
    // read `domain_aliases` (an empty list when there are none or they are unreadable).
    let hrd = policy.domain_aliases.as_ref().map(|h| read_hrd(&h.metadata_key, &h.blocked, event));
    let hrd_list = hrd.as_ref().map(|read| match read {
        HrdRead::Read(domains) => Value::List(domains.accepted.iter().cloned().map(Value::Str).collect()),
        HrdRead::Missing | HrdRead::NotAString(_) => Value::List(Vec::new()),
    });
    let scope = Scope { root: event, domain_aliases: hrd_list.as_ref() };

    // Per rule: whether its condition held (all effects apply), and whether its restricting
    // effects apply (it held, or it failed and restricts on error).
    let mut held = Vec::with_capacity(policy.rules.len());
    let mut restricting = Vec::with_capacity(policy.rules.len());
    for rule in &policy.rules {
        let result = match evaluate_in(&rule.when, &scope) {
            Ok(Value::Bool(true)) => RuleResult::True,
            Ok(Value::Bool(false)) => RuleResult::False,
            Ok(other) => RuleResult::Error { message: not_bool(&other) },
            Err(e) => RuleResult::Error { message: e.message() },
        };
        let failure = match &result {
            RuleResult::Error { message } => Some(message.clone()),
            _ => None,
        };
        held.push(result == RuleResult::True);
        restricting.push(result == RuleResult::True || (failure.is_some() && rule.on_error == OnError::Restrict));
        out.trace.push(Trace::Rule { id: rule.id.clone(), result });
        if let Some(message) = failure {
            out.trace.push(Trace::Error { source: rule_source(rule), message, effect: condition_failed(rule) });
        }
    }
    let true_rules = || policy.rules.iter().zip(&held).filter(|(_, h)| **h).map(|(r, _)| r);
    let restricting_rules = || policy.rules.iter().zip(&restricting).filter(|(_, r)| **r).map(|(r, _)| r);

    if let Some(rule) = restricting_rules().find(|r| r.deny.is_some()) {
        let reason = deny_reason(rule, &scope, &mut out);
        out.decisions.push(Decision::Deny { reason });
        return out;
    }

    if let Some(scopes) = &policy.scopes {
        let mut granted: Vec<&String> = Vec::new();
        let mut forbidden: Vec<&String> = Vec::new();
        for rule in true_rules() {
            for scope in &rule.grant {
                if !granted.contains(&scope) {
                    granted.push(scope);
                }
            }
        }
        for rule in restricting_rules() {
            for scope in &rule.forbid {
                if !forbidden.contains(&scope) {
                    forbidden.push(scope);
                }
            }
        }
        granted.retain(|s| !forbidden.contains(s));
        if granted.is_empty() {
            note(&mut out, "scopes", "no scope granted: denying (fail closed)");
            out.decisions.push(Decision::Deny { reason: scopes.deny_message.clone() });
            return out;
        }
        for scope in granted {
            out.decisions.push(Decision::AddScope { scope: scope.clone() });
        }
        for scope in forbidden {
            out.decisions.push(Decision::RemoveScope { scope: scope.clone() });
        }
    }

    if let Err(reason) = domain_aliases(policy, hrd, &mut out) {
        out.decisions.push(Decision::Deny { reason });
        return out;
    }

    for rule in true_rules() {
        for claim in &rule.claims {
            match evaluate_in(&claim.value, &scope) {
                Ok(value) => {
                    let tokens: &[Token] = match claim.tokens {
                        Tokens::Access => &[Token::Access],
                        Tokens::Id => &[Token::Id],
                        Tokens::Both => &[Token::Access, Token::Id],
                    };
                    for token in tokens {
                        out.decisions.push(Decision::SetClaim {
                            token: *token,
                            name: claim.name.clone(),
                            value: value.clone(),
                        });
                    }
                }
                Err(e) => {
                    let mut source = rule_source(rule);
                    source.push_str(" claim ");
                    source.push_str(&claim.name);
                    let mut effect = String::from("claim `");
                    effect.push_str(&claim.name);
                    effect.push_str("` not set");
                    out.trace.push(Trace::Error { source, message: e.message(), effect });
                }
            }
        }
    }

    mfa(policy, &scope, restricting_rules().any(|r| r.mfa), &mut out);
    out
}

/// The reason `rule` denies with; a computed one that fails falls back to
/// [`DEFAULT_DENY_REASON`] (the login is denied all the same).
fn deny_reason(rule: &Rule, scope: &Scope<'_>, out: &mut Outcome) -> String {
    let computed = match &rule.deny {
        Some(DenyReason::Text(text)) => return text.clone(),
        Some(DenyReason::Computed(expr)) => expr,
        None => return String::from(DEFAULT_DENY_REASON),
    };
    let message = match evaluate_in(computed, scope) {
        Ok(Value::Str(reason)) => return reason,
        Ok(other) => {
            let mut message = String::from("reason is not a string but ");
            message.push_str(other.type_name());
            message
        }
        Err(e) => e.message(),
    };
    let mut source = rule_source(rule);
    source.push_str(" deny");
    let mut effect = String::from("denied with the reason `");
    effect.push_str(DEFAULT_DENY_REASON);
    effect.push('`');
    out.trace.push(Trace::Error { source, message, effect });
    String::from(DEFAULT_DENY_REASON)
}

fn rule_source(rule: &Rule) -> String {
    let mut source = String::from("rule:");
    source.push_str(&rule.id);
    source
}

/// What a failed condition meant for `rule`, for its [`Trace::Error`].
fn condition_failed(rule: &Rule) -> String {
    if rule.on_error == OnError::Skip {
        return String::from("the rule does not apply (on_error = \"skip\")");
    }
    let mut restrictions: Vec<&str> = Vec::new();
    if !rule.forbid.is_empty() {
        restrictions.push("forbid");
    }
    if rule.deny.is_some() {
        restrictions.push("deny");
    }
    if rule.mfa {
        restrictions.push("mfa");
    }
    let mut grants: Vec<&str> = Vec::new();
    if !rule.grant.is_empty() {
        grants.push("grant");
    }
    if !rule.claims.is_empty() {
        grants.push("claims");
    }
    let list = |items: &[&str], out: &mut String| {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(item);
        }
    };
    let mut effect = String::new();
    if !restrictions.is_empty() {
        list(&restrictions, &mut effect);
        effect.push_str(" applied as if the condition held");
    }
    if !grants.is_empty() {
        if !effect.is_empty() {
            effect.push_str("; ");
        }
        list(&grants, &mut effect);
        effect.push_str(" not applied");
    }
    if effect.is_empty() {
        effect.push_str("the rule does not apply");
    }
    effect.push_str(" (fail closed)");
    effect
}

#[cfg(test)]
mod tests;

fn path<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(value, |v, k| v.get(k))
}

fn note(out: &mut Outcome, source: &str, message: &str) {
    out.trace.push(Trace::Note { source: String::from(source), message: String::from(message) });
}

fn not_bool(value: &Value) -> String {
    let mut message = String::from("condition is not a bool but ");
    message.push_str(value.type_name());
    message
}

fn secret<'a>(event: &'a Value, name: &str) -> Result<&'a Value, String> {
    match path(event, &["secrets", name]) {
        Some(value @ Value::Str(s)) if !s.is_empty() => Ok(value),
        _ => {
            let mut message = String::from("actionkit: the secret ");
            message.push_str(name);
            message.push_str(" is not set on this Action");
            Err(message)
        }
    }
}

/// Feature 1. `Err` is the message to fail the login with.
fn sp_claims(policy: &Policy, event: &Value, out: &mut Outcome) -> Result<(), String> {
    let Some(sp) = &policy.sp_claims else { return Ok(()) };
    let client_id = path(event, &["client", "metadata", sp.metadata_key.as_str()]);
    let org_id = path(event, &["organization", "id"]);
    if !client_id.is_some_and(Value::is_truthy) || !org_id.is_some_and(Value::is_truthy) {
        note(out, "sp_claims", "client metadata or organization id missing");
        return Err(sp.missing_data_message.clone());
    }
    let tenant = secret(event, &sp.tenant_domain_secret)?;
    let login = secret(event, &sp.init_login_secret)?;
    let mut audience = String::from(tenant.as_str().unwrap_or_default());
    audience.push_str("/api/v2/");
    let claims = [
        ("sp_client_id", client_id.cloned().unwrap_or(Value::Null)),
        ("management_api_audience", Value::Str(audience)),
        ("init_login_uri", login.clone()),
    ];
    for (name, value) in claims {
        out.decisions.push(Decision::SetClaim { token: Token::Access, name: String::from(name), value });
    }
    Ok(())
}

/// The organization metadata value `[domain_aliases]` reads.
enum HrdRead {
    /// Absent, `null` or empty.
    Missing,
    /// Not a string: the value's type.
    NotAString(&'static str),
    /// The domains it lists, accepted and refused.
    Read(Domains),
}

fn read_hrd(metadata_key: &str, blocked: &[String], event: &Value) -> HrdRead {
    match path(event, &["organization", "metadata", metadata_key]) {
        Some(Value::Str(raw)) if !raw.is_empty() => HrdRead::Read(read_domains(raw, blocked)),
        Some(Value::Str(_)) | Some(Value::Null) | None => HrdRead::Missing,
        Some(other) => HrdRead::NotAString(other.type_name()),
    }
}

/// Feature 2. `Err` is the deny reason when a bad domain must deny.
fn domain_aliases(policy: &Policy, read: Option<HrdRead>, out: &mut Outcome) -> Result<(), String> {
    let (Some(hrd), Some(read)) = (&policy.domain_aliases, read) else { return Ok(()) };
    let domains = match read {
        HrdRead::Read(domains) => domains,
        HrdRead::Missing => {
            note(out, "domain_aliases", "no domains in organization metadata: claim not set");
            return Ok(());
        }
        HrdRead::NotAString(type_name) => {
            let mut message = String::from("organization metadata value is a ");
            message.push_str(type_name);
            message.push_str(", not a string: claim not set");
            note(out, "domain_aliases", &message);
            return Ok(());
        }
    };
    for (entry, refusal) in &domains.refused {
        let mut message = String::from(match hrd.on_invalid {
            OnInvalidDomain::Drop => "dropped `",
            OnInvalidDomain::Deny => "refused `",
        });
        message.push_str(entry);
        message.push_str(match refusal {
            Refusal::Invalid => "`: not a domain name",
            Refusal::Blocked => "`: public email provider or blocked domain",
        });
        note(out, "domain_aliases", &message);
    }
    if !domains.refused.is_empty() && hrd.on_invalid == OnInvalidDomain::Deny {
        return Err(hrd.deny_message.clone());
    }
    if domains.accepted.is_empty() {
        note(out, "domain_aliases", "no acceptable domain: claim not set");
        return Ok(());
    }
    let aliases = Value::List(domains.accepted.into_iter().map(Value::Str).collect());
    out.decisions.push(Decision::SetClaim {
        token: Token::Access,
        name: hrd.claim.clone(),
        value: Value::Map(alloc::vec![(String::from("domain_aliases"), aliases)]),
    });
    Ok(())
}

/// The value of `[mfa] when`; a failure requires MFA (fail closed).
fn mfa_condition(when: &Expr, scope: &Scope<'_>, out: &mut Outcome) -> bool {
    let message = match evaluate_in(when, scope) {
        Ok(Value::Bool(held)) => {
            note(out, "mfa", if held { "`when` is true: MFA required" } else { "`when` is false" });
            return held;
        }
        Ok(other) => not_bool(&other),
        Err(e) => e.message(),
    };
    out.trace.push(Trace::Error {
        source: String::from("mfa.when"),
        message,
        effect: String::from("MFA required as if the condition held (fail closed)"),
    });
    true
}

/// Feature 4.
fn mfa(policy: &Policy, scope: &Scope<'_>, required_by_rule: bool, out: &mut Outcome) {
    let event = scope.root;
    let Some(mfa) = &policy.mfa else { return };
    // `when` is evaluated (and traced) even when a rule already requires MFA, so that `explain`
    // always shows it.
    let required_by_when = match &mfa.when {
        None => true,
        Some(when) => mfa_condition(when, scope, out),
    };
    if !(required_by_rule || required_by_when) {
        return;
    }
    if let Some(provider) = &mfa.provider {
        out.decisions.push(Decision::MultifactorEnable { provider: provider.clone() });
    }
    for factor in &mfa.challenge {
        out.decisions.push(Decision::ChallengeWith { factor: factor.clone() });
    }
    if mfa.webauthn_platform {
        // A missing `enrolledFactors` means nothing is enrolled (the snippet would crash).
        let enrolled = match path(event, &["user", "enrolledFactors"]) {
            Some(Value::List(factors)) => {
                factors.iter().any(|f| f.get("type").and_then(Value::as_str) == Some(WEBAUTHN_PLATFORM))
            }
            _ => false,
        };
        let factor = String::from(WEBAUTHN_PLATFORM);
        out.decisions.push(if enrolled { Decision::ChallengeWith { factor } } else { Decision::EnrollWith { factor } });
    }
}
