//! Clients (applications, `/clients`) and their credentials (`/clients/{id}/credentials`). The
//! API has no filter by name, so finding one by name reads every page.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{encode, offset_pages, parse, read_if_exists, read_list};
use crate::client::{create_or_find, Client, Idempotent};
use crate::DeployError;

/// An application, as far as actionkit reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Application {
    /// The client id.
    pub client_id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// The application type (`regular_web`, `express_configuration`, …).
    #[serde(default)]
    pub app_type: Option<String>,
    /// Whether it is OIDC conformant (`post_login_prompt` requires it).
    #[serde(default)]
    pub oidc_conformant: Option<bool>,
    /// Allowed callback URLs.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub callbacks: Vec<String>,
    /// Allowed grant types.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub grant_types: Vec<String>,
    /// The token settings, kept whole: a PATCH replaces the object, so keys actionkit does not
    /// manage (`lifetime_in_seconds`, …) are sent back.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub jwt_configuration: Map<String, Value>,
    /// `deny`, `allow` or `require`.
    #[serde(default)]
    pub organization_usage: Option<String>,
    /// How the organization is chosen at login (`pre_login_prompt`, `post_login_prompt`, …).
    #[serde(default)]
    pub organization_require_behavior: Option<String>,
    /// Its metadata, kept whole: a PATCH replaces it, so keys set by others are sent back.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub client_metadata: Map<String, Value>,
    /// How it authenticates (only `private_key_jwt` is read).
    #[serde(default)]
    pub client_authentication_methods: Option<AuthenticationMethods<CredentialRef>>,
    /// A SaaS application's Express Configuration, kept whole: a PATCH replaces it, so keys set
    /// by others (`linked_clients`) are sent back.
    #[serde(default, deserialize_with = "super::null_as_empty")]
    pub express_configuration: Map<String, Value>,
}

impl Application {
    /// Whether it has at least one `private_key_jwt` credential (a public key).
    pub fn has_private_key_jwt_credential(&self) -> bool {
        !self.private_key_jwt_credentials().is_empty()
    }

    /// The ids of the credentials its `private_key_jwt` uses.
    pub fn private_key_jwt_credentials(&self) -> Vec<String> {
        self.client_authentication_methods
            .as_ref()
            .and_then(|m| m.private_key_jwt.as_ref())
            .map(|k| k.credentials.iter().map(|c| c.id.clone()).collect())
            .unwrap_or_default()
    }
}

/// A credential stored for a client, used or not (`GET /clients/{id}/credentials`). Auth0 never
/// returns the key itself; the `kid` is how a key is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoredCredential {
    /// Credential id (`cred_…`).
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its key id.
    #[serde(default)]
    pub kid: Option<String>,
}

/// `client_authentication_methods`, with credentials `C`: new ones in a create, references by
/// id once stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticationMethods<C> {
    /// Private key JWT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key_jwt: Option<PrivateKeyJwt<C>>,
}

/// `private_key_jwt`: the client's public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateKeyJwt<C> {
    /// The credentials.
    #[serde(default = "Vec::new")]
    pub credentials: Vec<C>,
}

impl<C> AuthenticationMethods<C> {
    /// Private key JWT with `credentials`.
    pub fn private_key_jwt(credentials: Vec<C>) -> AuthenticationMethods<C> {
        AuthenticationMethods { private_key_jwt: Some(PrivateKeyJwt { credentials }) }
    }
}

/// A stored credential, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRef {
    /// Credential id.
    pub id: String,
}

/// A new public key credential (the body of `POST /clients/{id}/credentials`, or inline in a
/// create).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCredential<'a> {
    /// Its name.
    pub name: &'a str,
    /// `public_key`.
    pub credential_type: &'a str,
    /// The PEM.
    pub pem: &'a str,
    /// The signing algorithm, e.g. `RS256`.
    pub alg: &'a str,
    /// The key id, derived from the key so the same key is recognised on the next run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<&'a str>,
}

/// The body of `POST /clients`; the optional settings are sent only when given.
#[derive(Debug, Clone, Serialize)]
pub struct NewApplication<'a> {
    /// The name.
    pub name: &'a str,
    /// `deny`, `allow` or `require`.
    pub organization_usage: &'a str,
    /// How the organization is chosen at login.
    pub organization_require_behavior: &'a str,
    /// Its credentials (sent even when there are none).
    pub client_authentication_methods: AuthenticationMethods<NewCredential<'a>>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    /// The application type (`regular_web`, `express_configuration`, …).
    pub app_type: &'a str,
    /// Allowed callback URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<&'a [&'a str]>,
    /// OIDC conformant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc_conformant: Option<bool>,
    /// Allowed grant types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<&'a [&'a str]>,
    /// The ID token signing algorithm: `{"alg": …}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt_configuration: Option<JwtConfiguration<'a>>,
    /// Metadata (string values); left out when empty.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub client_metadata: Map<String, Value>,
}

/// `jwt_configuration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JwtConfiguration<'a> {
    /// The signing algorithm, e.g. `RS256`.
    pub alg: &'a str,
}

/// The body of `PATCH /clients/{id}`: only the fields that change, each replaced whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplicationUpdate<'a> {
    /// `deny`, `allow` or `require`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_usage: Option<&'a str>,
    /// How the organization is chosen at login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_require_behavior: Option<&'a str>,
    /// The whole metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<Map<String, Value>>,
    /// The credentials to use, by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_authentication_methods: Option<AuthenticationMethods<CredentialRef>>,
    /// The whole Express Configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub express_configuration: Option<Map<String, Value>>,
    /// OIDC conformant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oidc_conformant: Option<bool>,
    /// The whole list of callback URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<Vec<String>>,
    /// The whole list of grant types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<String>>,
    /// The whole token settings object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt_configuration: Option<Map<String, Value>>,
}

impl ApplicationUpdate<'_> {
    /// Whether it changes nothing (and so is not sent).
    pub fn is_empty(&self) -> bool {
        *self == ApplicationUpdate::default()
    }
}

const CLIENTS: &str = "/clients";
/// Clients per page (Auth0's maximum).
const PER_PAGE: usize = 100;
/// A bound on pages read (10,000 clients): past it, finding by name fails rather than miss one.
const MAX_PAGES: usize = 100;

/// `/clients/{id}`.
pub(crate) fn path(client_id: &str) -> String {
    format!("{CLIENTS}/{}", encode(client_id))
}

/// Every application named exactly `name` (reads every page: there is no name filter).
///
/// # Errors
///
/// Any [`DeployError`] of the calls.
pub fn with_name(client: &Client, name: &str) -> Result<Vec<Application>, DeployError> {
    let all: Vec<Application> = offset_pages(client, CLIENTS, "clients", PER_PAGE, MAX_PAGES)?;
    Ok(all.into_iter().filter(|c| c.name == name).collect())
}

/// The application with `client_id`, if there is one.
///
/// # Errors
///
/// Any [`DeployError`] of the call other than a 404.
pub fn get(client: &Client, client_id: &str) -> Result<Option<Application>, DeployError> {
    read_if_exists(client, &path(client_id))
}

/// Creates an application. After a 5xx or timeout it is looked up by name before it is sent
/// again (the create may have landed).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn create(client: &Client, application: &NewApplication<'_>) -> Result<Application, DeployError> {
    create_or_find(
        client,
        || parse(client.post(CLIENTS, application, Idempotent::No)?, "POST", CLIENTS),
        || Ok(with_name(client, application.name)?.pop()),
    )
}

/// Updates the application `client_id` with the fields of `update`.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn update(client: &Client, client_id: &str, update: &ApplicationUpdate<'_>) -> Result<(), DeployError> {
    client.patch(&path(client_id), update)?;
    Ok(())
}

/// Every credential stored for the application `client_id`, used or not.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn credentials(client: &Client, client_id: &str) -> Result<Vec<StoredCredential>, DeployError> {
    read_list(client, &format!("{}/credentials", path(client_id)), "credentials")
}

/// Stores `credential` for the application `client_id` (it is not used until the application's
/// `client_authentication_methods` name it). After a 5xx or timeout the stored credentials are
/// searched for its `kid` before it is sent again.
///
/// # Errors
///
/// Any [`DeployError`] of the call (400 for a malformed PEM).
pub fn add_credential(
    client: &Client,
    client_id: &str,
    credential: &NewCredential<'_>,
) -> Result<CredentialRef, DeployError> {
    let path = format!("{}/credentials", path(client_id));
    create_or_find(
        client,
        || parse(client.post(&path, credential, Idempotent::No)?, "POST", &path),
        || {
            let Some(kid) = credential.kid else { return Ok(None) };
            let stored = credentials(client, client_id)?;
            Ok(stored.into_iter().find(|c| c.kid.as_deref() == Some(kid)).map(|c| CredentialRef { id: c.id }))
        },
    )
}
