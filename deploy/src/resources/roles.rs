//! Roles (`/roles`), their permissions (`/roles/{id}/permissions`) and whether anyone holds
//! them tenant-wide (`/roles/{id}/users`).

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::{encode, offset_pages, parse, read_list};
use crate::client::{create_or_find, Client, Idempotent};
use crate::DeployError;

/// A role.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    /// Role id (`rol_…`).
    pub id: String,
    /// Role name.
    #[serde(default)]
    pub name: String,
}

/// A permission: a scope of one resource server. Read from a role's list, and sent as is to
/// add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// The resource server's identifier.
    #[serde(default)]
    pub resource_server_identifier: String,
    /// The scope.
    #[serde(default)]
    pub permission_name: String,
}

const ROLES: &str = "/roles";

/// `/roles/{id}`.
pub(crate) fn path(id: &str) -> String {
    format!("{ROLES}/{}", encode(id))
}
/// The first page of a role list is read, with room for any role actionkit looks for.
/// Roles and permissions per page (Auth0's maximum).
pub(super) const PER_PAGE: usize = 100;
/// Pages read at most (10,000 entries): past that actionkit fails rather than act on part.
pub(super) const MAX_PAGES: usize = 100;

/// Finds the role named exactly `name` (`name_filter` is a substring match).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn find_by_name(client: &Client, name: &str) -> Result<Option<Role>, DeployError> {
    // `name_filter` matches substrings: every page, then the exact name.
    let roles: Vec<Role> =
        offset_pages(client, &format!("{ROLES}?name_filter={}", encode(name)), "roles", PER_PAGE, MAX_PAGES)?;
    Ok(roles.into_iter().find(|r| r.name == name))
}

/// Creates a role. After a 5xx or timeout it is looked up by name before it is sent again (the
/// create may have landed).
///
/// # Errors
///
/// Any [`DeployError`] of the call (409 if the name is taken).
pub fn create(client: &Client, name: &str, description: &str) -> Result<Role, DeployError> {
    #[derive(Serialize)]
    struct NewRole<'a> {
        name: &'a str,
        description: &'a str,
    }
    let new = NewRole { name, description };
    create_or_find(
        client,
        || parse(client.post(ROLES, &new, Idempotent::No)?, "POST", ROLES),
        || find_by_name(client, name),
    )
}

/// The names of the role's permissions on the resource server `identifier`.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn permission_names(client: &Client, role_id: &str, identifier: &str) -> Result<Vec<String>, DeployError> {
    let path = format!("{ROLES}/{}/permissions", encode(role_id));
    let permissions: Vec<Permission> = offset_pages(client, &path, "permissions", PER_PAGE, MAX_PAGES)?;
    Ok(permissions
        .into_iter()
        .filter(|p| p.resource_server_identifier == identifier)
        .map(|p| p.permission_name)
        .collect())
}

/// Adds `permissions` to the role; those it already has stay (and adding one twice is harmless,
/// so this is retried like any repeatable request).
///
/// # Errors
///
/// Any [`DeployError`] of the call (404 for a scope the resource server does not have).
pub fn add_permissions(client: &Client, role_id: &str, permissions: &[Permission]) -> Result<(), DeployError> {
    #[derive(Serialize)]
    struct Permissions<'a> {
        permissions: &'a [Permission],
    }
    client.post(&format!("{ROLES}/{}/permissions", encode(role_id)), &Permissions { permissions }, Idempotent::Yes)?;
    Ok(())
}

/// Whether at least one user holds the role tenant-wide (organization roles are not listed here).
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn has_users(client: &Client, role_id: &str) -> Result<bool, DeployError> {
    // Only whether there is one: the first user is read and not looked at.
    let users: Vec<IgnoredAny> = read_list(client, &format!("{ROLES}/{}/users?per_page=1", encode(role_id)), "users")?;
    Ok(!users.is_empty())
}
