//! Users (`/users`): the roles a user holds tenant-wide.

use super::roles::Role;
use super::{encode, read_list};
use crate::client::Client;
use crate::DeployError;

/// The roles `user_id` (e.g. `auth0|abc`) holds tenant-wide (not those held in an organization).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn roles(client: &Client, user_id: &str) -> Result<Vec<Role>, DeployError> {
    read_list(client, &format!("/users/{}/roles", encode(user_id)), "roles")
}
