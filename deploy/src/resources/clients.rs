//! Clients (applications, `/clients`) and their credentials (`/clients/{id}/credentials`). The
//! API has no filter by name, so finding one by name reads every page.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{encode, offset_pages, parse, read_if_exists};
use crate::client::{Client, Idempotent};
use crate::DeployError;

/// An application, as far as actionkit reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Application {
    /// The client id.
    pub client_id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
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
        self.client_authentication_methods
            .as_ref()
            .and_then(|m| m.private_key_jwt.as_ref())
            .is_some_and(|k| !k.credentials.is_empty())
    }
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
/// A bound on pages read (2,000 clients), so a misbehaving server cannot keep us looping.
const MAX_PAGES: usize = 20;

fn path(client_id: &str) -> String {
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

/// Creates an application. Not retried after a 5xx or timeout (it may have landed).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn create(client: &Client, application: &NewApplication<'_>) -> Result<Application, DeployError> {
    parse(client.post(CLIENTS, application, Idempotent::No)?, "POST", CLIENTS)
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

/// Stores `credential` for the application `client_id` (it is not used until the application's
/// `client_authentication_methods` name it). Not retried after a 5xx or timeout.
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
    parse(client.post(&path, credential, Idempotent::No)?, "POST", &path)
}
