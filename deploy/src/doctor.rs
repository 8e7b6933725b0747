//! `actionkit doctor`: checks a tenant for the prerequisites whose absence makes Okta's
//! "Express Configure SSO" fail with `oauth_error` 403 ("Failed to Express Configure the
//! application"): a role with both Express Configuration permissions assigned to the admin
//! user, the user in the Auth0 organization, and home realm discovery enabled; plus the
//! resource server and the OIN client they rely on. Read-only.

use std::fmt;

use crate::client::Client;
use crate::express::{find_oin_client, ExpressDesired};
use crate::resources::{organizations, prompts, resource_servers, roles, users};
use crate::DeployError;

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
}

/// One prerequisite and what was found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// What is checked.
    pub name: &'static str,
    /// The result.
    pub status: Status,
    /// What was found, and when missing, how to fix it.
    pub detail: String,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = match self.status {
            Status::Ok => "ok     ",
            Status::Missing => "MISSING",
            Status::Skipped => "skipped",
        };
        write!(f, "{mark} {}: {}", self.name, self.detail)
    }
}

fn check(name: &'static str, ok: bool, found: String, fix: &str) -> Check {
    if ok {
        Check { name, status: Status::Ok, detail: found }
    } else {
        Check { name, status: Status::Missing, detail: format!("{found}; {fix}") }
    }
}

/// Runs every check. `user` is the Auth0 user id of the admin who will click "Express
/// Configure SSO"; `organization` the Auth0 organization name they log in to.
///
/// # Errors
///
/// Any [`DeployError`] of the (read-only) calls.
pub fn doctor(
    client: &Client,
    d: &ExpressDesired,
    user: Option<&str>,
    organization: Option<&str>,
) -> Result<Vec<Check>, DeployError> {
    let mut checks = Vec::new();
    let perms = d.permissions.join(" and ");

    let rs = resource_servers::get(client, &d.identifier)?;
    let scopes: Vec<String> =
        rs.as_ref().map(|r| r.scopes.iter().filter_map(|s| s.value().map(String::from)).collect()).unwrap_or_default();
    let rs_ok = d.permissions.iter().all(|p| scopes.contains(p));
    let found = match &rs {
        None => format!("no API with identifier `{}`", d.identifier),
        Some(_) => format!("API `{}` has scopes [{}]", d.identifier, scopes.join(", ")),
    };
    checks.push(check(
        "resource server",
        rs_ok,
        found,
        "run `actionkit deploy --apply` with `[express_configuration]`",
    ));

    let role_id = roles::find_by_name(client, &d.role)?.map(|r| r.id);
    let have = match &role_id {
        Some(id) => roles::permission_names(client, id, &d.identifier)?,
        None => Vec::new(),
    };
    let missing: Vec<&String> = d.permissions.iter().filter(|p| !have.contains(p)).collect();
    let found = match (&role_id, missing.is_empty()) {
        (None, _) => format!("no role named `{}`", d.role),
        (Some(_), true) => format!("role `{}` has {perms}", d.role),
        (Some(_), false) => {
            format!("role `{}` lacks {}", d.role, missing.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "))
        }
    };
    checks.push(check(
        "role permissions",
        role_id.is_some() && missing.is_empty(),
        found,
        &format!("the role must have both {perms}: run `actionkit deploy --apply`"),
    ));

    let org = match organization {
        Some(name) => organizations::find_by_name(client, name)?,
        None => None,
    };
    let org_id = org.as_ref().map(|o| o.id.clone());

    match (&role_id, user) {
        (None, _) => {
            checks.push(Check { name: "role assigned", status: Status::Skipped, detail: "no role to assign".into() })
        }
        (Some(rid), Some(user)) => {
            let mut held = users::roles(client, user)?;
            if let Some(oid) = &org_id {
                held.extend(organizations::member_roles(client, oid, user)?);
            }
            let ok = held.iter().any(|r| &r.id == rid);
            let found = if ok {
                format!("`{user}` has role `{}`", d.role)
            } else {
                format!("`{user}` does not have role `{}`", d.role)
            };
            checks.push(check(
                "role assigned",
                ok,
                found,
                "assign the role to the user (in the organization: Organizations > Members > Assign Roles)",
            ));
        }
        (Some(rid), None) => {
            let tenant_wide = roles::has_users(client, rid)?;
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
            checks.push(c);
        }
    }

    match (organization, &org_id, user) {
        (None, _, _) => checks.push(Check {
            name: "organization membership",
            status: Status::Skipped,
            detail: "pass --organization NAME --user USER_ID to check it".into(),
        }),
        (Some(name), None, _) => checks.push(check(
            "organization membership",
            false,
            format!("no organization named `{name}`"),
            "create it, or pass the organization's name (not its display name)",
        )),
        (Some(name), Some(_), None) => checks.push(Check {
            name: "organization membership",
            status: Status::Skipped,
            detail: format!("organization `{name}` exists; pass --user USER_ID to check membership"),
        }),
        (Some(name), Some(oid), Some(user)) => {
            let ok = organizations::has_member(client, oid, user)?;
            let found = if ok {
                format!("`{user}` is a member of `{name}`")
            } else {
                format!("`{user}` is not a member of `{name}`")
            };
            checks.push(check(
                "organization membership",
                ok,
                found,
                "add the user to the organization (Organizations > Members)",
            ));
        }
    }

    let identifier_first = prompts::get(client)?.identifier_first == Some(true);
    let domains = org.as_ref().and_then(|o| o.metadata("domains")).filter(|d| !d.trim().is_empty());
    let (ok, found) = match (identifier_first, organization, domains) {
        (false, _, _) => (false, "Identifier First login is off".to_string()),
        (true, Some(name), None) => {
            (false, format!("organization `{name}` has no `domains` metadata for the Action's domain_aliases"))
        }
        (true, Some(name), Some(d)) => (true, format!("Identifier First is on; `{name}` has domains `{d}`")),
        (true, None, _) => (true, "Identifier First is on (pass --organization to check its domains)".into()),
    };
    checks.push(check("home realm discovery", ok, found, "turn on Identifier First (Authentication Profile) and set the organization's `domains` metadata, as in the Auth0 guide's \"Enable home realm discovery\""));

    let oin = find_oin_client(client, &d.oin_client_name)?;
    let (ok, found) = match &oin {
        None => (false, format!("no application named `{}`", d.oin_client_name)),
        Some(c) => {
            let orgs = c.organization_usage.as_deref() == Some("require");
            let key = c.has_private_key_jwt_credential();
            match (orgs, key) {
                (true, true) => {
                    (true, format!("`{}` requires organizations and has the OIN public key", d.oin_client_name))
                }
                (false, _) => (false, format!("`{}` does not require organizations", d.oin_client_name)),
                (true, false) => (
                    false,
                    format!("`{}` has no private_key_jwt public key (the .pem from the OIN wizard)", d.oin_client_name),
                ),
            }
        }
    };
    checks.push(check(
        "OIN client",
        ok,
        found,
        "run `actionkit deploy --apply` with `[express_configuration] public_key`",
    ));
    Ok(checks)
}
