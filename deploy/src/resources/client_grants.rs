//! Client grants (`/client-grants`): which scopes of an API (audience) an application may ask
//! for with client credentials. One grant per application and audience.

use serde::{Deserialize, Serialize};

use super::{encode, null_as_empty, parse, read_list};
use crate::client::{create_or_find, Client, Idempotent};
use crate::DeployError;

/// A client grant, as far as actionkit reads it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClientGrant {
    /// Grant id (`cgr_…`).
    pub id: String,
    /// The granted scopes.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub scope: Vec<String>,
    /// Made and managed by Auth0 (an `express_configuration` client's grant on the Management
    /// API): read-only.
    #[serde(default)]
    pub is_system: bool,
}

/// The body of `POST /client-grants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewClientGrant<'a> {
    /// The application.
    pub client_id: &'a str,
    /// The API's identifier.
    pub audience: &'a str,
    /// The granted scopes.
    pub scope: &'a [String],
}

const CLIENT_GRANTS: &str = "/client-grants";

/// `/client-grants/{id}`.
pub(crate) fn path(id: &str) -> String {
    format!("{CLIENT_GRANTS}/{}", encode(id))
}

/// Every grant of the application `client_id` on `audience` (Auth0 keeps one per client and
/// audience and subject type; a system grant may sit beside it).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn find_all(client: &Client, client_id: &str, audience: &str) -> Result<Vec<ClientGrant>, DeployError> {
    let path = format!("{CLIENT_GRANTS}?client_id={}&audience={}", encode(client_id), encode(audience));
    read_list(client, &path, "client_grants")
}

/// The grant of the application `client_id` on `audience` that is not Auth0's own, if there is one.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn find(client: &Client, client_id: &str, audience: &str) -> Result<Option<ClientGrant>, DeployError> {
    Ok(find_all(client, client_id, audience)?.into_iter().find(|g| !g.is_system))
}

/// Creates a grant. After a 5xx or timeout it is looked up before it is sent again (the create
/// may have landed).
///
/// # Errors
///
/// Any [`DeployError`] of the call (409 if the application already has one on the audience).
pub fn create(client: &Client, grant: &NewClientGrant<'_>) -> Result<ClientGrant, DeployError> {
    create_or_find(
        client,
        || parse(client.post(CLIENT_GRANTS, grant, Idempotent::No)?, "POST", CLIENT_GRANTS),
        || find(client, grant.client_id, grant.audience),
    )
}

/// Replaces the scopes of the grant `id` with `scope` (send the ones to keep).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn update_scope(client: &Client, id: &str, scope: &[String]) -> Result<(), DeployError> {
    #[derive(Serialize)]
    struct Scope<'a> {
        scope: &'a [String],
    }
    client.patch(&format!("{CLIENT_GRANTS}/{}", encode(id)), &Scope { scope })?;
    Ok(())
}
