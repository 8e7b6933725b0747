//! `decide` on each feature, with policies written as IR (the compiler is tested in codegen).

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::ir::decode;
use crate::value::parse_json;

const EC: &str = "urn:auth0:express-configure";

/// A policy with the given extra IR members (`"rules": [...]` etc.), gated on the resource server.
fn policy(extra: &str) -> Policy {
    let mut text = String::from(
        r#"{"v":1,"paths":[],"secrets":[],"gate":{"field":"resource_server","api":"urn:auth0:express-configure"},"rules":[]"#,
    );
    if !extra.is_empty() {
        text.push(',');
        text.push_str(extra);
    }
    text.push('}');
    // Later duplicate keys win, so `extra` may override `rules`.
    decode(text.as_bytes()).unwrap()
}

fn event(json: &str) -> Value {
    parse_json(json.as_bytes()).unwrap()
}

fn ec_event(rest: &str) -> Value {
    let mut text = String::from(r#"{"resource_server":{"identifier":"urn:auth0:express-configure"}"#);
    if !rest.is_empty() {
        text.push(',');
        text.push_str(rest);
    }
    text.push('}');
    event(&text)
}

fn decisions(p: &Policy, e: &Value) -> String {
    let outcome = decide(p, e);
    let json = outcome.to_json();
    let start = json.find("\"decisions\":").unwrap() + "\"decisions\":".len();
    let end = json.find(",\"trace\":").unwrap();
    String::from(&json[start..end])
}

/// The failures in the trace, as `source: message => effect`.
fn errors(p: &Policy, e: &Value) -> Vec<String> {
    decide(p, e)
        .trace
        .into_iter()
        .filter_map(|t| match t {
            Trace::Error { source, message, effect } => Some(source + ": " + &message + " => " + &effect),
            _ => None,
        })
        .collect()
}

fn notes(p: &Policy, e: &Value) -> Vec<String> {
    decide(p, e)
        .trace
        .into_iter()
        .filter_map(|t| match t {
            Trace::Note { source, message } => Some(source + ": " + &message),
            _ => None,
        })
        .collect()
}

const ADMIN_RULE: &str = r#"{"id":"admins","when":["eq",["sel",["sel",["sel",["root"],"user"],"app_metadata"],"is_admin"],["lit",true]],
    "grant":["express_configure:sso","express_configure:scim"],"forbid":[],"deny":null,"mfa":false,"claims":[]}"#;

#[test]
fn other_apis_are_untouched_and_the_gate_is_traced() {
    let p = policy(&(String::from(r#""scopes":{"deny_message":"Access denied"},"rules":["#) + ADMIN_RULE + "]"));
    let outcome = decide(&p, &event(r#"{"resource_server":{"identifier":"https://api"},"user":{}}"#));
    assert!(outcome.decisions.is_empty());
    assert_eq!(outcome.trace, [Trace::Gate { api: String::from(EC), matched: false }]);
    assert_eq!(decisions(&p, &event("{}")), "[]");
}

#[test]
fn scopes_are_granted_or_denied_like_the_abac_snippet() {
    let p = policy(&(String::from(r#""scopes":{"deny_message":"Access denied"},"rules":["#) + ADMIN_RULE + "]"));
    assert_eq!(
        decisions(&p, &ec_event(r#""user":{"app_metadata":{"is_admin":true}}"#)),
        r#"[{"type":"add_scope","scope":"express_configure:sso"},{"type":"add_scope","scope":"express_configure:scim"}]"#
    );
    // Missing attribute: the rule errors, is reported, and the login is denied (fail closed).
    let e = ec_event(r#""user":{"app_metadata":{}}"#);
    assert_eq!(decisions(&p, &e), r#"[{"type":"deny","reason":"Access denied"}]"#);
    assert!(decide(&p, &e).trace.contains(&Trace::Rule {
        id: String::from("admins"),
        result: RuleResult::Error { message: String::from("no such key: is_admin") }
    }));
    // `"true"` is not `true`, as with the snippet's `===`.
    assert_eq!(
        decisions(&p, &ec_event(r#""user":{"app_metadata":{"is_admin":"true"}}"#)),
        r#"[{"type":"deny","reason":"Access denied"}]"#
    );
}

#[test]
fn forbid_overrides_grant_and_removes_the_scope() {
    let rules = String::from(r#""scopes":{"deny_message":"no"},"rules":["#)
        + ADMIN_RULE
        + r#",{"id":"contractors","when":["in",["lit","contractor"],["sel",["sel",["sel",["root"],"user"],"app_metadata"],"roles"]],
             "grant":[],"forbid":["express_configure:scim"],"deny":null,"mfa":false,"claims":[]}]"#;
    let p = policy(&rules);
    assert_eq!(
        decisions(&p, &ec_event(r#""user":{"app_metadata":{"is_admin":true,"roles":["contractor"]}}"#)),
        r#"[{"type":"add_scope","scope":"express_configure:sso"},{"type":"remove_scope","scope":"express_configure:scim"}]"#
    );
}

#[test]
fn a_deny_rule_stops_everything_after_it() {
    let p = policy(
        r#""mfa":{"when":null,"provider":"any","challenge":["email"],"webauthn_platform":false},
           "rules":[{"id":"blocked","when":["lit",true],"grant":[],"forbid":[],"deny":"blocked","mfa":false,"claims":[]}]"#,
    );
    assert_eq!(decisions(&p, &ec_event("")), r#"[{"type":"deny","reason":"blocked"}]"#);
}

const SP: &str = r#""sp_claims":{"metadata_key":"express_configure_sp_client_id","tenant_domain_secret":"TENANT_DOMAIN",
    "init_login_secret":"SERVICE_INIT_LOGIN_URL","message":"Unable to issue token for Express Configure API - missing data."}"#;

#[test]
fn sp_client_id_claims_like_the_okta_snippet() {
    let p = policy(SP);
    let complete = r#""client":{"metadata":{"express_configure_sp_client_id":"svc"}},"organization":{"id":"org_1"},
        "secrets":{"TENANT_DOMAIN":"https://t.auth0.com","SERVICE_INIT_LOGIN_URL":"https://app/login"}"#;
    assert_eq!(
        decisions(&p, &ec_event(complete)),
        r#"[{"type":"set_claim","token":"access","name":"sp_client_id","value":"svc"},{"type":"set_claim","token":"access","name":"management_api_audience","value":"https://t.auth0.com/api/v2/"},{"type":"set_claim","token":"access","name":"init_login_uri","value":"https://app/login"}]"#
    );
    let fail = r#"[{"type":"fail","message":"Unable to issue token for Express Configure API - missing data."}]"#;
    assert_eq!(decisions(&p, &ec_event(r#""client":{"metadata":{}},"organization":{"id":"org_1"}"#)), fail);
    assert_eq!(decisions(&p, &ec_event(r#""client":{"metadata":{"express_configure_sp_client_id":"svc"}}"#)), fail);
    assert_eq!(decisions(&p, &ec_event(r#""client":{},"organization":{"id":""}"#)), fail);
    let no_secret = r#""client":{"metadata":{"express_configure_sp_client_id":"svc"}},"organization":{"id":"o"},"secrets":{"TENANT_DOMAIN":"https://t"}"#;
    assert_eq!(
        decisions(&p, &ec_event(no_secret)),
        r#"[{"type":"fail","message":"actionkit: the secret SERVICE_INIT_LOGIN_URL is not set on this Action"}]"#
    );
}

const HRD: &str = r#""domain_aliases":{"metadata_key":"domains","claim":"express_configuration","blocked":["gmail.com"],"on_invalid":"ON","deny_message":"bad domains"}"#;

#[test]
fn domain_aliases_drop_or_deny_bad_domains() {
    let drop = policy(&HRD.replace("ON", "drop"));
    let e = ec_event(r#""organization":{"id":"o","metadata":{"domains":"Acme.com, gmail.com,not a domain"}}"#);
    assert_eq!(
        decisions(&drop, &e),
        r#"[{"type":"set_claim","token":"access","name":"express_configuration","value":{"domain_aliases":["acme.com"]}}]"#
    );
    assert_eq!(
        notes(&drop, &e),
        [
            "domain_aliases: dropped `gmail.com`: public email provider or blocked domain",
            "domain_aliases: dropped `notadomain`: not a domain name",
        ]
    );
    let deny = policy(&HRD.replace("ON", "deny"));
    assert_eq!(decisions(&deny, &e), r#"[{"type":"deny","reason":"bad domains"}]"#);
    // Nothing stored, empty, or nothing acceptable: no claim, as the snippet for a falsy value.
    for org in [
        r#"{"id":"o","metadata":{}}"#,
        r#"{"id":"o","metadata":{"domains":""}}"#,
        r#"{"id":"o","metadata":{"domains":"gmail.com"}}"#,
    ] {
        let e = ec_event(&(String::from(r#""organization":"#) + org));
        assert_eq!(decisions(&drop, &e), "[]", "{org}");
    }
    assert_eq!(decisions(&drop, &ec_event("")), "[]");
}

const MFA: &str = r#""mfa":{"when":WHEN,"provider":"any","challenge":["email"],"webauthn_platform":true}"#;

#[test]
fn mfa_enrols_or_challenges_webauthn_like_the_snippet() {
    let p = policy(&MFA.replace("WHEN", "null"));
    let enrol = r#"[{"type":"multifactor_enable","provider":"any"},{"type":"challenge_with","factor":"email"},{"type":"enroll_with","factor":"webauthn-platform"}]"#;
    let challenge = r#"[{"type":"multifactor_enable","provider":"any"},{"type":"challenge_with","factor":"email"},{"type":"challenge_with","factor":"webauthn-platform"}]"#;
    assert_eq!(decisions(&p, &ec_event(r#""user":{"enrolledFactors":[{"type":"otp"}]}"#)), enrol);
    assert_eq!(decisions(&p, &ec_event(r#""user":{"enrolledFactors":[{"type":"webauthn-platform"}]}"#)), challenge);
    // A missing list means nothing enrolled (the snippet would throw a TypeError).
    assert_eq!(decisions(&p, &ec_event(r#""user":{}"#)), enrol);
}

#[test]
fn mfa_conditions_fail_closed_and_rules_can_require_it() {
    let when_missing = policy(&MFA.replace("WHEN", r#"["sel",["sel",["root"],"user"],"nope"]"#));
    let e = ec_event(r#""user":{}"#);
    assert_eq!(decide(&when_missing, &e).decisions.len(), 3, "an erroring condition still challenges");
    assert_eq!(
        errors(&when_missing, &e),
        ["mfa.when: no such key: nope => MFA required as if the condition held (fail closed)"]
    );

    let never = MFA.replace("WHEN", r#"["lit",false]"#);
    assert_eq!(decisions(&policy(&never), &e), "[]");
    assert_eq!(notes(&policy(&never), &e), ["mfa: `when` is false"]);
    let with_rule = never
        + r#","rules":[{"id":"risky","when":["lit",true],"grant":[],"forbid":[],"deny":null,"mfa":true,"claims":[]}]"#;
    assert_eq!(decide(&policy(&with_rule), &e).decisions.len(), 3);
}

#[test]
fn rule_claims_go_to_the_chosen_tokens_and_errors_are_noted() {
    let p = policy(
        r#""rules":[{"id":"c","when":["lit",true],"grant":[],"forbid":[],"deny":null,"mfa":false,"claims":[
            {"tokens":"both","name":"https://x/roles","value":["sel",["sel",["root"],"user"],"roles"]},
            {"tokens":"id","name":"https://x/missing","value":["sel",["sel",["root"],"user"],"nope"]}]}]"#,
    );
    let e = ec_event(r#""user":{"roles":["a"]}"#);
    assert_eq!(
        decisions(&p, &e),
        r#"[{"type":"set_claim","token":"access","name":"https://x/roles","value":["a"]},{"type":"set_claim","token":"id","name":"https://x/roles","value":["a"]}]"#
    );
    assert_eq!(
        errors(&p, &e),
        ["rule:c claim https://x/missing: no such key: nope => claim `https://x/missing` not set"]
    );
}

#[test]
fn the_okta_gate_reads_the_audience_query() {
    let mut p = policy(SP);
    p.gate.field = crate::ir::GateField::AudienceQuery;
    let e = event(r#"{"request":{"query":{"audience":"urn:auth0:express-configure"}},"client":{"metadata":{}}}"#);
    assert_eq!(decide(&p, &e).decisions.len(), 1);
    assert!(decide(&p, &ec_event("")).decisions.is_empty(), "the resource server is not the gate here");
}

/// A rule whose condition reads `user.app_metadata.roles` (declared `list<string>`) with `in`.
fn contractor_rule(effects: &str) -> String {
    String::from(
        r#"{"id":"contractors","when":["in",["lit","contractor"],["typed",["sel",["sel",["sel",["root"],"user"],"app_metadata"],"roles"],["list","string"]]],"#,
    ) + effects
        + "}"
}

const GRANT_ALL: &str = r#"{"id":"everyone","when":["lit",true],"grant":["express_configure:sso","express_configure:scim"],"forbid":[],"deny":null,"mfa":false,"claims":[]}"#;

#[test]
fn a_failing_condition_applies_the_rules_restrictions_and_never_its_grants() {
    let forbid =
        contractor_rule(r#""grant":["extra"],"forbid":["express_configure:scim"],"deny":null,"mfa":false,"claims":[]"#);
    let p = policy(&(String::from(r#""scopes":{"deny_message":"no"},"rules":["#) + GRANT_ALL + "," + &forbid + "]"));
    // `roles` is a string, not the declared list: the condition fails, the forbid holds.
    let e = ec_event(r#""user":{"app_metadata":{"roles":"contractor"}}"#);
    assert_eq!(
        decisions(&p, &e),
        r#"[{"type":"add_scope","scope":"express_configure:sso"},{"type":"remove_scope","scope":"express_configure:scim"}]"#
    );
    assert_eq!(
        errors(&p, &e),
        ["rule:contractors: not the declared type: user.app_metadata.roles is string, declared list<string> => forbid applied as if the condition held; grant not applied (fail closed)"]
    );
    // A well-typed event decides by the condition.
    let other = ec_event(r#""user":{"app_metadata":{"roles":["employee"]}}"#);
    assert_eq!(
        decisions(&p, &other),
        r#"[{"type":"add_scope","scope":"express_configure:sso"},{"type":"add_scope","scope":"express_configure:scim"}]"#
    );
    assert!(errors(&p, &other).is_empty());
}

#[test]
fn a_failing_deny_or_mfa_condition_denies_or_challenges() {
    let deny =
        contractor_rule(r#""grant":[],"forbid":[],"deny":"contractors may not configure","mfa":false,"claims":[]"#);
    let p = policy(&(String::from(r#""rules":["#) + &deny + "]"));
    let e = ec_event(r#""user":{"app_metadata":{"roles":null}}"#);
    assert_eq!(decisions(&p, &e), r#"[{"type":"deny","reason":"contractors may not configure"}]"#);

    let mfa = contractor_rule(r#""grant":[],"forbid":[],"deny":null,"mfa":true,"claims":[]"#);
    let p = policy(&(MFA.replace("WHEN", r#"["lit",false]"#) + r#","rules":["# + &mfa + "]"));
    assert_eq!(decide(&p, &e).decisions.len(), 3, "the MFA commands");
}

#[test]
fn on_error_skip_is_the_authors_explicit_fail_open() {
    let forbid = contractor_rule(
        r#""grant":[],"forbid":["express_configure:scim"],"deny":null,"mfa":false,"claims":[],"on_error":"skip""#,
    );
    let p = policy(&(String::from(r#""scopes":{"deny_message":"no"},"rules":["#) + GRANT_ALL + "," + &forbid + "]"));
    let e = ec_event(r#""user":{"app_metadata":{"roles":"contractor"}}"#);
    assert_eq!(
        decisions(&p, &e),
        r#"[{"type":"add_scope","scope":"express_configure:sso"},{"type":"add_scope","scope":"express_configure:scim"}]"#
    );
    assert_eq!(errors(&p, &e).len(), 1);
    assert!(errors(&p, &e)[0].ends_with("=> the rule does not apply (on_error = \"skip\")"), "{:?}", errors(&p, &e));
}

#[test]
fn a_failing_grant_grants_nothing() {
    let grant = contractor_rule(r#""grant":["express_configure:sso"],"forbid":[],"deny":null,"mfa":false,"claims":[]"#);
    let p = policy(&(String::from(r#""scopes":{"deny_message":"no"},"rules":["#) + &grant + "]"));
    let e = ec_event(r#""user":{"app_metadata":{"roles":[1]}}"#);
    assert_eq!(decisions(&p, &e), r#"[{"type":"deny","reason":"no"}]"#);
    assert_eq!(
        errors(&p, &e),
        ["rule:contractors: not the declared type: user.app_metadata.roles is list, declared list<string> => grant not applied (fail closed)"]
    );
}

#[test]
fn a_rule_can_match_the_users_email_domain_against_the_organizations_domains() {
    // grant sso only when the email domain is one of the organization's domains
    let rule = r#"{"id":"own-domain","when":["in",["emailDomain",["typed",["sel",["sel",["root"],"user"],"email"],"string"]],["domain_aliases"]],
        "grant":["express_configure:sso"],"forbid":[],"deny":null,"mfa":false,"claims":[]}"#;
    let hrd = r#""domain_aliases":{"metadata_key":"domains","claim":"express_configuration","blocked":["gmail.com"],"on_invalid":"drop","deny_message":"bad"}"#;
    let p = policy(&(String::from(hrd) + r#","scopes":{"deny_message":"no"},"rules":["# + rule + "]"));
    let org = r#""organization":{"id":"o","metadata":{"domains":"Acme.com, gmail.com"}}"#;
    let own = ec_event(&(String::from(org) + r#","user":{"email":"ada@ACME.com"}"#));
    assert!(
        decisions(&p, &own).starts_with(r#"[{"type":"add_scope","scope":"express_configure:sso"}"#),
        "{}",
        decisions(&p, &own)
    );
    // A blocked (public) domain in the metadata grants nothing.
    let public = ec_event(&(String::from(org) + r#","user":{"email":"ada@gmail.com"}"#));
    assert!(decisions(&p, &public).starts_with(r#"[{"type":"deny""#), "{}", decisions(&p, &public));
    // No domains: nothing to match.
    let none = ec_event(r#""organization":{"id":"o","metadata":{}},"user":{"email":"ada@acme.com"}"#);
    assert!(decisions(&p, &none).starts_with(r#"[{"type":"deny""#));
}

#[test]
fn a_computed_deny_reason_is_read_at_login_and_falls_back_when_it_fails() {
    let rule = r#"{"id":"blocked","when":["has",["sel",["sel",["root"],"organization"],"metadata"],"blocked"],"grant":[],"forbid":[],
        "deny":["typed",["sel",["sel",["sel",["root"],"organization"],"metadata"],"blocked"],"string"],"mfa":false,"claims":[]}"#;
    let p = policy(&(String::from(r#""rules":["#) + rule + "]"));
    let said = ec_event(r#""organization":{"id":"o","metadata":{"blocked":"billing overdue"}}"#);
    assert_eq!(decisions(&p, &said), r#"[{"type":"deny","reason":"billing overdue"}]"#);
    let odd = ec_event(r#""organization":{"id":"o","metadata":{"blocked":true}}"#);
    assert_eq!(decisions(&p, &odd), r#"[{"type":"deny","reason":"Access denied"}]"#);
    assert_eq!(
        errors(&p, &odd),
        ["rule:blocked deny: not the declared type: organization.metadata.blocked is bool, declared string => denied with the reason `Access denied`"]
    );
    let decoded = decode(crate::ir::encode(&p).as_bytes()).expect("round trip");
    assert_eq!(decoded, p);
}
