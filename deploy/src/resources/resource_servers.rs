//! Resource servers (APIs, `/resource-servers`), addressed by identifier: the API accepts the
//! identifier (percent-encoded) wherever it takes the id.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{encode, null_as_empty, parse, read_if_exists};
use crate::client::{create_or_find, Client, Idempotent};
use crate::DeployError;

/// A resource server, as far as actionkit reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResourceServer {
    /// Its scopes (the permissions a role can be given on it).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub scopes: Vec<Scope>,
    /// Made and managed by Auth0 (e.g. `urn:auth0:express-configure`): every PATCH is refused.
    #[serde(default)]
    pub is_system: bool,
    /// RBAC on.
    #[serde(default)]
    pub enforce_policies: Option<bool>,
    /// Access token lifetime in seconds.
    #[serde(default)]
    pub token_lifetime: Option<u32>,
    /// Whether refresh tokens may be issued.
    #[serde(default)]
    pub allow_offline_access: Option<bool>,
    /// Whether first-party clients skip consent.
    #[serde(default)]
    pub skip_consent_for_verifiable_first_party_clients: Option<bool>,
}

/// A scope of a resource server. The object is kept whole, fields actionkit does not know
/// included: a PATCH replaces `scopes` whole, so the ones already there are sent back as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scope(Map<String, Value>);

impl Scope {
    /// A new scope `value` with its `description`.
    pub fn new(value: &str, description: String) -> Scope {
        let mut scope = Map::new();
        scope.insert("value".into(), Value::String(value.into()));
        scope.insert("description".into(), Value::String(description));
        Scope(scope)
    }

    /// Its value (the permission name), e.g. `express_configure:sso`.
    #[must_use]
    pub fn value(&self) -> Option<&str> {
        self.0.get("value").and_then(Value::as_str)
    }
}

/// The body of `POST /resource-servers`; the optional settings are sent only when given.
#[derive(Debug, Clone, Serialize)]
pub struct NewResourceServer<'a> {
    /// The display name (left out for an API Auth0 makes from its own template).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// The identifier (the audience of its tokens).
    pub identifier: &'a str,
    /// Its scopes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// RBAC on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforce_policies: Option<bool>,
    /// Access token lifetime in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_lifetime: Option<u32>,
    /// Whether refresh tokens may be issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_offline_access: Option<bool>,
    /// Whether first-party clients skip consent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_consent_for_verifiable_first_party_clients: Option<bool>,
}

const RESOURCE_SERVERS: &str = "/resource-servers";

/// `/resource-servers/{identifier}`.
pub(crate) fn path(identifier: &str) -> String {
    format!("{RESOURCE_SERVERS}/{}", encode(identifier))
}

/// The resource server with `identifier`, if there is one.
///
/// # Errors
///
/// Any [`DeployError`] of the call other than a 404.
pub fn get(client: &Client, identifier: &str) -> Result<Option<ResourceServer>, DeployError> {
    read_if_exists(client, &path(identifier))
}

/// Creates a resource server. After a 5xx or timeout it is looked up by identifier before it is
/// sent again (the create may have landed).
///
/// # Errors
///
/// Any [`DeployError`] of the call (409 if the identifier is taken).
pub fn create(client: &Client, resource_server: &NewResourceServer<'_>) -> Result<ResourceServer, DeployError> {
    create_or_find(
        client,
        || parse(client.post(RESOURCE_SERVERS, resource_server, Idempotent::No)?, "POST", RESOURCE_SERVERS),
        || get(client, resource_server.identifier),
    )
}

/// The body of `PATCH /resource-servers/{id}`: only what changes; `scopes` is replaced whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResourceServerUpdate {
    /// The whole list of scopes (send the ones to keep).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    /// RBAC on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforce_policies: Option<bool>,
    /// Access token lifetime in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_lifetime: Option<u32>,
    /// Whether refresh tokens may be issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_offline_access: Option<bool>,
    /// Whether first-party clients skip consent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_consent_for_verifiable_first_party_clients: Option<bool>,
}

/// Updates the resource server `identifier` with the fields of `update`.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn update(client: &Client, identifier: &str, update: &ResourceServerUpdate) -> Result<(), DeployError> {
    client.patch(&path(identifier), update)?;
    Ok(())
}
