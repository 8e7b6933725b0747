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

use super::client::{Client, Idempotent};
use super::DeployError;
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

/// `GET` that maps 404 to `None`.
pub(crate) fn get_opt(client: &Client, path: &str) -> Result<Option<Value>, DeployError> {
    match client.get(path) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.status() == Some(404) => Ok(None),
        Err(e) => Err(e),
    }
}

pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
}

fn resource_server(
    client: &Client,
    d: &ExpressDesired,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let label = format!("resource server `{}`", d.identifier);
    // The identifier works in place of the id (URL-encoded).
    let path = format!("/resource-servers/{}", encode(&d.identifier));
    let scope = |p: &String| json!({ "value": p, "description": format!("Express Configuration: {}", p.rsplit(':').next().unwrap_or(p)) });
    let Some(live) = get_opt(client, &path)? else {
        if apply {
            let mut body = json!({ "name": d.api_name, "identifier": d.identifier, "scopes": d.permissions.iter().map(scope).collect::<Vec<_>>() });
            if d.recipe == ExpressRecipe::Okta {
                // The Okta guide's settings: short-lived tokens for Okta's calls, RBAC on.
                for (k, v) in [
                    ("enforce_policies", json!(true)),
                    ("token_lifetime", json!(300)),
                    ("allow_offline_access", json!(false)),
                    ("skip_consent_for_verifiable_first_party_clients", json!(false)),
                ] {
                    body[k] = v;
                }
            }
            client.post("/resource-servers", &body, Idempotent::No)?;
        }
        plan.push(label, Change::Create);
        return Ok(());
    };
    let mut scopes: Vec<Value> = live.get("scopes").and_then(Value::as_array).cloned().unwrap_or_default();
    let have: Vec<String> =
        scopes.iter().filter_map(|s| s.get("value").and_then(Value::as_str).map(String::from)).collect();
    let missing: Vec<&String> = d.permissions.iter().filter(|p| !have.contains(p)).collect();
    if missing.is_empty() {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        // `scopes` is replaced whole: re-send the existing ones.
        scopes.extend(missing.iter().map(|p| scope(p)));
        client.patch(&path, &json!({ "scopes": scopes }))?;
    }
    plan.push(label, Change::Update(missing.iter().map(|m| format!("+scope {m}")).collect()));
    Ok(())
}

/// The items of a Management API list answer: the array itself, or (with pagination totals)
/// the array under `key`; nothing for anything else.
pub(crate) fn list_items(answer: Value, key: &str) -> Vec<Value> {
    let items = if answer.is_array() { answer } else { answer.get(key).cloned().unwrap_or(Value::Null) };
    items.as_array().cloned().unwrap_or_default()
}

/// Finds the role by exact name (`name_filter` is a substring match).
pub(crate) fn find_role(client: &Client, name: &str) -> Result<Option<Value>, DeployError> {
    let roles = list_items(client.get(&format!("/roles?name_filter={}&per_page=100", encode(name)))?, "roles");
    Ok(roles.into_iter().find(|r| r.get("name").and_then(Value::as_str) == Some(name)))
}

/// The role's permission names on `identifier`.
pub(crate) fn role_permissions(client: &Client, role_id: &str, identifier: &str) -> Result<Vec<String>, DeployError> {
    let perms = list_items(client.get(&format!("/roles/{role_id}/permissions?per_page=100"))?, "permissions");
    Ok(perms
        .iter()
        .filter(|p| p.get("resource_server_identifier").and_then(Value::as_str) == Some(identifier))
        .filter_map(|p| p.get("permission_name").and_then(Value::as_str).map(String::from))
        .collect())
}

fn role(client: &Client, d: &ExpressDesired, apply: bool, plan: &mut ExpressPlan) -> Result<(), DeployError> {
    let label = format!("role `{}`", d.role);
    let perms_label = format!("permissions of role `{}`", d.role);
    let id = match find_role(client, &d.role)? {
        Some(role) => {
            plan.push(label, Change::Unchanged);
            role.get("id").and_then(Value::as_str).map(String::from)
        }
        None => {
            plan.push(label, Change::Create);
            if apply {
                let created = client.post(
                    "/roles",
                    &json!({ "name": d.role, "description": "Administrator role for Express Configuration" }),
                    Idempotent::No,
                )?;
                created.get("id").and_then(Value::as_str).map(String::from)
            } else {
                None
            }
        }
    };
    let have = match &id {
        Some(id) => role_permissions(client, id, &d.identifier)?,
        None => Vec::new(),
    };
    let missing: Vec<&String> = d.permissions.iter().filter(|p| !have.contains(p)).collect();
    if missing.is_empty() {
        plan.push(perms_label, Change::Unchanged);
        return Ok(());
    }
    if let (true, Some(id)) = (apply, &id) {
        let permissions: Vec<Value> = missing
            .iter()
            .map(|p| json!({ "resource_server_identifier": d.identifier, "permission_name": p }))
            .collect();
        // Additive: permissions the role already has stay.
        client.post(&format!("/roles/{id}/permissions"), &json!({ "permissions": permissions }), Idempotent::Yes)?;
    }
    plan.push(perms_label, Change::Update(missing.iter().map(|m| format!("+{m}")).collect()));
    Ok(())
}

/// Finds a client by exact name (the API has no name filter: read every page).
pub(crate) fn find_client(client: &Client, name: &str) -> Result<Option<Value>, DeployError> {
    let mut found = Vec::new();
    for page in 0..20 {
        let clients = list_items(client.get(&format!("/clients?page={page}&per_page=100"))?, "clients");
        let n = clients.len();
        found.extend(clients.into_iter().filter(|c| c.get("name").and_then(Value::as_str) == Some(name)));
        if n < 100 {
            break;
        }
    }
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
    let key = d
        .public_key
        .as_ref()
        .map(|pem| json!({ "name": KEY_NAME, "credential_type": "public_key", "pem": pem, "alg": "RS256" }));
    let Some(live) = find_client(client, &d.oin_client_name)? else {
        plan.push(label, Change::Create);
        if !apply {
            return Ok(None);
        }
        let credentials: Vec<Value> = key.into_iter().collect();
        let mut body = json!({
            "name": d.oin_client_name,
            "organization_usage": "require",
            "organization_require_behavior": d.require_behavior,
            "client_authentication_methods": { "private_key_jwt": { "credentials": credentials } },
        });
        match d.recipe {
            ExpressRecipe::Auth0 => body["app_type"] = json!("express_configuration"),
            ExpressRecipe::Okta => {
                for (k, v) in [
                    ("description", json!("For Okta OIN Integration")),
                    ("app_type", json!("regular_web")),
                    ("callbacks", json!([OKTA_CALLBACK])),
                    ("oidc_conformant", json!(true)),
                    ("grant_types", json!(["authorization_code", "client_credentials"])),
                    ("jwt_configuration", json!({ "alg": "RS256" })),
                ] {
                    body[k] = v;
                }
            }
        }
        let metadata = oin_metadata(d);
        if !metadata.is_empty() {
            body["client_metadata"] = Value::Object(metadata);
        }
        let created = client.post("/clients", &body, Idempotent::No)?;
        return Ok(created.get("client_id").and_then(Value::as_str).map(String::from));
    };
    let id = live.get("client_id").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut patch = Map::new();
    let mut what = Vec::new();
    if live.get("organization_usage").and_then(Value::as_str) != Some("require") {
        patch.insert("organization_usage".into(), json!("require"));
        what.push("organization_usage = require".to_string());
    }
    if live.get("organization_require_behavior").and_then(Value::as_str) != Some(d.require_behavior.as_str()) {
        patch.insert("organization_require_behavior".into(), json!(d.require_behavior));
        what.push(format!("organization_require_behavior = {}", d.require_behavior));
    }
    let mut metadata = live.get("client_metadata").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut metadata_changed = false;
    for (k, v) in oin_metadata(d) {
        if metadata.get(&k) != Some(&v) {
            what.push(format!("client_metadata.{k}"));
            metadata.insert(k, v);
            metadata_changed = true;
        }
    }
    if metadata_changed {
        patch.insert("client_metadata".into(), Value::Object(metadata));
    }
    let has_key = live
        .pointer("/client_authentication_methods/private_key_jwt/credentials")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty());
    let add_key = key.is_some() && !has_key;
    if add_key {
        what.push("+private_key_jwt public key".into());
    }
    if apply {
        if add_key {
            let cred =
                client.post(&format!("/clients/{id}/credentials"), key.as_ref().expect("checked"), Idempotent::No)?;
            let cred_id = cred.get("id").cloned().unwrap_or(Value::Null);
            patch.insert(
                "client_authentication_methods".into(),
                json!({ "private_key_jwt": { "credentials": [{ "id": cred_id }] } }),
            );
        }
        if !patch.is_empty() {
            client.patch(&format!("/clients/{id}"), &Value::Object(patch))?;
        }
    }
    plan.push(label, if what.is_empty() { Change::Unchanged } else { Change::Update(what) });
    Ok(Some(id))
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
    let user_profile = profile_id(
        client,
        "/user-attribute-profiles",
        "user_attribute_profiles",
        &app.user_attribute_profile,
        "user attribute profile",
    )?;
    let connection_profile = profile_id(
        client,
        "/connection-profiles",
        "connection_profiles",
        &app.connection_profile,
        "connection profile",
    )?;
    let Some(live) = get_opt(client, &format!("/clients/{}", encode(&app.client_id)))? else {
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
    let mut merged = live.get("express_configuration").and_then(Value::as_object).cloned().unwrap_or_default();
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
        client.patch(
            &format!("/clients/{}", encode(&app.client_id)),
            &json!({ "express_configuration": Value::Object(merged) }),
        )?;
    }
    plan.push(label, Change::Update(what));
    Ok(())
}

/// The id of the profile named `name` in the list at `path` (the list itself, or under `key`).
fn profile_id(client: &Client, path: &str, key: &str, name: &str, what: &str) -> Result<String, DeployError> {
    let profiles = list_items(client.get(path)?, key);
    if let Some(found) = profiles.iter().find(|p| p.get("name").and_then(Value::as_str) == Some(name)) {
        return found.get("id").and_then(Value::as_str).map(String::from).ok_or_else(|| {
            DeployError::config(
                format!("the {what} `{name}` has no id"),
                "check the tenant's profiles in the dashboard",
            )
        });
    }
    let names: Vec<&str> = profiles.iter().filter_map(|p| p.get("name").and_then(Value::as_str)).collect();
    Err(DeployError::config(
        format!("no {what} named `{name}` on the tenant"),
        if names.is_empty() {
            format!("create one from Auth0's templates (Management API `{path}/templates`), then name it here")
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
        Some(id) => {
            let list = client.get(&format!(
                "/client-grants?client_id={}&audience={}",
                encode(id),
                encode(&d.management_audience)
            ))?;
            let grants = if list.is_array() { list } else { list.get("client_grants").cloned().unwrap_or(Value::Null) };
            grants.as_array().and_then(|g| g.first().cloned())
        }
    };
    let Some(live) = live else {
        if let (true, Some(id)) = (apply, oin) {
            client.post(
                "/client-grants",
                &json!({ "client_id": id, "audience": d.management_audience, "scope": d.grant_scopes }),
                Idempotent::No,
            )?;
        }
        plan.push(label, Change::Create);
        return Ok(());
    };
    let mut scopes = strings(&live, "scope");
    let missing: Vec<String> = d.grant_scopes.iter().filter(|s| !scopes.contains(s)).cloned().collect();
    if missing.is_empty() {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        let id = live.get("id").and_then(Value::as_str).unwrap_or_default();
        scopes.extend(missing.iter().cloned());
        client.patch(&format!("/client-grants/{id}"), &json!({ "scope": scopes }))?;
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
    let settings = client.get("/tenants/settings")?;
    if settings.pointer("/flags/use_scope_descriptions_for_consent").and_then(Value::as_bool) == Some(true) {
        plan.push(label, Change::Unchanged);
        return Ok(());
    }
    if apply {
        client.patch("/tenants/settings", &json!({ "flags": { "use_scope_descriptions_for_consent": true } }))?;
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
