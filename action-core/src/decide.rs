//! `decide`: one event and a compiled policy in, ordered decisions and a trace out.
//!
//! The order of work is fixed so that outcomes are predictable and match the guides' snippets
//! run one after another:
//!
//! 1. the gate: only requests for the Express Configure API are touched;
//! 2. `sp_client_id` claims (the Okta guide): missing data fails the login;
//! 3. every rule's condition is evaluated once, in file order;
//! 4. a true rule with `deny` denies the login (nothing after it is decided);
//! 5. scopes: grants of true rules minus their forbids; none granted means deny (fail closed);
//! 6. `domain_aliases` for home-realm discovery;
//! 7. the claims of true rules;
//! 8. the MFA challenge.

use alloc::string::String;
use alloc::vec::Vec;

use crate::decision::{Decision, Outcome, RuleResult, Token, Trace};
use crate::domains::{read_domains, Refusal};
use crate::eval::evaluate;
use crate::ir::{GateField, OnInvalidDomain, Policy, Tokens};
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

    let mut applied = Vec::with_capacity(policy.rules.len());
    for rule in &policy.rules {
        let result = match evaluate(&rule.when, event) {
            Ok(Value::Bool(true)) => RuleResult::True,
            Ok(Value::Bool(false)) => RuleResult::False,
            Ok(other) => RuleResult::Error { message: not_bool(&other) },
            Err(e) => RuleResult::Error { message: e.message() },
        };
        applied.push(result == RuleResult::True);
        out.trace.push(Trace::Rule { id: rule.id.clone(), result });
    }
    let true_rules = || policy.rules.iter().zip(&applied).filter(|(_, a)| **a).map(|(r, _)| r);

    if let Some(reason) = true_rules().find_map(|r| r.deny.clone()) {
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

    if let Err(reason) = domain_aliases(policy, event, &mut out) {
        out.decisions.push(Decision::Deny { reason });
        return out;
    }

    for rule in true_rules() {
        for claim in &rule.claims {
            match evaluate(&claim.value, event) {
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
                    let mut message = String::from("claim `");
                    message.push_str(&claim.name);
                    message.push_str("` not set: ");
                    message.push_str(&e.message());
                    let mut source = String::from("rule:");
                    source.push_str(&rule.id);
                    out.trace.push(Trace::Note { source, message });
                }
            }
        }
    }

    mfa(policy, event, true_rules().any(|r| r.mfa), &mut out);
    out
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

/// Feature 2. `Err` is the deny reason when a bad domain must deny.
fn domain_aliases(policy: &Policy, event: &Value, out: &mut Outcome) -> Result<(), String> {
    let Some(hrd) = &policy.domain_aliases else { return Ok(()) };
    let raw = match path(event, &["organization", "metadata", hrd.metadata_key.as_str()]) {
        Some(Value::Str(raw)) if !raw.is_empty() => raw,
        Some(Value::Str(_)) | Some(Value::Null) | None => {
            note(out, "domain_aliases", "no domains in organization metadata: claim not set");
            return Ok(());
        }
        Some(other) => {
            let mut message = String::from("organization metadata value is a ");
            message.push_str(other.type_name());
            message.push_str(", not a string: claim not set");
            note(out, "domain_aliases", &message);
            return Ok(());
        }
    };
    let domains = read_domains(raw, &hrd.blocked);
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

/// Feature 4.
fn mfa(policy: &Policy, event: &Value, required_by_rule: bool, out: &mut Outcome) {
    let Some(mfa) = &policy.mfa else { return };
    let required = required_by_rule
        || match &mfa.when {
            None => true,
            Some(when) => match evaluate(when, event) {
                Ok(Value::Bool(b)) => b,
                Ok(other) => {
                    note(out, "mfa", &(not_bool(&other) + ": challenging anyway (fail closed)"));
                    true
                }
                Err(e) => {
                    note(out, "mfa", &(e.message() + ": challenging anyway (fail closed)"));
                    true
                }
            },
        };
    if !required {
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
