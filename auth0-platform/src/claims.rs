//! Custom claims (section 6 of the post-login surface reference): the names Auth0 drops, its own
//! namespaces, the OIDC profile claims it releases only under scope gating, and the payload cap.
//! The policy checker refuses or warns about such names when a policy compiles; the harness
//! drops them from tokens, and fails the login over the cap, as Auth0 does.

/// Largest custom-claims payload per token (names + JSON values) before the login fails
/// ("100 KB per token").
pub const MAX_CUSTOM_CLAIMS_BYTES: usize = 100 * 1024;

/// Names Auth0 ignores as custom claims on both tokens (`scope` is not among them: setting it
/// throws instead).
pub const RESTRICTED_CLAIM_NAMES: &[&str] = &[
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

/// The host of an `http://` or `https://` URL (scheme in any case), `None` for anything else.
pub fn url_host(name: &str) -> Option<&str> {
    let scheme = if name.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) {
        8
    } else if name.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")) {
        7
    } else {
        return None;
    };
    let rest = &name[scheme..];
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Whether a claim name is in one of Auth0's own namespaces (`urn:auth0...`, or a URL on an
/// Auth0 domain), which Auth0 silently drops.
pub fn in_auth0_namespace(name: &str) -> bool {
    name.get(..9).is_some_and(|p| p.eq_ignore_ascii_case("urn:auth0"))
        || url_host(name).is_some_and(|host| {
            let host = host.to_ascii_lowercase();
            AUTH0_DOMAINS.iter().any(|d| host == *d || host.strip_suffix(d).is_some_and(|sub| sub.ends_with('.')))
        })
}

/// OIDC profile claims: allowed, but released only when the matching scope is requested.
pub const PROFILE_CLAIMS: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth0_namespaces() {
        assert!(in_auth0_namespace("https://example.auth0.com/roles"));
        assert!(in_auth0_namespace("HTTPS://Example.Auth0.com/roles"));
        assert!(in_auth0_namespace("https://auth0.com"));
        assert!(in_auth0_namespace("urn:auth0:thing"));
        assert!(in_auth0_namespace("https://x.webtask.run:443/a"));
        assert!(!in_auth0_namespace("https://notauth0.com/x"));
        assert!(!in_auth0_namespace("https://example.com/roles"));
        assert!(!in_auth0_namespace("employee_id"));
        assert_eq!(url_host("http://a.b:80/c"), Some("a.b"));
        assert_eq!(url_host("urn:x"), None);
    }
}
