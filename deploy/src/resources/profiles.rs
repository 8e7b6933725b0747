//! User attribute profiles (`/user-attribute-profiles`) and connection profiles
//! (`/connection-profiles`): the tenant's profiles a SaaS application's Express Configuration
//! names, looked up by name and never written.

use serde::Deserialize;

use super::checkpoint_pages;
use crate::client::Client;
use crate::DeployError;

/// Which kind of profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    /// A user attribute profile.
    UserAttribute,
    /// A connection profile.
    Connection,
}

impl ProfileKind {
    /// Where the list is.
    pub fn path(self) -> &'static str {
        match self {
            ProfileKind::UserAttribute => "/user-attribute-profiles",
            ProfileKind::Connection => "/connection-profiles",
        }
    }

    /// The key the list answer holds the profiles under.
    fn list_key(self) -> &'static str {
        match self {
            ProfileKind::UserAttribute => "user_attribute_profiles",
            ProfileKind::Connection => "connection_profiles",
        }
    }

    /// What it is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            ProfileKind::UserAttribute => "user attribute profile",
            ProfileKind::Connection => "connection profile",
        }
    }
}

/// A profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Profile {
    /// Profile id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: String,
}

/// The tenant's profiles of `kind`, every page.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn list(client: &Client, kind: ProfileKind) -> Result<Vec<Profile>, DeployError> {
    // Checkpoint-paginated (`take`, `from` = the answer's `next`): every page.
    checkpoint_pages(client, kind.path(), kind.list_key(), 50)
}
