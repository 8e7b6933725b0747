//! Folds the effective `api` calls of a run into the state Auth0 acts on after the flow: claims
//! per token (with the custom-claim rules), scopes (last operation per scope wins), denial, MFA,
//! metadata, session/refresh-token/SAML settings. Pure data in, data out, so it is unit-testable
//! apart from the JS engine.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::claims::{self, Token, MAX_CLAIMS_BYTES};
use crate::fixture::Tenant;
use crate::outcome::{ActionError, Call, Denial, DroppedClaim, ErrorKind, MfaStep, Outcome, ScopeChanges, Status};

use auth0_platform::mfa::MAX_COMMANDS as MAX_MFA_COMMANDS;

/// The commands that stop the flow after the Action that issued them.
pub(crate) fn denial_of(call: &Call) -> Option<Denial> {
    let arg = |i: usize| call.args.get(i).cloned().unwrap_or(Value::Null);
    let (error, reason) = match call.method.as_str() {
        "access.deny" | "session.revoke" | "refreshToken.revoke" => ("access_denied", arg(0)),
        "validation.error" => (call.args.first().and_then(Value::as_str).unwrap_or("invalid_request"), arg(1)),
        _ => return None,
    };
    Some(Denial { action: call.action.clone(), via: call.method.clone(), error: error.to_string(), reason })
}

pub(crate) fn is_mfa_command(method: &str) -> bool {
    matches!(
        method,
        "authentication.challengeWith"
            | "authentication.challengeWithAny"
            | "authentication.enrollWith"
            | "authentication.enrollWithAny"
    )
}

/// The factors of an MFA command: `(factor, {additionalFactors})` or `(factors[])`.
pub(crate) fn mfa_factors(call: &Call) -> Vec<Value> {
    match call.args.first() {
        Some(Value::Array(list)) => list.clone(),
        Some(first) => {
            let mut factors = vec![first.clone()];
            if let Some(extra) = call.args.get(1).and_then(|o| o.get("additionalFactors")).and_then(Value::as_array) {
                factors.extend(extra.iter().cloned());
            }
            factors
        }
        None => Vec::new(),
    }
}

/// A factor selector's type with Auth0's `push` alias resolved.
pub(crate) fn factor_type(factor: &Value) -> Option<&str> {
    let named = factor.get("type").and_then(Value::as_str)?;
    Some(auth0_platform::mfa::factor_type(named).unwrap_or(named))
}

/// What the MFA commands of one login transaction can use, updated as the simulated steps pass:
/// the tenant's MFA settings, the user's enrolled factors and the factors satisfied so far. The
/// flow folds each carried-out command through it; the factor it picks is what later Actions see
/// and what the Outcome reports.
#[derive(Debug, Clone)]
pub(crate) struct MfaLedger<'t> {
    tenant: &'t Tenant,
    enrolled: Vec<String>,
    /// Email is implicitly enrolled once the address is verified ("Configure Email
    /// Notifications for MFA": users do not enroll it explicitly).
    email_verified: bool,
    satisfied: Vec<String>,
}

impl<'t> MfaLedger<'t> {
    /// The state at the start of the transaction, from the event's `user`.
    pub(crate) fn new(tenant: &'t Tenant, user: Option<&Value>) -> MfaLedger<'t> {
        let enrolled = user
            .and_then(|u| u.get("enrolledFactors"))
            .and_then(Value::as_array)
            .map(|factors| factors.iter().filter_map(factor_type).map(String::from).collect())
            .unwrap_or_default();
        let email_verified = user.and_then(|u| u.get("email_verified")) == Some(&Value::Bool(true));
        MfaLedger { tenant, enrolled, email_verified, satisfied: Vec::new() }
    }

    fn is_enrolled(&self, kind: &str) -> bool {
        self.enrolled.iter().any(|f| f == kind) || (kind == "email" && self.email_verified)
    }

    /// Carries out one effective MFA command as Auth0 does after the Action: the factors not
    /// enabled on the tenant, not enrolled (challenge) or already enrolled (enrollment) are
    /// ignored, and the simulated step passes with the first one left that is not already
    /// satisfied in this transaction (`None`: all were, nothing to do). `Err` is why the login
    /// fails.
    pub(crate) fn resolve(&mut self, call: &Call) -> Result<Option<Value>, String> {
        let command = call.method.strip_prefix("authentication.").unwrap_or(&call.method);
        if !self.tenant.customize_mfa_factors {
            return Err(format!(
                "api.authentication.{command} needs the tenant setting \"Customize MFA Factors using Actions\", which \
                 the fixture turns off (tenant.mfa.customize_factors_with_actions), so Auth0 fails the login"
            ));
        }
        let enrollment = command.starts_with("enroll");
        let mut ignored = Vec::new();
        let mut usable = Vec::new();
        for factor in mfa_factors(call) {
            let Some(kind) = factor_type(&factor).map(String::from) else {
                ignored.push("a factor without a type".to_string());
                continue;
            };
            let reason = if !self.tenant.mfa_factors.contains(&kind) {
                Some("not enabled on the tenant")
            } else if enrollment && kind == "email" {
                Some("cannot be enrolled")
            } else if enrollment && self.is_enrolled(&kind) {
                Some("already enrolled")
            } else if !enrollment && !self.is_enrolled(&kind) {
                Some("not enrolled by the user")
            } else {
                None
            };
            match reason {
                Some(reason) => ignored.push(format!("{kind}: {reason}")),
                None => usable.push((kind, factor)),
            }
        }
        if usable.is_empty() {
            let requested = if ignored.is_empty() { "no factor requested".to_string() } else { ignored.join("; ") };
            let mut message =
                format!("api.authentication.{command}: none of the requested factors can be used ({requested}), so Auth0 fails the login");
            if enrollment {
                // Auth0's MFA enrollment guide says the command fails and the login continues; the
                // API reference says the login fails. The stricter one is emulated: a needless guard is harmless,
                // a user locked out in production is not.
                message.push_str(
                    " (the API reference says so; the MFA enrollment guide says the login continues: guard the call with \
                     event.user.enrolledFactors)",
                );
            }
            return Err(message);
        }
        if enrollment {
            // Email alone does not count: it is not a separate factor.
            let has_other_factors = self.enrolled.iter().any(|f| f != "email");
            if has_other_factors && self.satisfied.is_empty() {
                return Err(
                    "An MFA enrollment was requested but the user is already enrolled in MFA. Challenge with at \
                            least one existing factor before enrolling a new one."
                        .into(),
                );
            }
            let (kind, factor) = usable.remove(0);
            self.enrolled.push(kind.clone());
            self.satisfied.push(kind);
            return Ok(Some(factor));
        }
        let pending = usable.into_iter().find(|(kind, _)| !self.satisfied.contains(kind));
        Ok(pending.map(|(kind, factor)| {
            self.satisfied.push(kind);
            factor
        }))
    }
}

/// Why Auth0 refuses to issue tokens after `api.authentication.setPrimaryUser(primary)`: the
/// identity that logged in (`user_id`) must be a secondary identity of `primary` in the tenant's
/// linked accounts.
fn primary_user_failure(tenant: &Tenant, call: &Call, user_id: Option<&str>) -> Option<ActionError> {
    let primary = call.args.first().and_then(Value::as_str)?;
    let identity = user_id.unwrap_or("(no event.user.user_id)");
    let message = match &tenant.linked_accounts {
        None => format!(
            "api.authentication.setPrimaryUser('{primary}'): Auth0 issues tokens only if `{identity}` is a secondary \
             identity of `{primary}`, and the fixture does not declare the tenant's linked accounts; add \
             \"tenant\": {{\"linked_accounts\": {{\"{primary}\": [\"{identity}\"]}}}} to the fixture if it is"
        ),
        Some(linked) => {
            let secondaries = linked.get(primary).and_then(Value::as_array);
            if secondaries.is_some_and(|list| list.iter().any(|id| id.as_str() == user_id)) {
                return None;
            }
            format!(
                "api.authentication.setPrimaryUser('{primary}'): `{identity}` is not a secondary identity of `{primary}` \
                 (tenant.linked_accounts), so Auth0 fails the login"
            )
        }
    };
    Some(ActionError {
        location: None,
        kind: ErrorKind::Authentication,
        action: Some(call.action.clone()),
        name: None,
        message,
    })
}

fn earliest(map: &mut Map<String, Value>, key: &str, value: &Value) {
    let replace = match (map.get(key).and_then(Value::as_f64), value.as_f64()) {
        (Some(old), Some(new)) => new < old,
        _ => true,
    };
    if replace {
        map.insert(key.to_string(), value.clone());
    }
}

fn metadata_op(map: &mut Map<String, Value>, op: &str, args: &[Value]) {
    let changes = map.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(changes) = changes else {
        return;
    };
    match op {
        "setMetadata" => {
            if let Some(key) = args.first().and_then(Value::as_str) {
                changes.insert(key.to_string(), args.get(1).cloned().unwrap_or(Value::Null));
            }
        }
        "deleteMetadata" => {
            if let Some(key) = args.first().and_then(Value::as_str) {
                changes.insert(key.to_string(), Value::Null);
            }
        }
        _ => {
            changes.clear();
            map.insert("metadata_evicted".into(), Value::Bool(true));
        }
    }
}

fn lifetime_op(map: &mut Map<String, Value>, method: &str, args: &[Value]) {
    let arg = args.first().cloned().unwrap_or(Value::Null);
    match method {
        "setExpiresAt" => earliest(map, "expires_at", &arg),
        "setIdleExpiresAt" => earliest(map, "idle_expires_at", &arg),
        "setCookieMode" => {
            map.insert("cookie_mode".into(), arg);
        }
        "revoke" => {
            map.insert(
                "revoked".into(),
                json!({ "reason": arg, "options": args.get(1).cloned().unwrap_or(Value::Null) }),
            );
        }
        op => metadata_op(map, op, args),
    }
}

/// Fills the state fields of `outcome` from its calls. `audience` is the requested API;
/// `refresh_exchange` tells a refresh-token exchange, where MFA makes the exchange fail;
/// `mfa_passed` holds the factor each MFA step the flow carried out passed with, by command
/// `seq` (a denied Action's or a paused one's steps never happen); `tenant` and `user` (the
/// fixture's `event.user`) decide whether `setPrimaryUser` is allowed.
pub(crate) fn aggregate(
    outcome: &mut Outcome,
    audience: Option<&str>,
    refresh_exchange: bool,
    mfa_passed: &BTreeMap<u64, Value>,
    tenant: &Tenant,
    user: Option<&Value>,
) {
    let mut scope_ops: Vec<(String, bool)> = Vec::new();
    let calls: Vec<Call> = outcome.calls.iter().filter(|c| c.effective()).cloned().collect();
    let mut mfa_commands = 0usize;
    let mut primary_user_call: Option<&Call> = None;
    for call in &calls {
        let args = &call.args;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
        let (namespace, method) = call.method.split_once('.').unwrap_or(("", call.method.as_str()));
        match (namespace, method) {
            ("access", "deny") | ("validation", "error") | ("session", "revoke") | ("refreshToken", "revoke")
                if outcome.denied.is_none() =>
            {
                outcome.denied = denial_of(call);
            }
            _ => {}
        }
        match (namespace, method) {
            ("accessToken" | "idToken", "setCustomClaim") => {
                let Some(name) = args.first().and_then(Value::as_str) else {
                    continue;
                };
                let (token, state, token_name) = if namespace == "accessToken" {
                    (Token::Access, &mut outcome.access_token, "access_token")
                } else {
                    (Token::Id, &mut outcome.id_token, "id_token")
                };
                match claims::drop_reason(token, name, audience) {
                    Some(reason) => {
                        let dropped =
                            DroppedClaim { token: token_name.into(), claim: name.into(), reason: reason.into() };
                        if !outcome.dropped_claims.contains(&dropped) {
                            outcome.dropped_claims.push(dropped);
                        }
                    }
                    None => {
                        state.claims.insert(name.to_string(), arg(1));
                    }
                }
            }
            ("accessToken", "addScope" | "removeScope") => {
                if let Some(scope) = args.first().and_then(Value::as_str) {
                    scope_ops.push((scope.trim().to_string(), method == "addScope"));
                }
            }
            ("user", "setAppMetadata" | "setUserMetadata") => {
                let Some(key) = args.first().and_then(Value::as_str) else {
                    continue;
                };
                let target = if method == "setAppMetadata" {
                    &mut outcome.user.app_metadata
                } else {
                    &mut outcome.user.user_metadata
                };
                target.insert(key.to_string(), arg(1));
            }
            ("authentication", "setPrimaryUser") => {
                outcome.primary_user = args.first().and_then(Value::as_str).map(String::from);
                primary_user_call = Some(call);
            }
            ("authentication", "recordMethod") => outcome.recorded_methods.push(arg(0)),
            ("authentication", _) if is_mfa_command(&call.method) => {
                mfa_commands += 1;
                outcome.mfa.steps.push(MfaStep {
                    action: call.action.clone(),
                    command: method.to_string(),
                    factors: mfa_factors(call),
                    factor: mfa_passed.get(&call.seq).cloned(),
                });
            }
            ("multifactor", "enable") => {
                outcome.mfa.enable = Some(json!({ "provider": arg(0), "options": arg(1) }));
            }
            ("transaction", "setMetadata") => {
                if let Some(key) = args.first().and_then(Value::as_str) {
                    match arg(1) {
                        Value::Null => outcome.transaction_metadata.remove(key),
                        value => outcome.transaction_metadata.insert(key.to_string(), value),
                    };
                }
            }
            ("session", m) => lifetime_op(&mut outcome.session, m, args),
            ("refreshToken", m) => lifetime_op(&mut outcome.refresh_token, m, args),
            ("samlResponse", "setAttribute") => {
                let attributes = outcome.saml.entry("attributes").or_insert_with(|| Value::Object(Map::new()));
                if let (Value::Object(attributes), Some(name)) = (attributes, args.first().and_then(Value::as_str)) {
                    attributes.insert(name.to_string(), arg(1));
                }
            }
            ("samlResponse", m) => {
                let key = m.strip_prefix("set").unwrap_or(m);
                let mut chars = key.chars();
                let key: String = chars.next().map(|c| c.to_ascii_lowercase()).into_iter().chain(chars).collect();
                outcome.saml.insert(key, arg(0));
            }
            ("validation", "error") => {
                outcome.validation_error = Some(json!({ "code": arg(0), "message": arg(1) }));
            }
            _ => {}
        }
    }
    outcome.access_token.scopes = Some(fold_scopes(&scope_ops));
    if outcome.error.is_none() {
        outcome.error = authentication_failure(outcome, mfa_commands);
    }
    if outcome.error.is_none() && refresh_exchange && (outcome.mfa.enable.is_some() || !outcome.mfa.steps.is_empty()) {
        outcome.error = Some(ActionError {
                    location: None,
            kind: ErrorKind::Authentication,
            action: None,
            name: None,
            message: "MFA was requested during a refresh-token exchange, which makes the exchange fail (skip MFA when event.transaction.protocol is `oauth2-refresh-token`)".into(),
        });
    }
    // Checked when tokens are issued: a denied or paused login never gets there.
    if outcome.error.is_none() && outcome.status == Status::Completed {
        let user_id = user.and_then(|u| u.get("user_id")).and_then(Value::as_str);
        outcome.error = primary_user_call.and_then(|call| primary_user_failure(tenant, call, user_id));
    }
}

fn fold_scopes(ops: &[(String, bool)]) -> ScopeChanges {
    let mut order: Vec<&str> = Vec::new();
    for (scope, _) in ops {
        if !order.contains(&scope.as_str()) {
            order.push(scope);
        }
    }
    let mut changes = ScopeChanges::default();
    for scope in order {
        let last_add = ops.iter().rev().find(|(s, _)| s == scope).is_some_and(|(_, add)| *add);
        if last_add {
            changes.added.push(scope.to_string());
        } else {
            changes.removed.push(scope.to_string());
        }
    }
    changes
}

/// Failures Auth0 raises after the Actions ran: oversized claims, too many MFA commands.
fn authentication_failure(outcome: &Outcome, mfa_commands: usize) -> Option<ActionError> {
    for (name, token) in [("access token", &outcome.access_token), ("ID token", &outcome.id_token)] {
        let size: usize =
            token.claims.iter().map(|(k, v)| k.len() + serde_json::to_string(v).map_or(0, |s| s.len())).sum();
        if size > MAX_CLAIMS_BYTES {
            return Some(ActionError {
                location: None,
                kind: ErrorKind::Authentication,
                action: None,
                name: None,
                message: format!(
                    "the custom claims of the {name} total {size} bytes, more than the {MAX_CLAIMS_BYTES}-byte limit"
                ),
            });
        }
    }
    if mfa_commands > MAX_MFA_COMMANDS {
        return Some(ActionError {
            location: None,
            kind: ErrorKind::Authentication,
            action: None,
            name: None,
            message: format!(
                "{mfa_commands} MFA challenge/enrollment commands in one flow (at most {MAX_MFA_COMMANDS})"
            ),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_scope_operation_wins() {
        let ops =
            vec![("a".into(), true), ("b".into(), true), ("a".into(), false), ("c".into(), false), ("c".into(), true)];
        let changes = fold_scopes(&ops);
        assert_eq!(changes.added, vec!["b", "c"]);
        assert_eq!(changes.removed, vec!["a"]);
    }
}
