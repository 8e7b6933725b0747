//! The Express Configuration setup around the Action (`[express_configuration]` in the
//! manifest), following either public recipe: the resource server and its scopes, the admin
//! role and its permissions, the OIN client (organizations required, `client_metadata`,
//! `private_key_jwt` public key), its client grant on the Management API, and the tenant flag
//! `use_scope_descriptions_for_consent`.
//!
//! [`reconcile`] reads each resource and, in [`Mode::Apply`], creates or updates it; in
//! [`Mode::Plan`] it only records what it would do. Plan and apply share one code path, so the
//! plan cannot drift from what apply does. Lists (scopes, permissions, grant scopes, metadata
//! keys) are only ever extended: what someone else added stays.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::client::Client;
use crate::resources::client_grants::{self, NewClientGrant};
use crate::resources::clients::{
    self, Application, ApplicationUpdate, AuthenticationMethods, JwtConfiguration, NewApplication, NewCredential,
};
use crate::resources::profiles::{self, ProfileKind};
use crate::resources::resource_servers::{self, NewResourceServer, Scope};
use crate::resources::roles::{self, Permission};
use crate::resources::tenant_settings::{self, TenantFlags};
use crate::DeployError;
use manifest::{ExpressConfigurationSection, ExpressRecipe, SaasAppSection};

/// The Okta admin console's OAuth redirect, the OIN client's only callback.
const OKTA_CALLBACK: &str = "https://system-admin.okta.com/admin/app/generic/oauth20redirect";
/// The credential name the public key is uploaded under.
const KEY_NAME: &str = "OIN Public Key";
/// Management API scopes the OIN client needs to create Okta connections (Okta guide step 4).
const CONNECTION_SCOPES: &[&str] = &[
    "create:connections",
    "read:connections",
    "update:connections",
    "read:connections_options",
    "update:connections_options",
    "read:organization_connections",
    "create:organization_connections",
    "update:organization_connections",
];
/// Added for SCIM (Okta guide, SCIM variant).
const SCIM_SCOPES: &[&str] =
    &["read:scim_config", "create:scim_config", "read:scim_token", "create:scim_token", "delete:scim_token"];

/// The setup the manifest asks for, resolved (identifier, permissions, key) and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpressDesired {
    /// The recipe.
    pub recipe: ExpressRecipe,
    /// The resource server's identifier (its audience).
    pub identifier: String,
    /// Its display name.
    pub api_name: String,
    /// The permissions (scopes) on it that the role gets: `…:sso` and, with SCIM, `…:scim`.
    pub permissions: Vec<String>,
    /// The role name.
    pub role: String,
    /// The OIN client name.
    pub oin_client_name: String,
    /// The SaaS application's client id for `client_metadata`.
    pub sp_client_id: Option<String>,
    /// The validated PEM public key.
    pub public_key: Option<String>,
    /// `organization_require_behavior`.
    pub require_behavior: String,
    /// The Management API audience the grant is for.
    pub management_audience: String,
    /// The grant's scopes.
    pub grant_scopes: Vec<String>,
    /// Whether to turn on `use_scope_descriptions_for_consent`.
    pub scope_descriptions: bool,
    /// The SaaS application's own `express_configuration`, when the manifest sets it.
    pub saas_app: Option<SaasAppSection>,
}

impl ExpressDesired {
    /// Resolves the manifest section; reads and checks the public key file.
    ///
    /// # Errors
    ///
    /// [`DeployError::Config`] if the key file cannot be read or is not a PEM public key.
    pub fn from_manifest(
        section: &ExpressConfigurationSection,
        project_dir: &Path,
        management_audience: &str,
    ) -> Result<ExpressDesired, DeployError> {
        let (identifier, api_name, prefix) = match section.recipe {
            ExpressRecipe::Auth0 => {
                ("urn:auth0:express-configure", "Okta OIN Express Configuration API", "express_configure")
            }
            ExpressRecipe::Okta => (
                "https://system.okta.com/actions/express-configure/v1",
                "Okta Express Configure API",
                "expressconfigure",
            ),
        };
        // The Auth0 recipe always grants both permissions (seed 004: the 403 comes from a role
        // missing either); the Okta guide adds SCIM only in its SCIM variant.
        let scim = section.scim || section.recipe == ExpressRecipe::Auth0;
        let mut permissions = vec![format!("{prefix}:sso")];
        if scim {
            permissions.push(format!("{prefix}:scim"));
        }
        let mut grant_scopes: Vec<String> = CONNECTION_SCOPES.iter().map(|s| s.to_string()).collect();
        if section.scim {
            grant_scopes.extend(SCIM_SCOPES.iter().map(|s| s.to_string()));
        }
        let public_key = match &section.public_key {
            None => None,
            Some(file) => {
                let path = project_dir.join(file);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    DeployError::config(
                        format!("cannot read the public key `{}`: {e}", path.display()),
                        "download the .pem from the Okta OIN wizard and set `[express_configuration] public_key` to its path",
                    )
                })?;
                Some(check_public_key(&text).map_err(|why| {
                    DeployError::config(
                        format!("`{}` is not a PEM public key: {why}", path.display()),
                        "use the .pem the Okta OIN wizard gives you: `-----BEGIN PUBLIC KEY-----`, base64, `-----END PUBLIC KEY-----`",
                    )
                })?)
            }
        };
        Ok(ExpressDesired {
            recipe: section.recipe,
            identifier: identifier.into(),
            api_name: api_name.into(),
            permissions,
            role: section.role.clone(),
            oin_client_name: section.oin_client_name.clone(),
            sp_client_id: section.sp_client_id.clone(),
            public_key,
            require_behavior: section.organization_require_behavior.clone().unwrap_or_else(|| {
                match section.recipe {
                    ExpressRecipe::Auth0 => "pre_login_prompt",
                    ExpressRecipe::Okta => "post_login_prompt",
                }
                .into()
            }),
            management_audience: management_audience.into(),
            grant_scopes,
            scope_descriptions: section.use_scope_descriptions_for_consent,
            saas_app: section.saas_app.clone(),
        })
    }
}

/// Checks that `text` is one PEM `PUBLIC KEY` block whose body is base64 of a DER sequence;
/// returns it normalised (trimmed, `\n` line ends).
pub fn check_public_key(text: &str) -> Result<String, String> {
    let text = text.trim().replace("\r\n", "\n");
    let body = text
        .strip_prefix("-----BEGIN PUBLIC KEY-----")
        .ok_or("it does not start with `-----BEGIN PUBLIC KEY-----`")?
        .strip_suffix("-----END PUBLIC KEY-----")
        .ok_or("it does not end with `-----END PUBLIC KEY-----`")?;
    let b64: String = body.split_whitespace().collect();
    let der =
        base64::engine::general_purpose::STANDARD.decode(&b64).map_err(|e| format!("its body is not base64 ({e})"))?;
    // SubjectPublicKeyInfo is a DER SEQUENCE; anything shorter than a P-256 key is not a key.
    if der.len() < 59 || der[0] != 0x30 {
        return Err("its body is not a DER-encoded public key".into());
    }
    Ok(format!("{text}\n"))
}

/// Plan only, or carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Read and record; write nothing.
    Plan,
    /// Read, write, record.
    Apply,
}

/// What happens (or happened) to one resource.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "fields", rename_all = "snake_case")]
pub enum Change {
    /// Created.
    Create,
    /// Updated: these fields or list entries.
    Update(Vec<String>),
    /// Already as wanted.
    Unchanged,
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResourceChange {
    /// What it is, e.g. "resource server `urn:auth0:express-configure`".
    pub resource: String,
    /// What happens to it.
    pub change: Change,
}

/// The setup's changes, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExpressPlan(pub Vec<ResourceChange>);

impl ExpressPlan {
    /// Whether anything is (or was) written.
    pub fn has_changes(&self) -> bool {
        self.0.iter().any(|c| c.change != Change::Unchanged)
    }

    fn push(&mut self, resource: String, change: Change) {
        self.0.push(ResourceChange { resource, change });
    }
}

impl fmt::Display for ExpressPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Express Configuration setup:")?;
        for c in &self.0 {
            match &c.change {
                Change::Create => writeln!(f, "  + create {}", c.resource)?,
                Change::Update(what) => writeln!(f, "  ~ update {}: {}", c.resource, what.join(", "))?,
                Change::Unchanged => writeln!(f, "  = {}", c.resource)?,
            }
        }
        Ok(())
    }
}

/// Reads (and in [`Mode::Apply`] creates or updates) every resource of the setup, in
/// dependency order: resource server, role, role permissions, OIN client (and key), the SaaS
/// app's `express_configuration`, grant, tenant flag.
///
/// # Errors
///
/// Any [`DeployError`] of the calls.
pub fn reconcile(client: &Client, d: &ExpressDesired, mode: Mode) -> Result<ExpressPlan, DeployError> {
    let mut plan = ExpressPlan::default();
    let apply = mode == Mode::Apply;
    resource_server(client, d, apply, &mut plan)?;
    role(client, d, apply, &mut plan)?;
    let oin = oin_client(client, d, apply, &mut plan)?;
    saas_app(client, d, oin.as_deref(), apply, &mut plan)?;
    grant(client, d, oin.as_deref(), apply, &mut plan)?;
    tenant_flag(client, d, apply, &mut plan)?;
    Ok(plan)
}

fn resource_server(
    client: &Client,
    d: &ExpressDesired,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let label = format!("resource server `{}`", d.identifier);
    let scope = |p: &String| Scope::new(p, format!("Express Configuration: {}", p.rsplit(':').next().unwrap_or(p)));
    let Some(live) = resource_servers::get(client, &d.identifier)? else {
        if apply {
            let mut new = NewResourceServer {
                name: &d.api_name,
                identifier: &d.identifier,
                scopes: d.permissions.iter().map(scope).collect(),
                enforce_policies: None,
                token_lifetime: None,
                allow_offline_access: None,
                skip_consent_for_verifiable_first_party_clients: None,
            };
            if d.recipe == ExpressRecipe::Okta {
                // The Okta guide's settings: short-lived tokens for Okta's calls, RBAC on.
                new.enforce_policies = Some(true);
                new.token_lifetime = Some(300);
                new.allow_offline_access = Some(false);
                new.skip_consent_for_verifiable_first_party_clients = Some(false);
            }
            resource_servers::create(client, &new)?;
        }
        plan.push(label, Change::Create);
        return Ok(());
    };
    let mut scopes = live.scopes;
    let have: Vec<&str> = scopes.iter().filter_map(Scope::value).collect();
    let missing: Vec<&String> = d.permissions.iter().filter(|p| !have.contains(&p.as_str())).collect();
    if missing.is_empty() {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        // `scopes` is replaced whole: re-send the existing ones.
        scopes.extend(missing.iter().map(|p| scope(p)));
        resource_servers::update_scopes(client, &d.identifier, &scopes)?;
    }
    plan.push(label, Change::Update(missing.iter().map(|m| format!("+scope {m}")).collect()));
    Ok(())
}

fn role(client: &Client, d: &ExpressDesired, apply: bool, plan: &mut ExpressPlan) -> Result<(), DeployError> {
    let label = format!("role `{}`", d.role);
    let perms_label = format!("permissions of role `{}`", d.role);
    let id = match roles::find_by_name(client, &d.role)? {
        Some(role) => {
            plan.push(label, Change::Unchanged);
            Some(role.id)
        }
        None => {
            plan.push(label, Change::Create);
            if apply {
                Some(roles::create(client, &d.role, "Administrator role for Express Configuration")?.id)
            } else {
                None
            }
        }
    };
    let have = match &id {
        Some(id) => roles::permission_names(client, id, &d.identifier)?,
        None => Vec::new(),
    };
    let missing: Vec<&String> = d.permissions.iter().filter(|p| !have.contains(p)).collect();
    if missing.is_empty() {
        plan.push(perms_label, Change::Unchanged);
        return Ok(());
    }
    if let (true, Some(id)) = (apply, &id) {
        let permissions: Vec<Permission> = missing
            .iter()
            .map(|p| Permission { resource_server_identifier: d.identifier.clone(), permission_name: p.to_string() })
            .collect();
        // Additive: permissions the role already has stay.
        roles::add_permissions(client, id, &permissions)?;
    }
    plan.push(perms_label, Change::Update(missing.iter().map(|m| format!("+{m}")).collect()));
    Ok(())
}

/// Finds the OIN client by its exact name.
///
/// # Errors
///
/// Any [`DeployError`] of the calls; [`DeployError::Config`] if two applications have the name.
pub(crate) fn find_oin_client(client: &Client, name: &str) -> Result<Option<Application>, DeployError> {
    let mut found = clients::with_name(client, name)?;
    if found.len() > 1 {
        return Err(DeployError::config(
            format!("the tenant has more than one application named `{name}`"),
            "actionkit finds the OIN client by name; rename one, or set `[express_configuration] oin_client_name`",
        ));
    }
    Ok(found.pop())
}

fn oin_metadata(d: &ExpressDesired) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(sp) = &d.sp_client_id {
        m.insert("express_configure_sp_client_id".into(), json!(sp));
        // A string, not a boolean: client_metadata values are strings.
        m.insert("is_express_configure_app".into(), json!("true"));
    }
    m
}

fn oin_client(
    client: &Client,
    d: &ExpressDesired,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<Option<String>, DeployError> {
    let label = format!("OIN client `{}`", d.oin_client_name);
    let key = d.public_key.as_deref().map(|pem| NewCredential {
        name: KEY_NAME,
        credential_type: "public_key",
        pem,
        alg: "RS256",
    });
    let Some(live) = find_oin_client(client, &d.oin_client_name)? else {
        plan.push(label, Change::Create);
        if !apply {
            return Ok(None);
        }
        let mut new = NewApplication {
            name: &d.oin_client_name,
            organization_usage: "require",
            organization_require_behavior: &d.require_behavior,
            client_authentication_methods: AuthenticationMethods::private_key_jwt(key.into_iter().collect()),
            description: None,
            app_type: "express_configuration",
            callbacks: None,
            oidc_conformant: None,
            grant_types: None,
            jwt_configuration: None,
            client_metadata: oin_metadata(d),
        };
        if d.recipe == ExpressRecipe::Okta {
            // The Okta guide's application: a regular web app whose only callback is Okta's
            // admin console, allowed to call the Management API with client credentials.
            new.description = Some("For Okta OIN Integration");
            new.app_type = "regular_web";
            new.callbacks = Some(&[OKTA_CALLBACK]);
            new.oidc_conformant = Some(true);
            new.grant_types = Some(&["authorization_code", "client_credentials"]);
            new.jwt_configuration = Some(JwtConfiguration { alg: "RS256" });
        }
        return Ok(Some(clients::create(client, &new)?.client_id));
    };
    let mut update = ApplicationUpdate::default();
    let mut what = Vec::new();
    if live.organization_usage.as_deref() != Some("require") {
        update.organization_usage = Some("require");
        what.push("organization_usage = require".to_string());
    }
    if live.organization_require_behavior.as_deref() != Some(d.require_behavior.as_str()) {
        update.organization_require_behavior = Some(&d.require_behavior);
        what.push(format!("organization_require_behavior = {}", d.require_behavior));
    }
    let mut metadata = live.client_metadata.clone();
    let mut metadata_changed = false;
    for (k, v) in oin_metadata(d) {
        if metadata.get(&k) != Some(&v) {
            what.push(format!("client_metadata.{k}"));
            metadata.insert(k, v);
            metadata_changed = true;
        }
    }
    if metadata_changed {
        update.client_metadata = Some(metadata);
    }
    let add_key = key.filter(|_| !live.has_private_key_jwt_credential());
    if add_key.is_some() {
        what.push("+private_key_jwt public key".into());
    }
    if apply {
        if let Some(key) = &add_key {
            let credential = clients::add_credential(client, &live.client_id, key)?;
            update.client_authentication_methods = Some(AuthenticationMethods::private_key_jwt(vec![credential]));
        }
        if !update.is_empty() {
            clients::update(client, &live.client_id, &update)?;
        }
    }
    plan.push(label, if what.is_empty() { Change::Unchanged } else { Change::Update(what) });
    Ok(Some(live.client_id))
}

/// Keys of a client's `express_configuration` that Auth0 sets itself and refuses in a PATCH.
const READ_ONLY_EXPRESS_KEYS: &[&str] = &["oin_submission_id"];

/// The SaaS application's `express_configuration` (Auth0's recipe): the profiles are found by
/// name, the OIN client is the one this setup manages; keys someone else set (`linked_clients`)
/// stay.
fn saas_app(
    client: &Client,
    d: &ExpressDesired,
    oin_id: Option<&str>,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let Some(app) = &d.saas_app else { return Ok(()) };
    let label = format!("SaaS app `{}` express_configuration", app.client_id);
    let user_profile = profile_id(client, ProfileKind::UserAttribute, &app.user_attribute_profile)?;
    let connection_profile = profile_id(client, ProfileKind::Connection, &app.connection_profile)?;
    let Some(live) = clients::get(client, &app.client_id)? else {
        return Err(DeployError::config(
            format!("the SaaS app client `{}` does not exist on the tenant", app.client_id),
            "set `[express_configuration.saas_app] client_id` to the application's client id (Applications > your app > Settings)",
        ));
    };
    // Before the first apply the OIN client does not exist yet: the plan shows the key changing.
    let oin = oin_id.unwrap_or("(the OIN client created by this deploy)");
    let desired = json!({
        "initiate_login_uri_template": app.initiate_login_uri_template,
        "user_attribute_profile_id": user_profile,
        "connection_profile_id": connection_profile,
        "enable_client": app.enable_client,
        "enable_organization": app.enable_organization,
        "okta_oin_client_id": oin,
        "admin_login_domain": app.admin_login_domain,
    });
    let mut merged = live.express_configuration;
    let mut what = Vec::new();
    for (key, value) in desired.as_object().expect("an object literal") {
        if merged.get(key) != Some(value) {
            what.push(key.clone());
            merged.insert(key.clone(), value.clone());
        }
    }
    if what.is_empty() {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        for key in READ_ONLY_EXPRESS_KEYS {
            merged.remove(*key);
        }
        let update = ApplicationUpdate { express_configuration: Some(merged), ..ApplicationUpdate::default() };
        clients::update(client, &app.client_id, &update)?;
    }
    plan.push(label, Change::Update(what));
    Ok(())
}

/// The id of the profile of `kind` named `name`.
fn profile_id(client: &Client, kind: ProfileKind, name: &str) -> Result<String, DeployError> {
    let what = kind.label();
    let profiles = profiles::list(client, kind)?;
    if let Some(found) = profiles.iter().find(|p| p.name == name) {
        return found.id.clone().ok_or_else(|| {
            DeployError::config(
                format!("the {what} `{name}` has no id"),
                "check the tenant's profiles in the dashboard",
            )
        });
    }
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
    Err(DeployError::config(
        format!("no {what} named `{name}` on the tenant"),
        if names.is_empty() {
            format!("create one from Auth0's templates (Management API `{}/templates`), then name it here", kind.path())
        } else {
            format!("the tenant has: {}", names.join(", "))
        },
    ))
}

fn grant(
    client: &Client,
    d: &ExpressDesired,
    oin: Option<&str>,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let label = format!("client grant of `{}` on `{}`", d.oin_client_name, d.management_audience);
    let live = match oin {
        // The client does not exist yet (plan): neither does its grant.
        None => None,
        Some(id) => client_grants::find(client, id, &d.management_audience)?,
    };
    let Some(live) = live else {
        if let (true, Some(id)) = (apply, oin) {
            let new = NewClientGrant { client_id: id, audience: &d.management_audience, scope: &d.grant_scopes };
            client_grants::create(client, &new)?;
        }
        plan.push(label, Change::Create);
        return Ok(());
    };
    let mut scopes = live.scope;
    let missing: Vec<String> = d.grant_scopes.iter().filter(|s| !scopes.contains(s)).cloned().collect();
    if missing.is_empty() {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        // `scope` is replaced whole: re-send the existing ones.
        scopes.extend(missing.iter().cloned());
        client_grants::update_scope(client, &live.id, &scopes)?;
    }
    plan.push(label, Change::Update(missing.iter().map(|m| format!("+{m}")).collect()));
    Ok(())
}

fn tenant_flag(client: &Client, d: &ExpressDesired, apply: bool, plan: &mut ExpressPlan) -> Result<(), DeployError> {
    if !d.scope_descriptions {
        // `false` means "not managed": turning a tenant-wide flag off is not ours to do.
        return Ok(());
    }
    let label = "tenant flag `use_scope_descriptions_for_consent`".to_string();
    let settings = tenant_settings::get(client)?;
    if settings.flags.use_scope_descriptions_for_consent == Some(true) {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        tenant_settings::update_flags(client, &TenantFlags { use_scope_descriptions_for_consent: Some(true) })?;
    }
    plan.push(label, Change::Update(vec!["true".into()]));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed PEM public key block: the checks are structural (PEM armour, base64, a DER
    /// SEQUENCE of plausible length), and so is this key.
    const PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\nkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ\n0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdg\ncKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbc\nmwIDAQAB\n-----END PUBLIC KEY-----\n";

    #[test]
    fn public_keys_are_checked() {
        assert_eq!(check_public_key(&PEM.replace('\n', "\r\n")).unwrap(), PEM);
        assert!(check_public_key("-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----")
            .unwrap_err()
            .contains("BEGIN PUBLIC KEY"));
        assert!(check_public_key("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----")
            .unwrap_err()
            .contains("base64"));
        assert!(check_public_key("-----BEGIN PUBLIC KEY-----\naGVsbG8=\n-----END PUBLIC KEY-----")
            .unwrap_err()
            .contains("DER"));
    }

    #[test]
    fn recipes_differ_in_identifier_and_permissions() {
        let section = |recipe, scim| ExpressConfigurationSection {
            recipe,
            scim,
            role: "R".into(),
            oin_client_name: "OIN".into(),
            sp_client_id: Some("sp".into()),
            public_key: None,
            organization_require_behavior: None,
            use_scope_descriptions_for_consent: true,
            saas_app: None,
        };
        let a =
            ExpressDesired::from_manifest(&section(ExpressRecipe::Auth0, false), Path::new("."), "https://t/api/v2/")
                .unwrap();
        assert_eq!(a.identifier, "urn:auth0:express-configure");
        assert_eq!(a.permissions, ["express_configure:sso", "express_configure:scim"]);
        assert_eq!(a.grant_scopes.len(), 8);
        assert_eq!(a.require_behavior, "pre_login_prompt");
        let o =
            ExpressDesired::from_manifest(&section(ExpressRecipe::Okta, false), Path::new("."), "https://t/api/v2/")
                .unwrap();
        assert_eq!(o.identifier, "https://system.okta.com/actions/express-configure/v1");
        assert_eq!(o.permissions, ["expressconfigure:sso"]);
        assert_eq!(o.require_behavior, "post_login_prompt");
        let s = ExpressDesired::from_manifest(&section(ExpressRecipe::Okta, true), Path::new("."), "https://t/api/v2/")
            .unwrap();
        assert_eq!(s.permissions, ["expressconfigure:sso", "expressconfigure:scim"]);
        assert_eq!(s.grant_scopes.len(), 13);
    }
}
