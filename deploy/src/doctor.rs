//! `actionkit doctor`: checks a tenant for the prerequisites whose absence makes Okta's
//! "Express Configure SSO" fail with `oauth_error` 403 ("Failed to Express Configure the
//! application"): the API and its scopes, a role with the Express Configuration permissions
//! assigned to the admin user, the user in the Auth0 organization, home realm discovery (Auth0's
//! recipe), the OIN client (organizations, its recipe's settings, the public key), its grant on
//! the Management API, the tenant flag, and the Action deployed and bound. Read-only.
//!
//! Every check stands on its own: an endpoint that cannot be read (a missing scope, a 404, a
//! network error) makes that check `unknown`, with the reason and the scope it needs, and the
//! other checks still run. Checks that a recipe does not use are not made.

use std::fmt;

use crate::client::Client;
use crate::express::{find_oin_client, ExpressDesired};
use crate::resources::actions::{self, Action};
use crate::resources::clients::Application;
use crate::resources::roles::Role;
use crate::resources::{
    client_grants, organizations, prompts, resource_servers, roles, tenant_settings, triggers, users,
};
use crate::DeployError;
use auth0_platform::express::{
    CLIENT_TYPE as EXPRESS_CLIENT_TYPE, CONNECTION_SCOPES, OIN_GRANT_TYPES as OKTA_GRANT_TYPES, OKTA_CALLBACK,
};
use manifest::ExpressRecipe;

/// A check's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In place.
    Ok,
    /// Missing or wrong: a cause of the 403.
    Missing,
    /// Not checked (needs `--user` / `--organization`).
    Skipped,
    /// Could not be checked: the tenant did not answer what the check needs.
    Unknown,
}

/// One prerequisite and what was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// What is checked.
    pub name: &'static str,
    /// The result.
    pub status: Status,
    /// What was found, and when missing, how to fix it; when unknown, why.
    pub detail: String,
    /// When unknown for lack of a scope: the Management API scope the check needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_scope: Option<String>,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = match self.status {
            Status::Ok => "ok     ",
            Status::Missing => "MISSING",
            Status::Skipped => "skipped",
            Status::Unknown => "UNKNOWN",
        };
        write!(f, "{mark} {}: {}", self.name, self.detail)
    }
}

fn check(name: &'static str, ok: bool, found: String, fix: &str) -> Check {
    if ok {
        Check { name, status: Status::Ok, detail: found, missing_scope: None }
    } else {
        Check { name, status: Status::Missing, detail: format!("{found}; {fix}"), missing_scope: None }
    }
}

fn skipped(name: &'static str, detail: impl Into<String>) -> Check {
    Check { name, status: Status::Skipped, detail: detail.into(), missing_scope: None }
}

/// The check `name` could not be made because of `err`.
fn unknown(name: &'static str, err: &DeployError) -> Check {
    // The fake and Auth0 word a missing scope as "Insufficient scope, expected any of: SCOPE".
    let missing_scope = match err {
        DeployError::Api { status: 403, message, .. } => {
            message.rsplit(": ").next().filter(|s| s.contains(':')).map(|s| s.trim().to_string())
        }
        _ => None,
    };
    let detail = match &missing_scope {
        Some(scope) => format!("could not be checked: {err} (grant the doctor's application `{scope}`)"),
        None => format!("could not be checked: {err}"),
    };
    Check { name, status: Status::Unknown, detail, missing_scope }
}

/// Makes one check from `run`; an error of its reads makes it `unknown`.
fn run(name: &'static str, run: impl FnOnce() -> Result<Check, DeployError>) -> Check {
    run().unwrap_or_else(|err| unknown(name, &err))
}

/// What doctor is asked to check beyond the setup.
#[derive(Debug, Clone, Copy, Default)]
pub struct DoctorTarget<'a> {
    /// The Auth0 user id of the admin who will click "Express Configure SSO".
    pub user: Option<&'a str>,
    /// The Auth0 organization (name) that admin logs in to.
    pub organization: Option<&'a str>,
    /// The project's Action (name) and its trigger, to check it is deployed and bound.
    pub action: Option<(&'a str, &'a str)>,
}

/// Runs every check, each independently of the others' failures.
pub fn doctor(client: &Client, d: &ExpressDesired, target: DoctorTarget<'_>) -> Vec<Check> {
    let DoctorTarget { user, organization, action } = target;
    let mut checks = Vec::new();
    let perms = d.permissions.join(" and ");

    checks.push(run("resource server", || {
        let rs = resource_servers::get(client, &d.identifier)?;
        let scopes: Vec<String> = rs
            .as_ref()
            .map(|r| r.scopes.iter().filter_map(|s| s.value().map(String::from)).collect())
            .unwrap_or_default();
        let found = match &rs {
            None => format!("no API with identifier `{}`", d.identifier),
            Some(_) => format!("API `{}` has scopes [{}]", d.identifier, scopes.join(", ")),
        };
        Ok(check(
            "resource server",
            d.permissions.iter().all(|p| scopes.contains(p)),
            found,
            "run `actionkit deploy --apply` with `[express_configuration]`",
        ))
    }));

    let role: Result<Option<Role>, DeployError> = roles::find_by_name(client, &d.role);
    checks.push(run("role permissions", || {
        let Some(role) = role.as_ref().map_err(Clone::clone)? else {
            return Ok(check(
                "role permissions",
                false,
                format!("no role named `{}`", d.role),
                &format!("the role must have both {perms}: run `actionkit deploy --apply`"),
            ));
        };
        let have = roles::permission_names(client, &role.id, &d.identifier)?;
        let missing: Vec<&str> = d.permissions.iter().filter(|p| !have.contains(p)).map(String::as_str).collect();
        let found = if missing.is_empty() {
            format!("role `{}` has {perms}", d.role)
        } else {
            format!("role `{}` lacks {}", d.role, missing.join(", "))
        };
        Ok(check(
            "role permissions",
            missing.is_empty(),
            found,
            &format!("the role must have both {perms}: run `actionkit deploy --apply`"),
        ))
    }));

    let org = organization.map(|name| organizations::find_by_name(client, name));
    checks.push(run("role assigned", || {
        let Some(role) = role.as_ref().map_err(Clone::clone)? else {
            return Ok(skipped("role assigned", "no role to assign"));
        };
        let Some(user) = user else {
            let tenant_wide = roles::has_users(client, &role.id)?;
            let found = if tenant_wide {
                format!("role `{}` is assigned to at least one user", d.role)
            } else {
                format!("no user has role `{}` tenant-wide", d.role)
            };
            let mut c = check(
                "role assigned",
                tenant_wide,
                found,
                "assign it to the admin user, or pass --user (and --organization for organization roles) to check them",
            );
            if !tenant_wide && organization.is_some() {
                // Organization roles are not listed under the role: only a --user check can tell.
                c.status = Status::Skipped;
            }
            return Ok(c);
        };
        let mut held = users::roles(client, user)?;
        if let Some(Some(org)) = org.as_ref().map(|o| o.as_ref().map_err(Clone::clone)).transpose()? {
            held.extend(organizations::member_roles(client, &org.id, user)?);
        }
        let ok = held.iter().any(|r| r.id == role.id);
        let found = if ok {
            format!("`{user}` has role `{}`", d.role)
        } else {
            format!("`{user}` does not have role `{}`", d.role)
        };
        Ok(check(
            "role assigned",
            ok,
            found,
            "assign the role to the user (in the organization: Organizations > Members > Assign Roles)",
        ))
    }));

    checks.push(run("organization membership", || {
        let Some(name) = organization else {
            return Ok(skipped("organization membership", "pass --organization NAME --user USER_ID to check it"));
        };
        let Some(org) = org.as_ref().expect("looked up with the name").as_ref().map_err(Clone::clone)? else {
            return Ok(check(
                "organization membership",
                false,
                format!("no organization named `{name}`"),
                "create it, or pass the organization's name (not its display name)",
            ));
        };
        let Some(user) = user else {
            return Ok(skipped(
                "organization membership",
                format!("organization `{name}` exists; pass --user USER_ID to check membership"),
            ));
        };
        let ok = organizations::has_member(client, &org.id, user)?;
        let found = if ok {
            format!("`{user}` is a member of `{name}`")
        } else {
            format!("`{user}` is not a member of `{name}`")
        };
        Ok(check("organization membership", ok, found, "add the user to the organization (Organizations > Members)"))
    }));

    // Home realm discovery is part of Auth0's recipe (the Action's `domain_aliases`); the Okta
    // guide does not use it.
    if d.recipe == ExpressRecipe::Auth0 {
        checks.push(run("home realm discovery", || {
            let identifier_first = prompts::get(client)?.identifier_first == Some(true);
            let org = org.as_ref().map(|o| o.as_ref().map_err(Clone::clone)).transpose()?.and_then(Option::as_ref);
            let domains = org.as_ref().and_then(|o| o.metadata("domains")).filter(|d| !d.trim().is_empty());
            let (ok, found) = match (identifier_first, organization, domains) {
                (false, _, _) => (false, "Identifier First login is off".to_string()),
                (true, Some(name), None) => {
                    (false, format!("organization `{name}` has no `domains` metadata for the Action's domain_aliases"))
                }
                (true, Some(name), Some(d)) => (true, format!("Identifier First is on; `{name}` has domains `{d}`")),
                (true, None, _) => (true, "Identifier First is on (pass --organization to check its domains)".into()),
            };
            Ok(check("home realm discovery", ok, found, "turn on Identifier First (Authentication Profile) and set the organization's `domains` metadata, as in the Auth0 guide's \"Enable home realm discovery\""))
        }));
    }

    let oin: Result<Option<Application>, DeployError> = find_oin_client(client, &d.oin_client_name);
    checks.push(run("OIN client", || {
        let Some(c) = oin.as_ref().map_err(Clone::clone)? else {
            return Ok(check(
                "OIN client",
                false,
                format!("no application named `{}`", d.oin_client_name),
                "run `actionkit deploy --apply` with `[express_configuration]`",
            ));
        };
        let problems = oin_problems(d, c);
        let found = if problems.is_empty() {
            format!("`{}` requires organizations, has its recipe's settings and the OIN public key", d.oin_client_name)
        } else {
            format!("`{}`: {}", d.oin_client_name, problems.join("; "))
        };
        Ok(check(
            "OIN client",
            problems.is_empty(),
            found,
            "run `actionkit deploy --apply` with `[express_configuration]` (and `public_key` for the key)",
        ))
    }));

    checks.push(run("client grant", || {
        let Some(c) = oin.as_ref().map_err(Clone::clone)? else {
            return Ok(skipped("client grant", format!("no application named `{}` to have one", d.oin_client_name)));
        };
        let grants = client_grants::find_all(client, &c.client_id, &d.management_audience)?;
        // Auth0's own grant of an `express_configuration` client carries what Auth0 decides; the
        // connection scopes are what Okta's calls need.
        let (wanted, grant): (Vec<&str>, _) = match grants.iter().find(|g| g.is_system) {
            Some(system) => (CONNECTION_SCOPES.to_vec(), Some(system)),
            None => (d.grant_scopes.iter().map(String::as_str).collect(), grants.iter().find(|g| !g.is_system)),
        };
        let Some(grant) = grant else {
            return Ok(check(
                "client grant",
                false,
                format!("`{}` has no grant on `{}`", d.oin_client_name, d.management_audience),
                "run `actionkit deploy --apply` with `[express_configuration]`",
            ));
        };
        let lacking: Vec<&str> = wanted.into_iter().filter(|s| !grant.scope.iter().any(|g| g == s)).collect();
        let whose = if grant.is_system { "Auth0's grant" } else { "the grant" };
        let found = if lacking.is_empty() {
            format!("{whose} of `{}` on the Management API has the connection scopes", d.oin_client_name)
        } else {
            format!("{whose} of `{}` lacks {}", d.oin_client_name, lacking.join(", "))
        };
        let fix = if grant.is_system {
            "Auth0 manages this grant; contact Auth0 support"
        } else {
            "run `actionkit deploy --apply` with `[express_configuration]`"
        };
        Ok(check("client grant", lacking.is_empty(), found, fix))
    }));

    if d.scope_descriptions {
        checks.push(run("tenant flag", || {
            let on = tenant_settings::get(client)?.flags.use_scope_descriptions_for_consent == Some(true);
            let found = format!("use_scope_descriptions_for_consent is {}", if on { "on" } else { "off" });
            Ok(check("tenant flag", on, found, "run `actionkit deploy --apply` with `[express_configuration]`"))
        }));
    }

    if let Some((name, trigger)) = action {
        checks.push(run("Action deployed and bound", || {
            let Some(found) = actions::find_by_name(client, name)? else {
                return Ok(check(
                    "Action deployed and bound",
                    false,
                    format!("no Action named `{name}`"),
                    "run `actionkit deploy --apply`",
                ));
            };
            let bound = triggers::bindings(client, trigger)?.iter().any(|b| b.action.id == found.id);
            let (ok, state) = action_state(&found, bound);
            Ok(check(
                "Action deployed and bound",
                ok,
                format!("`{name}` {state} in the {trigger} flow"),
                "run `actionkit deploy --apply`",
            ))
        }));
    }
    checks
}

/// Whether the Action is live, and how it stands.
fn action_state(action: &Action, bound: bool) -> (bool, &'static str) {
    match (action.deployed_version.is_some(), bound) {
        (true, true) => (true, "is deployed and bound"),
        (true, false) => (false, "is deployed but not bound"),
        (false, true) => (false, "is bound but never deployed"),
        (false, false) => (false, "is neither deployed nor bound"),
    }
}

/// What the OIN client lacks for its recipe.
fn oin_problems(d: &ExpressDesired, c: &Application) -> Vec<String> {
    let mut problems = Vec::new();
    if c.organization_usage.as_deref() != Some("require") {
        problems.push("does not require organizations".to_string());
    }
    if c.organization_require_behavior.as_deref() != Some(d.require_behavior.as_str()) {
        problems.push(format!("organization_require_behavior is not `{}`", d.require_behavior));
    }
    match d.recipe {
        ExpressRecipe::Auth0 => {
            if c.app_type.as_deref() != Some(EXPRESS_CLIENT_TYPE) {
                problems.push(format!("is not an `{EXPRESS_CLIENT_TYPE}` application"));
            }
        }
        ExpressRecipe::Okta => {
            if c.oidc_conformant != Some(true) {
                problems.push("is not OIDC conformant".into());
            }
            if !c.callbacks.iter().any(|u| u == OKTA_CALLBACK) {
                problems.push(format!("has no callback `{OKTA_CALLBACK}`"));
            }
            for grant in OKTA_GRANT_TYPES {
                if !c.grant_types.iter().any(|g| g == grant) {
                    problems.push(format!("lacks the `{grant}` grant type"));
                }
            }
            if let Some(sp) = &d.sp_client_id {
                if c.client_metadata.get("express_configure_sp_client_id").and_then(|v| v.as_str()) != Some(sp) {
                    problems.push(format!("client_metadata.express_configure_sp_client_id is not `{sp}`"));
                }
            }
        }
    }
    if !c.has_private_key_jwt_credential() {
        problems.push("has no private_key_jwt public key (the .pem from the OIN wizard)".into());
    }
    problems
}
