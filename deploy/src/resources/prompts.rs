//! Prompts (`/prompts`): the login experience settings (read only).

use serde::Deserialize;

use super::read;
use crate::client::Client;
use crate::DeployError;

/// The prompt settings, as far as actionkit reads them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Prompts {
    /// Identifier First login (the username first, then the password or a redirect): what home
    /// realm discovery needs.
    #[serde(default)]
    pub identifier_first: Option<bool>,
}

/// Reads the prompt settings.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn get(client: &Client) -> Result<Prompts, DeployError> {
    read(client, "/prompts")
}
