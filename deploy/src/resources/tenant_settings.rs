//! Tenant settings (`/tenants/settings`): only the flags actionkit manages.

use serde::{Deserialize, Serialize};

use super::{null_as_empty, read};
use crate::client::Client;
use crate::DeployError;

/// The tenant's settings, as far as actionkit reads them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TenantSettings {
    /// The feature flags.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub flags: TenantFlags,
}

/// The tenant flags actionkit reads or sets; a PATCH sends only those given, and the tenant
/// keeps the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantFlags {
    /// Consent screens show scope descriptions instead of scope names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_scope_descriptions_for_consent: Option<bool>,
}

const SETTINGS: &str = "/tenants/settings";

/// Reads the tenant's settings.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn get(client: &Client) -> Result<TenantSettings, DeployError> {
    read(client, SETTINGS)
}

/// Sets the given `flags`.
///
/// # Errors
///
/// Any [`DeployError`] of the call.
pub fn update_flags(client: &Client, flags: &TenantFlags) -> Result<(), DeployError> {
    #[derive(Serialize)]
    struct Flags<'a> {
        flags: &'a TenantFlags,
    }
    client.patch(SETTINGS, &Flags { flags })?;
    Ok(())
}
