//! What the engine decides: an ordered list of [`Decision`]s plus a [`Trace`] of why.
//!
//! The JSON form written here is the stable contract between the engine and the Action wrapper
//! (and the harness and CLI); `docs/decisions.md` documents it. With the `serde` feature the same
//! form is available through serde, and a test keeps the two identical.

use alloc::string::String;
use alloc::vec::Vec;

use crate::value::{write_json, write_json_string, Value};

/// Which token a claim is set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Token {
    /// `api.accessToken`
    Access,
    /// `api.idToken`
    Id,
}

/// One effect on the login, applied by the Action wrapper to `api` in order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
pub enum Decision {
    /// `api.accessToken.setCustomClaim(name, value)` or `api.idToken.setCustomClaim(name, value)`.
    SetClaim {
        /// The token.
        token: Token,
        /// The claim name.
        name: String,
        /// The claim value.
        value: Value,
    },
    /// `api.accessToken.addScope(scope)`.
    AddScope {
        /// The scope.
        scope: String,
    },
    /// `api.accessToken.removeScope(scope)`.
    RemoveScope {
        /// The scope.
        scope: String,
    },
    /// `api.access.deny(reason)`.
    Deny {
        /// The reason shown to the application as `error_description`.
        reason: String,
    },
    /// Fail the login by throwing `new Error(message)`, as the Okta guide's snippet does.
    Fail {
        /// The error message.
        message: String,
    },
    /// `api.multifactor.enable(provider)`.
    MultifactorEnable {
        /// The MFA provider (`any`, `guardian`, ...).
        provider: String,
    },
    /// `api.authentication.challengeWith({ type: factor })`.
    ChallengeWith {
        /// The factor type.
        factor: String,
    },
    /// `api.authentication.enrollWith({ type: factor })`.
    EnrollWith {
        /// The factor type.
        factor: String,
    },
}

impl Decision {
    /// The `type` of every decision, as the JSON answer names it. The Action's answer
    /// ([`Outcome::to_action_answer`]) numbers the kinds by their place here, and the generated
    /// Action's apply table must have exactly these entries in this order (tested in `codegen`),
    /// or a login meeting a missing one fails closed as "malformed decisions".
    pub const KINDS: &'static [&'static str] = &[
        "set_claim",
        "add_scope",
        "remove_scope",
        "deny",
        "fail",
        "multifactor_enable",
        "challenge_with",
        "enroll_with",
    ];

    /// This decision's `type` (one of [`Decision::KINDS`]).
    pub fn kind(&self) -> &'static str {
        Decision::KINDS[match self {
            Decision::SetClaim { .. } => 0,
            Decision::AddScope { .. } => 1,
            Decision::RemoveScope { .. } => 2,
            Decision::Deny { .. } => 3,
            Decision::Fail { .. } => 4,
            Decision::MultifactorEnable { .. } => 5,
            Decision::ChallengeWith { .. } => 6,
            Decision::EnrollWith { .. } => 7,
        }]
    }
}

/// The result of a rule's condition.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "result", rename_all = "snake_case"))]
pub enum RuleResult {
    /// The condition held; the rule applied.
    True,
    /// The condition did not hold.
    False,
    /// The condition evaluated to an error; what that meant for the rule is the
    /// [`Trace::Error`] that follows.
    Error {
        /// The CEL error, e.g. `no such key: is_admin`.
        message: String,
    },
}

/// One step of the explanation of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "step", rename_all = "snake_case"))]
pub enum Trace {
    /// Whether the request is for the Express Configure API (else nothing else runs).
    Gate {
        /// The API identifier the policy is for.
        api: String,
        /// Whether the event requested it.
        matched: bool,
    },
    /// A rule's condition and whether it applied.
    Rule {
        /// The rule id.
        id: String,
        /// The outcome.
        #[cfg_attr(feature = "serde", serde(flatten))]
        result: RuleResult,
    },
    /// An expression that failed at run time (a rule's condition, a claim's value, the MFA
    /// condition) and what was done about it. The generated Action writes one `console.error`
    /// line per such step, so a failing rule is visible in Auth0's logs.
    Error {
        /// Where: `rule:<id>`, `rule:<id> claim <name>` or `mfa.when`.
        source: String,
        /// The evaluation error (names attributes and types, never event values).
        message: String,
        /// What it meant, e.g. `forbid applied as if the condition held (fail closed)`.
        effect: String,
    },
    /// A remark by a feature: a dropped domain, a missing organization, ...
    Note {
        /// Who speaks: `domain_aliases`, `scopes`, `mfa`, `sp_claims` or `rule:<id>`.
        source: String,
        /// What happened.
        message: String,
    },
}

/// The engine's answer for one event.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outcome {
    /// What to do, in order.
    pub decisions: Vec<Decision>,
    /// Why.
    pub trace: Vec<Trace>,
}

impl Outcome {
    /// The ids of the rules whose conditions held (the rules that determined the result).
    pub fn applied_rules(&self) -> impl Iterator<Item = &str> {
        self.trace.iter().filter_map(|t| match t {
            Trace::Rule { id, result: RuleResult::True } => Some(id.as_str()),
            _ => None,
        })
    }

    /// Serialises the outcome as compact JSON (`{"decisions":[...],"trace":[...]}`).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push('{');
        self.write_members(|_| true, &mut out);
        out
    }

    /// The answer the generated Action needs, as compact JSON: `[decisions, errors]`.
    ///
    /// `decisions` is one flat array: per decision, its kind's place in [`Decision::KINDS`]
    /// followed by its values (`set_claim`: the token, `"access"` or `"id"`, the name and the
    /// value; every other kind: its one string), e.g. `[1,"sso",0,"access","n",{"a":1}]`.
    /// `errors` holds one line per [`Trace::Error`] step, `source: message => effect`, which the
    /// Action writes with `console.error`; the rest of the trace is left out (`explain` shows it
    /// from the native engine). Numbers and a flat array instead of one object per decision
    /// make the Action's `JSON.parse` of it about twice as fast (docs/PERFORMANCE.md).
    pub fn to_action_answer(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_action_answer(&mut out);
        out
    }

    /// Appends [`Outcome::to_action_answer`] to `out`.
    pub fn write_action_answer(&self, out: &mut String) {
        out.push_str("[[");
        for (i, d) in self.decisions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_answer_decision(d, out);
        }
        out.push_str("],[");
        let mut first = true;
        for t in &self.trace {
            if let Trace::Error { source, message, effect } = t {
                if !first {
                    out.push(',');
                }
                first = false;
                let mut line = String::with_capacity(source.len() + message.len() + effect.len() + 6);
                line.push_str(source);
                line.push_str(": ");
                line.push_str(message);
                line.push_str(" => ");
                line.push_str(effect);
                write_json_string(&line, out);
            }
        }
        out.push_str("]]");
    }

    fn write_members(&self, keep: impl Fn(&Trace) -> bool, out: &mut String) {
        out.push_str("\"decisions\":[");
        for (i, d) in self.decisions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_decision(d, out);
        }
        out.push_str("],\"trace\":[");
        for (i, t) in self.trace.iter().filter(|t| keep(t)).enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_trace(t, out);
        }
        out.push_str("]}");
    }
}

fn field(out: &mut String, name: &str, value: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
    write_json_string(value, out);
}

fn write_decision(d: &Decision, out: &mut String) {
    let kind = match d {
        Decision::SetClaim { .. } => "set_claim",
        Decision::AddScope { .. } => "add_scope",
        Decision::RemoveScope { .. } => "remove_scope",
        Decision::Deny { .. } => "deny",
        Decision::Fail { .. } => "fail",
        Decision::MultifactorEnable { .. } => "multifactor_enable",
        Decision::ChallengeWith { .. } => "challenge_with",
        Decision::EnrollWith { .. } => "enroll_with",
    };
    out.push_str("{\"type\":\"");
    out.push_str(kind);
    out.push('"');
    match d {
        Decision::SetClaim { token, name, value } => {
            field(out, "token", if *token == Token::Access { "access" } else { "id" });
            field(out, "name", name);
            out.push_str(",\"value\":");
            write_json(value, out);
        }
        Decision::AddScope { scope } | Decision::RemoveScope { scope } => field(out, "scope", scope),
        Decision::Deny { reason } => field(out, "reason", reason),
        Decision::Fail { message } => field(out, "message", message),
        Decision::MultifactorEnable { provider } => field(out, "provider", provider),
        Decision::ChallengeWith { factor } | Decision::EnrollWith { factor } => field(out, "factor", factor),
    }
    out.push('}');
}

/// One decision of [`Outcome::to_action_answer`]: its kind's number, then its values.
fn write_answer_decision(d: &Decision, out: &mut String) {
    let (kind, value) = match d {
        Decision::SetClaim { token, name, value } => {
            out.push_str(if *token == Token::Access { "0,\"access\"," } else { "0,\"id\"," });
            write_json_string(name, out);
            out.push(',');
            write_json(value, out);
            return;
        }
        Decision::AddScope { scope } => ("1,", scope),
        Decision::RemoveScope { scope } => ("2,", scope),
        Decision::Deny { reason } => ("3,", reason),
        Decision::Fail { message } => ("4,", message),
        Decision::MultifactorEnable { provider } => ("5,", provider),
        Decision::ChallengeWith { factor } => ("6,", factor),
        Decision::EnrollWith { factor } => ("7,", factor),
    };
    out.push_str(kind);
    write_json_string(value, out);
}

fn write_trace(t: &Trace, out: &mut String) {
    match t {
        Trace::Gate { api, matched } => {
            out.push_str("{\"step\":\"gate\"");
            field(out, "api", api);
            out.push_str(if *matched { ",\"matched\":true}" } else { ",\"matched\":false}" });
        }
        Trace::Rule { id, result } => {
            out.push_str("{\"step\":\"rule\"");
            field(out, "id", id);
            match result {
                RuleResult::True => field(out, "result", "true"),
                RuleResult::False => field(out, "result", "false"),
                RuleResult::Error { message } => {
                    field(out, "result", "error");
                    field(out, "message", message);
                }
            }
            out.push('}');
        }
        Trace::Error { source, message, effect } => {
            out.push_str("{\"step\":\"error\"");
            field(out, "source", source);
            field(out, "message", message);
            field(out, "effect", effect);
            out.push('}');
        }
        Trace::Note { source, message } => {
            out.push_str("{\"step\":\"note\"");
            field(out, "source", source);
            field(out, "message", message);
            out.push('}');
        }
    }
}

#[cfg(feature = "serde")]
mod serde_value {
    //! serde support for [`Value`], so decisions serialise with their claim values.
    use super::Value;
    use alloc::string::String;
    use alloc::vec::Vec;
    use serde::de::{MapAccess, SeqAccess, Visitor};
    use serde::ser::{SerializeMap, SerializeSeq};

    impl serde::Serialize for Value {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Value::Null => s.serialize_unit(),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Int(i) => s.serialize_i64(*i),
                Value::Number(text) => match text.parse::<f64>() {
                    Ok(f) => s.serialize_f64(f),
                    Err(_) => s.serialize_str(text),
                },
                Value::Str(text) => s.serialize_str(text),
                Value::List(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                Value::Map(entries) => {
                    let mut map = s.serialize_map(Some(entries.len()))?;
                    for (k, v) in entries {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
            }
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
            Ok(Value::Bool(b))
        }
        fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
            Ok(Value::Int(i))
        }
        fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
            Ok(i64::try_from(u).map_or_else(|_| Value::Number(alloc::format!("{u}")), Value::Int))
        }
        fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
            Ok(Value::Number(alloc::format!("{f}")))
        }
        fn visit_str<E>(self, s: &str) -> Result<Value, E> {
            Ok(Value::Str(String::from(s)))
        }
        fn visit_string<E>(self, s: String) -> Result<Value, E> {
            Ok(Value::Str(s))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::List(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Value::Map(Vec::new());
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                out.insert(&k, v);
            }
            Ok(out)
        }
    }

    impl<'de> serde::Deserialize<'de> for Value {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
            d.deserialize_any(ValueVisitor)
        }
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    //! The hand-written JSON (what the WASM engine emits) and serde must agree exactly.
    use super::*;
    use crate::value::parse_json;
    use alloc::string::ToString;
    use alloc::vec;

    /// One decision of every kind, in [`Decision::KINDS`] order.
    fn one_of_each() -> Vec<Decision> {
        let s = || "x".to_string();
        vec![
            Decision::SetClaim { token: Token::Id, name: s(), value: Value::Null },
            Decision::AddScope { scope: s() },
            Decision::RemoveScope { scope: s() },
            Decision::Deny { reason: s() },
            Decision::Fail { message: s() },
            Decision::MultifactorEnable { provider: s() },
            Decision::ChallengeWith { factor: s() },
            Decision::EnrollWith { factor: s() },
        ]
    }

    #[test]
    fn every_kind_is_listed_once_and_named_as_the_json_names_it() {
        let all = one_of_each();
        let kinds: Vec<&str> = all.iter().map(Decision::kind).collect();
        assert_eq!(kinds, Decision::KINDS);
        for d in &all {
            let mut json = String::new();
            write_decision(d, &mut json);
            assert!(json.starts_with(&alloc::format!("{{\"type\":\"{}\"", d.kind())), "{json}");
        }
    }

    /// Reads an action answer back into the JSON form the rest of the engine writes: the
    /// decisions as objects and the error lines.
    fn read_action_answer(answer: &str) -> (serde_json::Value, Vec<String>) {
        let answer: serde_json::Value = serde_json::from_str(answer).unwrap();
        let flat = answer[0].as_array().unwrap();
        let mut decisions = Vec::new();
        let mut i = 0;
        while i < flat.len() {
            let kind = Decision::KINDS[usize::try_from(flat[i].as_u64().unwrap()).unwrap()];
            let mut d = serde_json::json!({ "type": kind });
            let names: &[&str] = match kind {
                "set_claim" => &["token", "name", "value"],
                "add_scope" | "remove_scope" => &["scope"],
                "deny" => &["reason"],
                "fail" => &["message"],
                "multifactor_enable" => &["provider"],
                _ => &["factor"],
            };
            for (n, name) in names.iter().enumerate() {
                d[*name] = flat[i + 1 + n].clone();
            }
            decisions.push(d);
            i += 1 + names.len();
        }
        let errors = answer[1].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect();
        (serde_json::Value::Array(decisions), errors)
    }

    #[test]
    fn the_action_answer_holds_the_decisions_and_the_error_steps() {
        let mut decisions = one_of_each();
        decisions.push(Decision::SetClaim {
            token: Token::Access,
            name: "c\"laim".to_string(),
            value: parse_json(br#"{"domain_aliases":["a.com"],"n":-1.5}"#).unwrap(),
        });
        decisions.push(Decision::Deny { reason: "no \"way\"\n\u{2028}".to_string() });
        let error = |source: &str| Trace::Error {
            source: source.to_string(),
            message: "no such key: k".to_string(),
            effect: "forbid applied as if the condition held (fail closed)".to_string(),
        };
        let outcome = Outcome {
            decisions,
            trace: vec![
                Trace::Gate { api: "urn:x".to_string(), matched: true },
                Trace::Rule { id: "a".to_string(), result: RuleResult::Error { message: "m".to_string() } },
                error("rule:a"),
                Trace::Note { source: "mfa".to_string(), message: "n".to_string() },
                error("mfa.when"),
            ],
        };
        let (decisions, errors) = read_action_answer(&outcome.to_action_answer());
        let full: serde_json::Value = serde_json::from_str(&outcome.to_json()).unwrap();
        assert_eq!(decisions, full["decisions"]);
        assert_eq!(
            errors,
            [
                "rule:a: no such key: k => forbid applied as if the condition held (fail closed)",
                "mfa.when: no such key: k => forbid applied as if the condition held (fail closed)",
            ]
        );
        assert_eq!(Outcome::default().to_action_answer(), "[[],[]]");
    }

    #[test]
    fn hand_written_json_equals_serde() {
        let outcome = Outcome {
            decisions: vec![
                Decision::SetClaim {
                    token: Token::Access,
                    name: "express_configuration".to_string(),
                    value: parse_json(br#"{"domain_aliases":["a.com"],"n":-1,"x":null}"#).unwrap(),
                },
                Decision::SetClaim { token: Token::Id, name: "t".to_string(), value: Value::Bool(true) },
                Decision::AddScope { scope: "s".to_string() },
                Decision::RemoveScope { scope: "r".to_string() },
                Decision::Deny { reason: "no \"way\"\n".to_string() },
                Decision::Fail { message: "m".to_string() },
                Decision::MultifactorEnable { provider: "any".to_string() },
                Decision::ChallengeWith { factor: "email".to_string() },
                Decision::EnrollWith { factor: "webauthn-platform".to_string() },
            ],
            trace: vec![
                Trace::Gate { api: "urn:x".to_string(), matched: true },
                Trace::Rule { id: "a".to_string(), result: RuleResult::True },
                Trace::Rule { id: "b".to_string(), result: RuleResult::False },
                Trace::Rule {
                    id: "c".to_string(),
                    result: RuleResult::Error { message: "no such key: k".to_string() },
                },
                Trace::Note { source: "mfa".to_string(), message: "n".to_string() },
            ],
        };
        let ours: serde_json::Value = serde_json::from_str(&outcome.to_json()).unwrap();
        let serde = serde_json::to_value(&outcome).unwrap();
        assert_eq!(ours, serde);
        let back: Outcome = serde_json::from_value(serde).unwrap();
        assert_eq!(back, outcome);
    }
}
