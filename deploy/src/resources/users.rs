//! Users (`/users`): the roles a user holds tenant-wide.

use super::roles::Role;
use super::{encode, offset_pages};
use crate::client::Client;
use crate::DeployError;

/// The roles `user_id` (e.g. `auth0|abc`) holds tenant-wide (not those held in an organization).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn roles(client: &Client, user_id: &str) -> Result<Vec<Role>, DeployError> {
    let path = format!("/users/{}/roles", encode(user_id));
    offset_pages(client, &path, "roles", super::roles::PER_PAGE, super::roles::MAX_PAGES)
}
