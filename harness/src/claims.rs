//! Auth0's custom-claim rules (surface reference section 6): claims that are silently left out of
//! a token, and the 100 KB payload cap that fails the login. The name rules themselves are
//! `auth0_platform::claims`, shared with the policy checker.

pub(crate) use auth0_platform::claims::MAX_CUSTOM_CLAIMS_BYTES as MAX_CLAIMS_BYTES;
use auth0_platform::claims::{in_auth0_namespace, url_host, RESTRICTED_CLAIM_NAMES};

/// Which token a claim is set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    Access,
    Id,
}

fn is_namespaced(name: &str) -> bool {
    url_host(name).is_some() || name.starts_with("urn:")
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
    if RESTRICTED_CLAIM_NAMES.contains(&name) {
        return Some("restricted_name");
    }
    if in_auth0_namespace(name) {
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
