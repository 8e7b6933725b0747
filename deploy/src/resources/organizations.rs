//! Organizations (`/organizations`): found by name, their members (checkpoint-paginated) and
//! the roles a member holds in the organization.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::roles::Role;
use super::{encode, find_in_checkpoint_pages, null_as_empty, offset_pages, read_if_exists};
use crate::client::Client;
use crate::DeployError;

/// An organization.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Organization {
    /// Organization id (`org_…`).
    pub id: String,
    /// Its name (not the display name).
    #[serde(default)]
    pub name: String,
    /// Its metadata (string values).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub metadata: Map<String, Value>,
}

impl Organization {
    /// The metadata value under `key`, if it is a string.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.metadata.get(key).and_then(Value::as_str)
    }
}

/// One member, as `fields=user_id` lists them.
#[derive(Debug, Deserialize)]
struct Member {
    #[serde(default)]
    user_id: String,
}

const ORGANIZATIONS: &str = "/organizations";
/// Members per page.
const TAKE: usize = 100;

/// The organization named `name`, if there is one.
///
/// # Errors
///
/// Any [`DeployError`] of the call other than a 404.
pub fn find_by_name(client: &Client, name: &str) -> Result<Option<Organization>, DeployError> {
    read_if_exists(client, &format!("{ORGANIZATIONS}/name/{}", encode(name)))
}

/// Whether `user_id` is a member of the organization `org_id`, reading the members page by page
/// with checkpoint pagination (offset pagination stops at 1,000 members) until the user or the
/// end of the list turns up.
///
/// # Errors
///
/// Any [`DeployError`] of the calls.
pub fn has_member(client: &Client, org_id: &str, user_id: &str) -> Result<bool, DeployError> {
    let path = format!("{ORGANIZATIONS}/{}/members?fields=user_id", encode(org_id));
    let found = find_in_checkpoint_pages(client, &path, "members", TAKE, |m: &Member| m.user_id == user_id)?;
    Ok(found.is_some())
}

/// The roles `user_id` holds in the organization `org_id`, every page.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn member_roles(client: &Client, org_id: &str, user_id: &str) -> Result<Vec<Role>, DeployError> {
    let path = format!("{ORGANIZATIONS}/{}/members/{}/roles", encode(org_id), encode(user_id));
    offset_pages(client, &path, "roles", super::roles::PER_PAGE, super::roles::MAX_PAGES)
}
