//! Express Configuration (Okta Integration Network): the API and the scopes Okta asks for.

/// The Express Configure API's identifier (audience) in Auth0's recipe.
pub const API_IDENTIFIER: &str = "urn:auth0:express-configure";

/// The scopes Okta requests when it configures a customer's SSO and SCIM.
pub const SCOPES: &[&str] = &["express_configure:sso", "express_configure:scim"];

/// The prefix every Express Configure scope starts with.
pub const SCOPE_PREFIX: &str = "express_configure:";
