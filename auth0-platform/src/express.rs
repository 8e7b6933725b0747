//! Express Configuration (Okta Integration Network): the API and the scopes Okta asks for, and
//! what the two public recipes (Auth0's doc, Okta's guide) and Auth0's own system objects fix
//! for the tenant setup around the Action (`../shared/reference/deploy-surfaces.md` §2; go-auth0
//! recordings `TestResourceServer_ExpressConfiguration`, `TestClientGrant_ExpressConfiguration`,
//! `TestClientGrant_IsSystem`).

/// The Express Configure API's identifier (audience) in Auth0's recipe.
pub const API_IDENTIFIER: &str = "urn:auth0:express-configure";

/// The scopes Okta requests when it configures a customer's SSO and SCIM.
pub const SCOPES: &[&str] = &["express_configure:sso", "express_configure:scim"];

/// The prefix every Express Configure scope starts with.
pub const SCOPE_PREFIX: &str = "express_configure:";

/// The Okta guide's API identifier (its recipe's audience).
pub const OKTA_API_IDENTIFIER: &str = "https://system.okta.com/actions/express-configure/v1";

/// The Okta guide's permission prefix (`expressconfigure:sso`, `expressconfigure:scim`).
pub const OKTA_SCOPE_PREFIX: &str = "expressconfigure:";

/// The access token lifetime of the Express Configure API in seconds: the Okta guide sets it,
/// and Auth0's system API has it.
pub const API_TOKEN_LIFETIME: u32 = 300;

/// The application type of Auth0's recipe's OIN client. Auth0 gives such a client Okta's
/// callback, OIDC conformance and its own `is_system` grant on the Management API, and refuses
/// any other grant for it ("Client of type express_configuration cannot be used").
pub const CLIENT_TYPE: &str = "express_configuration";

/// The Okta admin console's OAuth redirect, the OIN client's only callback.
pub const OKTA_CALLBACK: &str = "https://system-admin.okta.com/admin/app/generic/oauth20redirect";

/// The OIN client's grant types.
pub const OIN_GRANT_TYPES: &[&str] = &["authorization_code", "client_credentials"];

/// The OIN client's ID token signing algorithm, and its public key's.
pub const OIN_SIGNING_ALG: &str = "RS256";

/// Management API scopes the OIN client needs to create Okta connections (Okta guide step 4);
/// Auth0's system grant of an `express_configuration` client carries them too.
pub const CONNECTION_SCOPES: &[&str] = &[
    "create:connections",
    "read:connections",
    "update:connections",
    "read:connections_options",
    "update:connections_options",
    "read:organization_connections",
    "create:organization_connections",
    "update:organization_connections",
];

/// Management API scopes added for SCIM (Okta guide, SCIM variant).
pub const SCIM_SCOPES: &[&str] =
    &["read:scim_config", "create:scim_config", "read:scim_token", "create:scim_token", "delete:scim_token"];

/// Keys of a client's `express_configuration` that Auth0 sets itself and refuses in a PATCH.
pub const READ_ONLY_CLIENT_KEYS: &[&str] = &["oin_submission_id"];
