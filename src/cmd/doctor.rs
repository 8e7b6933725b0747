//! `actionkit doctor [PROJECT] [--user ID] [--organization NAME]`: checks a tenant for the
//! Express Configuration prerequisites whose absence gives Okta's `oauth_error` 403, and says
//! which is missing. Read-only.

use std::path::PathBuf;

use clap::Args;
use deploy::doctor::{self, DoctorTarget, Status};
use deploy::express::ExpressDesired;
use manifest::{ExpressConfigurationSection, ExpressRecipe, Manifest};

use crate::printer::{OutputFormat, Printer};
use crate::tenant::{client, for_environment, TenantArgs};
use crate::{CommandError, CommandResult, Exit};

/// The trigger the project's Action is bound to.
const POST_LOGIN: &str = "post-login";

/// Arguments of `actionkit doctor`.
#[derive(Debug, Args)]
#[command(after_help = crate::tenant::CREDENTIALS_HELP)]
pub struct DoctorArgs {
    /// The project directory; its `[express_configuration]` says which recipe to check
    /// (without one, the Auth0 recipe's defaults are checked).
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// The Auth0 user id of the admin who clicks "Express Configure SSO" (e.g. `auth0|abc`).
    #[arg(long, value_name = "USER_ID")]
    pub user: Option<String>,
    /// The Auth0 organization (name) that admin logs in to.
    #[arg(long, value_name = "NAME")]
    pub organization: Option<String>,
    /// The tenant and how to talk to it.
    #[command(flatten)]
    pub tenant: TenantArgs,
}

/// Runs `actionkit doctor`.
pub fn run(args: &DoctorArgs, printer: &Printer) -> CommandResult {
    let manifest =
        Manifest::load(&args.project).and_then(|m| for_environment(m, &args.tenant)).map_err(CommandError::input)?;
    let section = manifest.express_configuration.clone().unwrap_or(ExpressConfigurationSection {
        recipe: ExpressRecipe::Auth0,
        scim: false,
        role: "EXPRESS_CONFIGURE_ADMIN_ROLE".into(),
        oin_client_name: "Okta OIN Integration Client".into(),
        sp_client_id: None,
        public_key: None,
        organization_require_behavior: None,
        use_scope_descriptions_for_consent: true,
        saas_app: None,
    });
    let target = DoctorTarget {
        user: args.user.as_deref(),
        organization: args.organization.as_deref(),
        action: Some((manifest.action.name.as_str(), POST_LOGIN)),
    };
    let result = client(&args.tenant, printer).and_then(|client| {
        // The key file is not needed to check the tenant.
        let section = ExpressConfigurationSection { public_key: None, ..section };
        let desired = ExpressDesired::from_manifest(&section, &args.project, &client.config().audience)?;
        Ok(doctor::doctor(&client, &desired, target))
    });
    let checks = result.map_err(crate::tenant::command_error)?;
    let missing = checks.iter().filter(|c| c.status == Status::Missing).count();
    match printer.format() {
        OutputFormat::Text => checks.iter().for_each(|check| printer.out(check)),
        OutputFormat::Json => printer.json(&serde_json::json!({
            "checks": checks,
            "missing": missing,
            "unknown": checks.iter().filter(|c| c.status == Status::Unknown).count(),
        })),
    }
    let skipped = checks.iter().filter(|c| c.status == Status::Skipped).count();
    let unknown = checks.iter().filter(|c| c.status == Status::Unknown).count();
    if missing > 0 {
        printer.error(format_args!(
            "{missing} prerequisite{} missing: Okta's Express Configure SSO will fail with `oauth_error` (HTTP 403) until fixed",
            if missing == 1 { "" } else { "s" }
        ));
    }
    if unknown > 0 {
        // Fail closed: a prerequisite that could not be read may be the missing one.
        printer.error(format_args!(
            "{unknown} check{} could not be made (see UNKNOWN above): grant the scopes they name and run doctor again",
            if unknown == 1 { "" } else { "s" }
        ));
    }
    if missing > 0 || unknown > 0 {
        return Ok(Exit::Failure);
    }
    printer.status("Checked", format_args!("{} passed, {skipped} skipped", checks.len() - skipped));
    Ok(Exit::Success)
}
