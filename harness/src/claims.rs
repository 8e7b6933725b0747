//! Auth0's custom-claim rules (surface reference section 6): claims that are silently left out of
//! a token, and the 100 KB payload cap that fails the login.

/// Names Auth0 ignores as custom claims on both tokens.
const RESTRICTED: &[&str] = &[
    "acr",
    "act",
    "active",
    "amr",
    "at_hash",
    "ath",
    "attest",
    "aud",
    "auth_time",
    "authorization_details",
    "azp",
    "c_hash",
    "client_id",
    "cnf",
    "cty",
    "dest",
    "entitlements",
    "events",
    "exp",
    "groups",
    "gty",
    "htm",
    "htu",
    "iat",
    "internalService",
    "iss",
    "jcard",
    "jku",
    "jti",
    "jwe",
    "jwk",
    "kid",
    "may_act",
    "mky",
    "nbf",
    "nonce",
    "object_id",
    "org_id",
    "org_name",
    "orig",
    "origid",
    "permissions",
    "roles",
    "rph",
    "s_hash",
    "sid",
    "sip_callid",
    "sip_cseq_num",
    "sip_date",
    "sip_from_tag",
    "sip_via_branch",
    "sub",
    "sub_jwk",
    "toe",
    "txn",
    "typ",
    "uuid",
    "vot",
    "vtm",
    "x5t#S256",
];

/// Domains whose URLs cannot be used as claim namespaces.
const AUTH0_DOMAINS: &[&str] = &["auth0.com", "webtask.io", "webtask.run"];

/// Largest custom-claims payload per token (names + JSON values) before the login fails.
pub const MAX_CLAIMS_BYTES: usize = 100 * 1024;

/// Which token a claim is set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    Access,
    Id,
}

fn url_host(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("https://").or_else(|| name.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    Some(&rest[..end])
}

fn is_namespaced(name: &str) -> bool {
    url_host(name).is_some() || name.starts_with("urn:")
}

fn on_auth0_domain(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    AUTH0_DOMAINS.iter().any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// Whether an audience is one of Auth0's own APIs (Management API, `/mfa`), whose access tokens
/// cannot carry non-namespaced custom claims. `/userinfo` is exempt.
pub(crate) fn is_auth0_api_audience(audience: &str) -> bool {
    let Some(host) = url_host(audience) else { return false };
    let host = host.to_ascii_lowercase();
    if !(host.ends_with(".auth0.com") || host.ends_with(".auth0app.com")) {
        return false;
    }
    let path = audience.splitn(4, '/').nth(3).unwrap_or("").trim_end_matches('/');
    matches!(path, "api" | "api/v2" | "mfa")
}

/// Why Auth0 drops the claim, or `None` when it is kept.
pub(crate) fn drop_reason(token: Token, name: &str, audience: Option<&str>) -> Option<&'static str> {
    if RESTRICTED.contains(&name) {
        return Some("restricted_name");
    }
    if name.to_ascii_lowercase().starts_with("urn:auth0") || url_host(name).is_some_and(on_auth0_domain) {
        return Some("auth0_namespace");
    }
    if token == Token::Access && !is_namespaced(name) && audience.is_some_and(is_auth0_api_audience) {
        return Some("auth0_audience");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restricted_and_namespaces() {
        assert_eq!(drop_reason(Token::Id, "sub", None), Some("restricted_name"));
        assert_eq!(drop_reason(Token::Id, "x5t#S256", None), Some("restricted_name"));
        assert_eq!(drop_reason(Token::Id, "https://example.auth0.com/roles", None), Some("auth0_namespace"));
        assert_eq!(drop_reason(Token::Id, "urn:auth0:thing", None), Some("auth0_namespace"));
        assert_eq!(drop_reason(Token::Id, "https://example.com/roles", None), None);
        assert_eq!(drop_reason(Token::Id, "https://notauth0.com/x", None), None);
        assert_eq!(drop_reason(Token::Id, "employee_id", None), None);
    }

    #[test]
    fn audience_rule_only_for_non_namespaced_access_token_claims() {
        let mgmt = Some("https://tenant.us.auth0.com/api/v2/");
        assert_eq!(drop_reason(Token::Access, "employee_id", mgmt), Some("auth0_audience"));
        assert_eq!(drop_reason(Token::Id, "employee_id", mgmt), None);
        assert_eq!(drop_reason(Token::Access, "https://example.com/e", mgmt), None);
        assert_eq!(drop_reason(Token::Access, "employee_id", Some("https://tenant.auth0.com/userinfo")), None);
        assert_eq!(drop_reason(Token::Access, "employee_id", Some("urn:auth0:express-configure")), None);
        assert!(is_auth0_api_audience("https://t.eu.auth0app.com/mfa/"));
    }
}
