//! Resource servers (APIs, `/resource-servers`), addressed by identifier: the API accepts the
//! identifier (percent-encoded) wherever it takes the id.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{encode, null_as_empty, read_if_exists};
use crate::client::{Client, Idempotent};
use crate::DeployError;

/// A resource server, as far as actionkit reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResourceServer {
    /// Its scopes (the permissions a role can be given on it).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub scopes: Vec<Scope>,
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
    pub fn value(&self) -> Option<&str> {
        self.0.get("value").and_then(Value::as_str)
    }
}

/// The body of `POST /resource-servers`; the optional settings are sent only when given.
#[derive(Debug, Clone, Serialize)]
pub struct NewResourceServer<'a> {
    /// The display name.
    pub name: &'a str,
    /// The identifier (the audience of its tokens).
    pub identifier: &'a str,
    /// Its scopes.
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

fn path(identifier: &str) -> String {
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

/// Creates a resource server. Not retried after a 5xx or timeout (it may have landed).
///
/// # Errors
///
/// Any [`DeployError`] of the call (409 if the identifier is taken).
pub fn create(client: &Client, resource_server: &NewResourceServer<'_>) -> Result<(), DeployError> {
    client.post(RESOURCE_SERVERS, resource_server, Idempotent::No)?;
    Ok(())
}

/// Replaces the scopes of the resource server `identifier` with `scopes` (send the ones to keep).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn update_scopes(client: &Client, identifier: &str, scopes: &[Scope]) -> Result<(), DeployError> {
    #[derive(Serialize)]
    struct Scopes<'a> {
        scopes: &'a [Scope],
    }
    client.patch(&path(identifier), &Scopes { scopes })?;
    Ok(())
}
