//! Facts about the Auth0 platform, defined once: what Auth0 accepts, refuses and limits for a
//! post-login Action, as its documentation and its own `@auth0/actions` implementation state them
//! (`../shared/reference/auth0-postlogin-surface.md`).
//!
//! The policy compiler checks policies against these facts, the renderer checks the generated
//! Action against them, and the harness enforces them at run time (its JavaScript `api` receives
//! the values from here, see `harness::host::auth0`). A new Auth0 limit goes here first and is
//! then used where it applies; no other crate writes such a number or list again.
//!
//! This crate owns plain data and small pure predicates over it. It must not depend on anything
//! (every crate of the workspace, the WASM engine's included, may depend on it) and does no I/O.

#![deny(missing_docs)]

pub mod action;
pub mod cache;
pub mod claims;
pub mod event;
pub mod express;
pub mod metadata;
pub mod mfa;
pub mod prompt;
pub mod saml;
pub mod scopes;
pub mod secrets;
pub mod user;

/// The facts the harness's JavaScript needs, by the names it reads them under (`limits.<NAME>`
/// in `harness/src/host/auth0/api.js`), as one JSON object: the limits its `api` enforces, the
/// MFA factors, the protocols that cannot redirect, and the objects Auth0 always puts in the
/// event. The harness hands this object to its JavaScript; the Node 22 runners of the tests
/// receive the same text (`ACTIONKIT_AUTH0_FACTS`), so no JavaScript file writes an Auth0 fact
/// of its own.
pub fn runtime_facts_json() -> String {
    let numbers: [(&str, u64); 23] = [
        ("MAX_SCOPE_LENGTH", scopes::MAX_SCOPE_CHARS as u64),
        ("MAX_SCOPES", scopes::MAX_ADDED_SCOPES as u64),
        ("MAX_USER_ID_LENGTH", user::MAX_USER_ID_CHARS as u64),
        ("PROMPT_OPTIONS_LIMIT", prompt::MAX_OPTIONS_BYTES as u64),
        ("SAML_ATTRIBUTES_LIMIT", saml::MAX_ATTRIBUTES_BYTES as u64),
        ("SAML_CERT_LIMIT", saml::MAX_CERT_CHARS as u64),
        ("CACHE_KEY_LIMIT", cache::MAX_KEY_BYTES as u64),
        ("CACHE_VALUE_LIMIT", cache::MAX_VALUE_BYTES as u64),
        ("CACHE_TOTAL_LIMIT", cache::MAX_TOTAL_BYTES as u64),
        ("CACHE_DEFAULT_TTL", cache::DEFAULT_TTL_MS),
        ("MAX_CUSTOM_CLAIMS_BYTES", claims::MAX_CUSTOM_CLAIMS_BYTES as u64),
        ("MAX_SECRET_NAME_CHARS", secrets::MAX_NAME_CHARS as u64),
        ("MAX_SECRET_VALUE_CHARS", secrets::MAX_VALUE_CHARS as u64),
        ("MAX_MFA_COMMANDS", mfa::MAX_COMMANDS as u64),
        ("METADATA_KEY_MAX_LENGTH", metadata::MAX_KEY_CHARS as u64),
        ("METADATA_VALUE_MAX_LENGTH", metadata::MAX_VALUE_CHARS as u64),
        ("METADATA_MAX_ENTRIES", metadata::MAX_ENTRIES as u64),
        ("REVOKE_REASON_MAX_LENGTH", metadata::MAX_REVOKE_REASON_CHARS as u64),
        ("TRANSACTION_METADATA_KEY_MAX_LENGTH", metadata::MAX_TRANSACTION_KEY_CHARS as u64),
        ("TRANSACTION_METADATA_VALUE_MAX_BYTES", metadata::MAX_TRANSACTION_VALUE_BYTES as u64),
        ("TRANSACTION_METADATA_MAX_BYTES", metadata::MAX_TRANSACTION_BYTES as u64),
        ("SAML_ATTRIBUTE_NAME_MAX_LENGTH", saml::MAX_ATTRIBUTE_NAME_CHARS as u64),
        ("SAML_VALUE_MAX_LENGTH", saml::MAX_VALUE_CHARS as u64),
    ];
    let mut json = String::from("{");
    for (name, value) in numbers {
        json.push_str(&format!("\"{name}\":{value},"));
    }
    let list = |items: &[&str]| items.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(",");
    json.push_str(&format!("\"MFA_FACTORS\":[{}],", list(mfa::FACTORS)));
    let objects: Vec<String> =
        event::ALWAYS_PRESENT_OBJECTS.iter().map(|(parent, key)| format!("[[{}],\"{key}\"]", list(parent))).collect();
    json.push_str(&format!("\"ALWAYS_PRESENT_OBJECTS\":[{}],", objects.join(",")));
    json.push_str(&format!("\"NOT_REDIRECTABLE\":[{}]}}", list(action::NOT_REDIRECTABLE_PROTOCOLS)));
    json
}

#[cfg(test)]
mod tests {
    #[test]
    fn runtime_limits_are_one_json_object() {
        let json = super::runtime_facts_json();
        assert!(json.starts_with("{\"MAX_SCOPE_LENGTH\":280,"), "{json}");
        assert!(json.ends_with("\"oauth2-webauthn\"]}"), "{json}");
        assert_eq!(json.matches("\":").count(), 26, "{json}");
        assert!(json.contains(r#""ALWAYS_PRESENT_OBJECTS":[[[],"secrets"],[["request"],"query"],"#), "{json}");
    }
}
