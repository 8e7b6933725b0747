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
    self, Application, ApplicationUpdate, AuthenticationMethods, CredentialRef, JwtConfiguration, NewApplication,
    NewCredential,
};
use crate::resources::profiles::{self, ProfileKind};
use crate::resources::resource_servers::{self, NewResourceServer, ResourceServerUpdate, Scope};
use crate::resources::roles::{self, Permission};
use crate::resources::tenant_settings::{self, TenantFlags};
use crate::DeployError;
use manifest::{ExpressConfigurationSection, ExpressRecipe, SaasAppSection};

// The recipes' and Auth0's facts live in `auth0_platform::express`; these are their names here.
use auth0_platform::express::{
    API_IDENTIFIER as AUTH0_API_IDENTIFIER, API_TOKEN_LIFETIME, CLIENT_TYPE as EXPRESS_CLIENT_TYPE, CONNECTION_SCOPES,
    OIN_GRANT_TYPES as OKTA_GRANT_TYPES, OIN_SIGNING_ALG as OKTA_ID_TOKEN_ALG, OKTA_API_IDENTIFIER, OKTA_CALLBACK,
    OKTA_SCOPE_PREFIX, READ_ONLY_CLIENT_KEYS as READ_ONLY_EXPRESS_KEYS, SCIM_SCOPES,
    SCOPE_PREFIX as AUTH0_SCOPE_PREFIX,
};

/// The credential name the public key is uploaded under (actionkit's choice).
const KEY_NAME: &str = "OIN Public Key";

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
            ExpressRecipe::Auth0 => (AUTH0_API_IDENTIFIER, "Okta OIN Express Configuration API", AUTH0_SCOPE_PREFIX),
            ExpressRecipe::Okta => (OKTA_API_IDENTIFIER, "Okta Express Configure API", OKTA_SCOPE_PREFIX),
        };
        // The Auth0 recipe always grants both permissions (seed 004: the 403 comes from a role
        // missing either); the Okta guide adds SCIM only in its SCIM variant.
        let scim = section.scim || section.recipe == ExpressRecipe::Auth0;
        let mut permissions = vec![format!("{prefix}sso")];
        if scim {
            permissions.push(format!("{prefix}scim"));
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

/// What a planned change is about. The names in JSON are part of the stable plan format
/// (docs/deploy.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// `/resource-servers`, by identifier.
    ResourceServer,
    /// `/roles`, by name.
    Role,
    /// `/roles/{id}/permissions`, by role name.
    RolePermissions,
    /// `/clients`, the OIN client by name.
    Client,
    /// `/clients/{id}/credentials` and the client's `private_key_jwt`, by key id.
    ClientCredential,
    /// `/client-grants`, by client and audience.
    ClientGrant,
    /// `/clients/{id}` `express_configuration` of the SaaS app, by client id.
    SaasApp,
    /// `/tenants/settings` flags, by flag name.
    TenantSettings,
}

impl ResourceKind {
    fn label(self) -> &'static str {
        match self {
            ResourceKind::ResourceServer => "resource server",
            ResourceKind::Role => "role",
            ResourceKind::RolePermissions => "permissions of role",
            ResourceKind::Client => "OIN client",
            ResourceKind::ClientCredential => "public key",
            ResourceKind::ClientGrant => "client grant",
            ResourceKind::SaasApp => "SaaS app",
            ResourceKind::TenantSettings => "tenant flag",
        }
    }
}

/// What happens (or happened) to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Created.
    Create,
    /// Updated: the fields in [`ResourceChange::changes`].
    Update,
    /// Already as wanted.
    Unchanged,
    /// Made and managed by Auth0 (`is_system`): read, never written.
    ReadOnly,
}

/// One field of a resource that changes. Lists are only extended, so `to` of a list is the
/// whole list after the change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    /// The API field (`scopes`, `oidc_conformant`, `client_metadata.KEY`, …).
    pub field: String,
    /// The live value (`null` when absent).
    pub from: Value,
    /// The value after apply.
    pub to: Value,
}

impl FieldChange {
    fn new(field: impl Into<String>, from: impl serde::Serialize, to: impl serde::Serialize) -> FieldChange {
        // Plain data (strings, lists, maps) always serialises.
        FieldChange {
            field: field.into(),
            from: serde_json::to_value(from).unwrap_or(Value::Null),
            to: serde_json::to_value(to).unwrap_or(Value::Null),
        }
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.from, &self.to) {
            (Value::Array(from), Value::Array(to)) => {
                let added: Vec<String> = to.iter().filter(|v| !from.contains(v)).map(short).collect();
                let removed: Vec<String> = from.iter().filter(|v| !to.contains(v)).map(short).collect();
                let parts: Vec<String> =
                    added.iter().map(|a| format!("+{a}")).chain(removed.iter().map(|r| format!("-{r}"))).collect();
                write!(f, "{} {}", self.field, parts.join(" "))
            }
            // Long values (URLs, ids) would drown the line: the field name says enough.
            (_, to) if short(to).len() > 40 => f.write_str(&self.field),
            (_, to) => write!(f, "{} = {}", self.field, short(to)),
        }
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => m.get("value").and_then(Value::as_str).map_or_else(|| v.to_string(), String::from),
        other => other.to_string(),
    }
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResourceChange {
    /// What kind of object.
    pub kind: ResourceKind,
    /// Which one: identifier, name, client id, `client_id audience`, flag name.
    pub id: String,
    /// What happens to it.
    pub action: Action,
    /// The fields that change (empty unless [`Action::Update`]).
    pub changes: Vec<FieldChange>,
    /// Something the reader should know (a system object lacking what the recipe expects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ResourceChange {
    /// How the resource reads in text: "role `EXPRESS_CONFIGURE_ADMIN_ROLE`".
    pub fn label(&self) -> String {
        match self.kind {
            ResourceKind::SaasApp => format!("SaaS app `{}` express_configuration", self.id),
            ResourceKind::ClientGrant => match self.id.rsplit_once(' ') {
                Some((client, audience)) => format!("client grant of `{client}` on `{audience}`"),
                None => format!("client grant `{}`", self.id),
            },
            kind => format!("{} `{}`", kind.label(), self.id),
        }
    }
}

/// The setup's changes, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExpressPlan(pub Vec<ResourceChange>);

impl ExpressPlan {
    /// Whether anything is (or was) written.
    pub fn has_changes(&self) -> bool {
        self.0.iter().any(|c| matches!(c.action, Action::Create | Action::Update))
    }

    fn push(&mut self, kind: ResourceKind, id: impl Into<String>, action: Action, changes: Vec<FieldChange>) {
        self.0.push(ResourceChange { kind, id: id.into(), action, changes, note: None });
    }

    fn note(&mut self, note: String) {
        if let Some(last) = self.0.last_mut() {
            last.note = Some(note);
        }
    }
}

impl fmt::Display for ExpressPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Express Configuration setup:")?;
        for c in &self.0 {
            let label = c.label();
            match c.action {
                Action::Create => writeln!(f, "  + create {label}")?,
                Action::Update => {
                    let what: Vec<String> = c.changes.iter().map(ToString::to_string).collect();
                    writeln!(f, "  ~ update {label}: {}", what.join(", "))?;
                }
                Action::Unchanged => writeln!(f, "  = {label}")?,
                Action::ReadOnly => writeln!(f, "  = {label} (managed by Auth0, read only)")?,
            }
            if let Some(note) = &c.note {
                writeln!(f, "      note: {note}")?;
            }
        }
        Ok(())
    }
}

/// The key id actionkit gives the public key it uploads: the base64url SHA-256 of the key's DER
/// bytes. Auth0 never returns a stored key, so this is how the same key is recognised on the next
/// run (and a changed key is told apart).
pub fn key_id(pem: &str) -> String {
    use sha2::Digest as _;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().concat();
    let der = base64::engine::general_purpose::STANDARD.decode(b64.trim()).unwrap_or_else(|_| pem.as_bytes().to_vec());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(der))
}

/// Reads (and in [`Mode::Apply`] creates or updates) every resource of the setup, in
/// dependency order: resource server, role, role permissions, OIN client, its public key, the
/// SaaS app's `express_configuration`, grant, tenant flag. System objects (`is_system`) are
/// facts: read, checked, never written.
///
/// # Errors
///
/// Any [`DeployError`] of the calls; [`DeployError::Config`] when the tenant holds an object
/// the setup cannot converge (two clients with the name, an OIN client of the wrong type).
pub fn reconcile(client: &Client, d: &ExpressDesired, mode: Mode) -> Result<ExpressPlan, DeployError> {
    let mut plan = ExpressPlan::default();
    let apply = mode == Mode::Apply;
    resource_server(client, d, apply, &mut plan)?;
    role(client, d, apply, &mut plan)?;
    let oin = oin_client(client, d, apply, &mut plan)?;
    saas_app(client, d, oin.as_ref().map(|o| o.client_id.as_str()), apply, &mut plan)?;
    grant(client, d, oin.as_ref(), apply, &mut plan)?;
    tenant_flag(client, d, apply, &mut plan)?;
    Ok(plan)
}

/// The Okta guide's settings of its API: short-lived tokens for Okta's calls, RBAC on.
const OKTA_API_SETTINGS: ResourceServerUpdate = ResourceServerUpdate {
    scopes: None,
    enforce_policies: Some(true),
    token_lifetime: Some(API_TOKEN_LIFETIME),
    allow_offline_access: Some(false),
    skip_consent_for_verifiable_first_party_clients: Some(false),
};

fn resource_server(
    client: &Client,
    d: &ExpressDesired,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let kind = ResourceKind::ResourceServer;
    let scope = |p: &String| Scope::new(p, format!("Express Configuration: {}", p.rsplit(':').next().unwrap_or(p)));
    let Some(live) = resource_servers::get(client, &d.identifier)? else {
        if apply {
            let new = match d.recipe {
                // Auth0 makes this API from its own template; it takes the identifier only.
                ExpressRecipe::Auth0 => NewResourceServer {
                    name: None,
                    identifier: &d.identifier,
                    scopes: Vec::new(),
                    enforce_policies: None,
                    token_lifetime: None,
                    allow_offline_access: None,
                    skip_consent_for_verifiable_first_party_clients: None,
                },
                ExpressRecipe::Okta => NewResourceServer {
                    name: Some(&d.api_name),
                    identifier: &d.identifier,
                    scopes: d.permissions.iter().map(scope).collect(),
                    enforce_policies: OKTA_API_SETTINGS.enforce_policies,
                    token_lifetime: OKTA_API_SETTINGS.token_lifetime,
                    allow_offline_access: OKTA_API_SETTINGS.allow_offline_access,
                    skip_consent_for_verifiable_first_party_clients: OKTA_API_SETTINGS
                        .skip_consent_for_verifiable_first_party_clients,
                },
            };
            resource_servers::create(client, &new)?;
        }
        plan.push(kind, &d.identifier, Action::Create, Vec::new());
        return Ok(());
    };
    let have: Vec<&str> = live.scopes.iter().filter_map(Scope::value).collect();
    let missing: Vec<&String> = d.permissions.iter().filter(|p| !have.contains(&p.as_str())).collect();
    if live.is_system {
        plan.push(kind, &d.identifier, Action::ReadOnly, Vec::new());
        if !missing.is_empty() {
            return Err(DeployError::config(
                format!("Auth0's system API `{}` has no scope {}", d.identifier, join(&missing)),
                "Auth0 manages this API and refuses changes to it; the role cannot get the permission. Check the recipe (`[express_configuration] recipe`)",
            ));
        }
        return Ok(());
    }
    let mut update = ResourceServerUpdate::default();
    let mut changes = Vec::new();
    if !missing.is_empty() {
        // `scopes` is replaced whole: re-send the existing ones.
        let mut scopes = live.scopes.clone();
        scopes.extend(missing.iter().map(|p| scope(p)));
        changes.push(FieldChange::new("scopes", &live.scopes, &scopes));
        update.scopes = Some(scopes);
    }
    if d.recipe == ExpressRecipe::Okta {
        let want = OKTA_API_SETTINGS;
        let mut setting = |field: &str, live: Option<Value>, want: Value| -> bool {
            let differs = live.as_ref() != Some(&want);
            if differs {
                changes.push(FieldChange::new(field, &live, &want));
            }
            differs
        };
        if setting("enforce_policies", live.enforce_policies.map(Value::from), json!(want.enforce_policies)) {
            update.enforce_policies = want.enforce_policies;
        }
        if setting("token_lifetime", live.token_lifetime.map(Value::from), json!(want.token_lifetime)) {
            update.token_lifetime = want.token_lifetime;
        }
        if setting("allow_offline_access", live.allow_offline_access.map(Value::from), json!(want.allow_offline_access))
        {
            update.allow_offline_access = want.allow_offline_access;
        }
        if setting(
            "skip_consent_for_verifiable_first_party_clients",
            live.skip_consent_for_verifiable_first_party_clients.map(Value::from),
            json!(want.skip_consent_for_verifiable_first_party_clients),
        ) {
            update.skip_consent_for_verifiable_first_party_clients =
                want.skip_consent_for_verifiable_first_party_clients;
        }
    }
    if changes.is_empty() {
        plan.push(kind, &d.identifier, Action::Unchanged, changes);
        return Ok(());
    }
    if apply {
        resource_servers::update(client, &d.identifier, &update)?;
    }
    plan.push(kind, &d.identifier, Action::Update, changes);
    Ok(())
}

fn join(items: &[&String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

fn role(client: &Client, d: &ExpressDesired, apply: bool, plan: &mut ExpressPlan) -> Result<(), DeployError> {
    let id = match roles::find_by_name(client, &d.role)? {
        Some(role) => {
            plan.push(ResourceKind::Role, &d.role, Action::Unchanged, Vec::new());
            Some(role.id)
        }
        None => {
            plan.push(ResourceKind::Role, &d.role, Action::Create, Vec::new());
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
        plan.push(ResourceKind::RolePermissions, &d.role, Action::Unchanged, Vec::new());
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
    let mut after = have.clone();
    after.extend(missing.iter().map(|m| m.to_string()));
    plan.push(
        ResourceKind::RolePermissions,
        &d.role,
        Action::Update,
        vec![FieldChange::new(format!("permissions on {}", d.identifier), &have, &after)],
    );
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

/// The application type each recipe's OIN client has.
fn oin_app_type(recipe: ExpressRecipe) -> &'static str {
    match recipe {
        ExpressRecipe::Auth0 => EXPRESS_CLIENT_TYPE,
        ExpressRecipe::Okta => "regular_web",
    }
}

/// The OIN client as the later steps need it.
struct OinClient {
    client_id: String,
    app_type: String,
}

/// The settings the OIN client must have, compared with the live client field by field: what
/// differs goes into `update` and `changes`. Lists are only extended.
fn oin_settings<'a>(
    d: &'a ExpressDesired,
    live: &Application,
    update: &mut ApplicationUpdate<'a>,
    changes: &mut Vec<FieldChange>,
) {
    if live.organization_usage.as_deref() != Some("require") {
        update.organization_usage = Some("require");
        changes.push(FieldChange::new("organization_usage", &live.organization_usage, "require"));
    }
    if live.organization_require_behavior.as_deref() != Some(d.require_behavior.as_str()) {
        update.organization_require_behavior = Some(&d.require_behavior);
        changes.push(FieldChange::new(
            "organization_require_behavior",
            &live.organization_require_behavior,
            &d.require_behavior,
        ));
    }
    // Auth0 refuses `post_login_prompt` on a client that is not OIDC conformant; the Okta guide's
    // client is conformant whatever the prompt.
    let conformant = d.recipe == ExpressRecipe::Okta || d.require_behavior == "post_login_prompt";
    if conformant && live.oidc_conformant != Some(true) {
        update.oidc_conformant = Some(true);
        changes.push(FieldChange::new("oidc_conformant", live.oidc_conformant, true));
    }
    if d.recipe == ExpressRecipe::Okta {
        if !live.callbacks.iter().any(|c| c == OKTA_CALLBACK) {
            let mut callbacks = live.callbacks.clone();
            callbacks.push(OKTA_CALLBACK.into());
            changes.push(FieldChange::new("callbacks", &live.callbacks, &callbacks));
            update.callbacks = Some(callbacks);
        }
        let missing: Vec<&&str> =
            OKTA_GRANT_TYPES.iter().filter(|g| !live.grant_types.iter().any(|l| l == **g)).collect();
        if !missing.is_empty() {
            let mut grant_types = live.grant_types.clone();
            grant_types.extend(missing.iter().map(|g| g.to_string()));
            changes.push(FieldChange::new("grant_types", &live.grant_types, &grant_types));
            update.grant_types = Some(grant_types);
        }
        if live.jwt_configuration.get("alg").and_then(Value::as_str) != Some(OKTA_ID_TOKEN_ALG) {
            // The object is replaced whole: keep its other keys.
            let mut jwt = live.jwt_configuration.clone();
            changes.push(FieldChange::new("jwt_configuration.alg", jwt.get("alg"), OKTA_ID_TOKEN_ALG));
            jwt.insert("alg".into(), json!(OKTA_ID_TOKEN_ALG));
            update.jwt_configuration = Some(jwt);
        }
    }
    let mut metadata = live.client_metadata.clone();
    for (k, v) in oin_metadata(d) {
        if metadata.get(&k) != Some(&v) {
            changes.push(FieldChange::new(format!("client_metadata.{k}"), metadata.get(&k), &v));
            metadata.insert(k, v);
            update.client_metadata = Some(metadata.clone());
        }
    }
}

fn oin_client(
    client: &Client,
    d: &ExpressDesired,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<Option<OinClient>, DeployError> {
    let name = &d.oin_client_name;
    let app_type = oin_app_type(d.recipe);
    let live = match find_oin_client(client, name)? {
        Some(live) => live,
        None => {
            plan.push(ResourceKind::Client, name, Action::Create, Vec::new());
            if d.public_key.is_some() {
                plan.push(ResourceKind::ClientCredential, KEY_NAME, Action::Create, Vec::new());
            }
            if !apply {
                return Ok(None);
            }
            let mut new = NewApplication {
                name,
                organization_usage: "require",
                organization_require_behavior: &d.require_behavior,
                // The key is uploaded on its own with its key id, so the next run recognises it.
                client_authentication_methods: AuthenticationMethods::private_key_jwt(Vec::new()),
                description: None,
                app_type,
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
                new.callbacks = Some(&[OKTA_CALLBACK]);
                new.oidc_conformant = Some(true);
                new.grant_types = Some(OKTA_GRANT_TYPES);
                new.jwt_configuration = Some(JwtConfiguration { alg: OKTA_ID_TOKEN_ALG });
            }
            let created = clients::create(client, &new)?;
            if let Some(pem) = &d.public_key {
                public_key(client, &created, pem, true, &mut ExpressPlan::default())?;
            }
            let app_type = created.app_type.clone().unwrap_or_else(|| app_type.to_string());
            return Ok(Some(OinClient { client_id: created.client_id, app_type }));
        }
    };
    let live_type = live.app_type.clone().unwrap_or_default();
    if d.recipe == ExpressRecipe::Auth0 && live_type != EXPRESS_CLIENT_TYPE {
        return Err(DeployError::config(
            format!("the application `{name}` is of type `{live_type}`, not `{EXPRESS_CLIENT_TYPE}` as Auth0's recipe needs"),
            "Auth0 does not change an application's type in place: rename or delete that application, or set `[express_configuration] oin_client_name` to another name",
        ));
    }
    let mut update = ApplicationUpdate::default();
    let mut changes = Vec::new();
    oin_settings(d, &live, &mut update, &mut changes);
    if apply && !update.is_empty() {
        // Settings first: if Auth0 refuses them, no key has been uploaded in vain.
        clients::update(client, &live.client_id, &update)?;
    }
    let action = if changes.is_empty() { Action::Unchanged } else { Action::Update };
    plan.push(ResourceKind::Client, name, action, changes);
    if let Some(pem) = &d.public_key {
        public_key(client, &live, pem, apply, plan)?;
    }
    Ok(Some(OinClient { client_id: live.client_id, app_type: live_type }))
}

/// The OIN client's public key, matched by its key id ([`key_id`]): uploaded when no stored
/// credential has it, attached when stored but unused (a run that stopped half-way), and the key
/// this setup attached before (same name, other key id) replaced by it. Keys of other names stay.
fn public_key(
    client: &Client,
    live: &Application,
    pem: &str,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let kid = key_id(pem);
    let attached = live.private_key_jwt_credentials();
    let stored = clients::credentials(client, &live.client_id)?;
    let ours = stored.iter().find(|c| c.kid.as_deref() == Some(kid.as_str()));
    if ours.is_some_and(|c| attached.contains(&c.id)) {
        plan.push(ResourceKind::ClientCredential, KEY_NAME, Action::Unchanged, Vec::new());
        return Ok(());
    }
    // Attached keys this setup uploaded earlier under its name are replaced; others stay.
    let replaced: Vec<&String> =
        attached.iter().filter(|id| stored.iter().any(|c| &c.id == *id && c.name == KEY_NAME)).collect();
    let keep: Vec<String> = attached.iter().filter(|id| !replaced.contains(id)).cloned().collect();
    let change = FieldChange::new("kid", ours.map(|_| "stored, not attached"), &kid);
    plan.push(ResourceKind::ClientCredential, KEY_NAME, Action::Update, vec![change]);
    if !replaced.is_empty() {
        plan.note(format!("replaces the key attached before ({}); it stays stored on the client", join(&replaced)));
    }
    if !apply {
        return Ok(());
    }
    let credential = match ours {
        Some(c) => CredentialRef { id: c.id.clone() },
        None => {
            let new = NewCredential {
                name: KEY_NAME,
                credential_type: "public_key",
                pem,
                alg: OKTA_ID_TOKEN_ALG,
                kid: Some(&kid),
            };
            clients::add_credential(client, &live.client_id, &new)?
        }
    };
    let mut ids: Vec<CredentialRef> = keep.into_iter().map(|id| CredentialRef { id }).collect();
    ids.push(credential);
    let update = ApplicationUpdate {
        client_authentication_methods: Some(AuthenticationMethods::private_key_jwt(ids)),
        ..ApplicationUpdate::default()
    };
    clients::update(client, &live.client_id, &update)
}

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
    let kind = ResourceKind::SaasApp;
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
            what.push(FieldChange::new(key.as_str(), merged.get(key), value));
            merged.insert(key.clone(), value.clone());
        }
    }
    if what.is_empty() {
        plan.push(kind, &app.client_id, Action::Unchanged, what);
        return Ok(());
    }
    if apply {
        for key in READ_ONLY_EXPRESS_KEYS {
            merged.remove(*key);
        }
        let update = ApplicationUpdate { express_configuration: Some(merged), ..ApplicationUpdate::default() };
        clients::update(client, &app.client_id, &update)?;
    }
    plan.push(kind, &app.client_id, Action::Update, what);
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
    oin: Option<&OinClient>,
    apply: bool,
    plan: &mut ExpressPlan,
) -> Result<(), DeployError> {
    let kind = ResourceKind::ClientGrant;
    let id = format!("{} {}", d.oin_client_name, d.management_audience);
    let app_type = oin.map_or(oin_app_type(d.recipe), |o| o.app_type.as_str());
    let grants = match oin {
        // The client does not exist yet (plan): neither does its grant.
        None => Vec::new(),
        Some(o) => client_grants::find_all(client, &o.client_id, &d.management_audience)?,
    };
    // Auth0 gives an `express_configuration` client its own grant and refuses any other: a fact
    // to check, never to write.
    if let Some(system) = grants.iter().find(|g| g.is_system) {
        plan.push(kind, id, Action::ReadOnly, Vec::new());
        let lacking: Vec<&String> = CONNECTION_SCOPES
            .iter()
            .filter(|s| !system.scope.iter().any(|g| g == *s))
            .map(|s| d.grant_scopes.iter().find(|g| g == s).expect("connection scopes are wanted"))
            .collect();
        if !lacking.is_empty() {
            plan.note(format!("Auth0's grant lacks {}; only Auth0 can change it", join(&lacking)));
        }
        return Ok(());
    }
    if app_type == EXPRESS_CLIENT_TYPE {
        plan.push(kind, id, Action::ReadOnly, Vec::new());
        if oin.is_some() {
            plan.note("Auth0 has not made this client's system grant (yet); it refuses any other".into());
        }
        return Ok(());
    }
    let Some(live) = grants.into_iter().next() else {
        if let (true, Some(o)) = (apply, oin) {
            let new =
                NewClientGrant { client_id: &o.client_id, audience: &d.management_audience, scope: &d.grant_scopes };
            client_grants::create(client, &new)?;
        }
        plan.push(kind, id, Action::Create, Vec::new());
        return Ok(());
    };
    let missing: Vec<String> = d.grant_scopes.iter().filter(|s| !live.scope.contains(s)).cloned().collect();
    if missing.is_empty() {
        plan.push(kind, id, Action::Unchanged, Vec::new());
        return Ok(());
    }
    // `scope` is replaced whole: re-send the existing ones.
    let mut scopes = live.scope.clone();
    scopes.extend(missing.iter().cloned());
    if apply {
        client_grants::update_scope(client, &live.id, &scopes)?;
    }
    plan.push(kind, id, Action::Update, vec![FieldChange::new("scope", &live.scope, &scopes)]);
    Ok(())
}

fn tenant_flag(client: &Client, d: &ExpressDesired, apply: bool, plan: &mut ExpressPlan) -> Result<(), DeployError> {
    if !d.scope_descriptions {
        // `false` means "not managed": turning a tenant-wide flag off is not ours to do.
        return Ok(());
    }
    let kind = ResourceKind::TenantSettings;
    let flag = "use_scope_descriptions_for_consent";
    let settings = tenant_settings::get(client)?;
    let live = settings.flags.use_scope_descriptions_for_consent;
    if live == Some(true) {
        plan.push(kind, flag, Action::Unchanged, Vec::new());
        return Ok(());
    }
    if apply {
        tenant_settings::update_flags(client, &TenantFlags { use_scope_descriptions_for_consent: Some(true) })?;
    }
    plan.push(kind, flag, Action::Update, vec![FieldChange::new(format!("flags.{flag}"), live, true)]);
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
