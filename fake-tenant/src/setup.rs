//! The fake tenant's Express Configuration neighbours: resource servers (the identifier works
//! as the id), roles (POST answers 200) and their permissions (POST answers 201 `{}`, additive)
//! and users, clients and their credentials, client grants (409 on a duplicate client+audience),
//! tenant settings, prompts, organizations with members and member roles. Objects are kept as
//! JSON; each route does what the real one does to them.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::answer::{err, ok, Answer};
use crate::request::{decode, query_param};

// Facts of the recordings this module reproduces, kept here and not shared with the crates under
// test: a fake that read our own list of Auth0 facts would agree with any mistake in it.

/// The identifier Auth0 turns into a system API from its own template whatever else the create
/// sends (go-auth0 recording `TestResourceServer_ExpressConfiguration`).
const EXPRESS_API: &str = "urn:auth0:express-configure";
/// The application type that gets a system grant on the Management API and no other grant
/// (`TestClientGrant_ExpressConfiguration`).
const EXPRESS_CLIENT_TYPE: &str = "express_configuration";
/// The system grant's scopes, in the recorded order: 16, with `create:scim_config` but not
/// `read:scim_config` (`TestClientGrant_ExpressConfiguration`, `TestClientGrant_IsSystem`).
const SYSTEM_GRANT_SCOPES: [&str; 16] = [
    "read:clients",
    "read:user_attribute_profiles",
    "read:connection_profiles",
    "read:organizations_summary",
    "read:connections",
    "create:connections",
    "update:connections",
    "read:connections_options",
    "update:connections_options",
    "read:organization_connections",
    "create:organization_connections",
    "update:organization_connections",
    "create:scim_config",
    "read:scim_token",
    "create:scim_token",
    "delete:scim_token",
];
/// Auth0's default page size for offset-paginated lists.
const DEFAULT_PER_PAGE: usize = 50;

/// The express-configure API as Auth0's template makes it (the recorded answer, id aside).
fn express_api(id: String) -> Value {
    json!({
        "id": id, "name": "Okta OIN Express Configuration API", "identifier": EXPRESS_API,
        "scopes": [
            { "value": "express_configure:sso", "description": "Ability to create SSO configurations" },
            { "value": "express_configure:scim", "description": "Ability to create scim configurations" },
        ],
        "signing_alg": "RS256", "allow_offline_access": false, "token_lifetime": 300, "token_lifetime_for_web": 7200,
        "skip_consent_for_verifiable_first_party_clients": false, "enforce_policies": true, "is_system": true,
        "subject_type_authorization": { "user": { "policy": "allow_all" }, "client": { "policy": "deny_all" } },
    })
}

/// One page of `items` as Auth0's offset pagination answers: `page`, `per_page` (default 50),
/// an array, or `{key: [...], total, start, limit}` with `include_totals=true`.
fn offset_page(items: &[Value], query: &str, key: &str) -> Answer {
    let per_page: usize =
        query_param(query, "per_page").and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PER_PAGE).clamp(1, 100);
    let page: usize = query_param(query, "page").and_then(|v| v.parse().ok()).unwrap_or(0);
    let slice: Vec<Value> = items.iter().skip(page * per_page).take(per_page).cloned().collect();
    if query_param(query, "include_totals") == Some("true") {
        return ok(json!({ key: slice, "total": items.len(), "start": page * per_page, "limit": per_page }));
    }
    ok(Value::Array(slice))
}

/// Auth0's rule for a client as it would be stored: `post_login_prompt` needs an OIDC
/// conformant client (the refusal seen on a hand-made OIN client).
fn client_problem(client: &Value) -> Option<&'static str> {
    (client["organization_require_behavior"] == json!("post_login_prompt") && client["oidc_conformant"] != json!(true))
        .then_some("post_login_prompt requires oidc_conformant: true")
}

/// The setup objects of the fake tenant.
#[derive(Debug, Default)]
pub(super) struct Setup {
    resource_servers: Vec<Value>,
    roles: Vec<Value>,
    role_permissions: BTreeMap<String, Vec<Value>>,
    user_roles: BTreeMap<String, Vec<String>>,
    clients: Vec<Value>,
    grants: Vec<Value>,
    settings: Value,
    prompts: Value,
    organizations: Vec<Value>,
    members: BTreeMap<String, Vec<String>>,
    /// `user_attribute_profiles` and `connection_profiles`, by list key.
    profiles: BTreeMap<&'static str, Vec<Value>>,
    member_roles: BTreeMap<(String, String), Vec<String>>,
    /// Every credential stored for a client, used or not (`GET /clients/{id}/credentials`).
    credentials: BTreeMap<String, Vec<Value>>,
    /// `https://DOMAIN/api/v2/`, the audience of the system grants.
    management_audience: String,
    seq: u64,
}

fn find<'a>(list: &'a mut [Value], key: &str, value: &str) -> Option<&'a mut Value> {
    list.iter_mut().find(|v| v.get(key).and_then(Value::as_str) == Some(value))
}

fn merge(target: &mut Value, patch: &Value) {
    if let (Some(t), Some(p)) = (target.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            t.insert(k.clone(), v.clone());
        }
    }
}

impl Setup {
    pub(super) fn new(management_audience: &str) -> Setup {
        Setup {
            management_audience: management_audience.into(),
            settings: json!({ "flags": {} }),
            prompts: json!({ "universal_login_experience": "new", "identifier_first": false }),
            ..Setup::default()
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}{:016x}", self.seq * 0x9e37_79b9)
    }

    pub(super) fn handle(&mut self, method: &Method, seg: &[&str], query: &str, body: &Value) -> Answer {
        let not_found = |what: &str| {
            err(StatusCode::NOT_FOUND, &format!("The {what} does not exist."), Some(&format!("inexistent_{what}")))
        };
        match (method, seg) {
            (&Method::GET, ["resource-servers", id]) => {
                let id = decode(id);
                let rs = self.resource_servers.iter().find(|r| r["id"] == json!(id) || r["identifier"] == json!(id));
                rs.cloned().map_or_else(|| not_found("resource_server"), ok)
            }
            (&Method::POST, ["resource-servers"]) => {
                let Some(identifier) = body.get("identifier").and_then(Value::as_str) else {
                    return err(
                        StatusCode::BAD_REQUEST,
                        "Payload validation error: 'Missing required property: identifier'.",
                        Some("invalid_body"),
                    );
                };
                if self.resource_servers.iter().any(|r| r["identifier"] == json!(identifier)) {
                    return err(
                        StatusCode::CONFLICT,
                        "A resource server with the same identifier already exists.",
                        Some("resource_server_conflict"),
                    );
                }
                let id = self.id("");
                let rs = if identifier == EXPRESS_API {
                    // Auth0's template: the name, scopes and settings sent are ignored.
                    express_api(id)
                } else {
                    let mut rs = body.clone();
                    rs["id"] = json!(id);
                    rs
                };
                self.resource_servers.push(rs.clone());
                (StatusCode::CREATED, rs)
            }
            (&Method::PATCH, ["resource-servers", id]) => {
                let id = decode(id);
                match self.resource_servers.iter_mut().find(|r| r["id"] == json!(id) || r["identifier"] == json!(id)) {
                    // Recorded as a 400 even for `{}`; the recording hides the message.
                    Some(rs) if rs["is_system"] == json!(true) => err(
                        StatusCode::BAD_REQUEST,
                        "System resource servers cannot be updated.",
                        Some("operation_not_supported"),
                    ),
                    Some(rs) => {
                        merge(rs, body);
                        ok(rs.clone())
                    }
                    None => not_found("resource_server"),
                }
            }
            (&Method::DELETE, ["resource-servers", id]) => {
                let id = decode(id);
                let before = self.resource_servers.len();
                self.resource_servers.retain(|r| r["id"] != json!(id) && r["identifier"] != json!(id));
                if before == self.resource_servers.len() {
                    return not_found("resource_server");
                }
                (StatusCode::NO_CONTENT, Value::Null)
            }
            (&Method::DELETE, ["roles", id]) => {
                let before = self.roles.len();
                self.roles.retain(|r| r["id"] != json!(id));
                if before == self.roles.len() {
                    return not_found("role");
                }
                self.role_permissions.remove(*id);
                (StatusCode::NO_CONTENT, Value::Null)
            }
            (&Method::DELETE, ["clients", id]) => {
                let before = self.clients.len();
                self.clients.retain(|c| c["client_id"] != json!(id));
                if before == self.clients.len() {
                    return not_found("client");
                }
                // Its grants (Auth0's own included) and credentials go with it.
                self.grants.retain(|g| g["client_id"] != json!(id));
                self.credentials.remove(*id);
                (StatusCode::NO_CONTENT, Value::Null)
            }
            (&Method::DELETE, ["client-grants", id]) => match self.grants.iter().position(|g| g["id"] == json!(id)) {
                Some(i) if self.grants[i]["is_system"] == json!(true) => err(
                    StatusCode::BAD_REQUEST,
                    "System client grants cannot be deleted.",
                    Some("operation_not_supported"),
                ),
                Some(i) => {
                    self.grants.remove(i);
                    (StatusCode::NO_CONTENT, Value::Null)
                }
                None => not_found("client_grant"),
            },
            (&Method::GET, ["roles"]) => {
                let filter = query_param(query, "name_filter").map(decode).unwrap_or_default();
                let roles: Vec<Value> =
                    self.roles.iter().filter(|r| r["name"].as_str().unwrap_or("").contains(&filter)).cloned().collect();
                offset_page(&roles, query, "roles")
            }
            (&Method::POST, ["roles"]) => {
                let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
                if self.roles.iter().any(|r| r["name"] == json!(name)) {
                    return err(StatusCode::CONFLICT, "Role already exists.", None);
                }
                let role = json!({ "id": self.id("rol_"), "name": name, "description": body.get("description").cloned().unwrap_or(json!("")) });
                self.roles.push(role.clone());
                // Real: 200, not 201.
                ok(role)
            }
            (&Method::GET, ["roles", id, "permissions"]) => {
                offset_page(&self.role_permissions.get(*id).cloned().unwrap_or_default(), query, "permissions")
            }
            (&Method::POST, ["roles", id, "permissions"]) => {
                let Some(perms) = body.get("permissions").and_then(Value::as_array) else {
                    return err(
                        StatusCode::BAD_REQUEST,
                        "Payload validation error: 'Missing required property: permissions'.",
                        Some("invalid_body"),
                    );
                };
                for p in perms {
                    let (rs, name) = (
                        p["resource_server_identifier"].as_str().unwrap_or(""),
                        p["permission_name"].as_str().unwrap_or(""),
                    );
                    let known = self.resource_servers.iter().any(|r| {
                        r["identifier"] == json!(rs)
                            && r["scopes"].as_array().is_some_and(|s| s.iter().any(|s| s["value"] == json!(name)))
                    });
                    if !known {
                        return err(StatusCode::NOT_FOUND, &format!("Resource server {rs} has no scope {name}"), None);
                    }
                }
                let list = self.role_permissions.entry(id.to_string()).or_default();
                for p in perms {
                    if !list.contains(p) {
                        list.push(p.clone());
                    }
                }
                (StatusCode::CREATED, json!({}))
            }
            (&Method::DELETE, ["roles", id, "permissions"]) => {
                let gone = body.get("permissions").and_then(Value::as_array).cloned().unwrap_or_default();
                if let Some(list) = self.role_permissions.get_mut(*id) {
                    list.retain(|p| !gone.contains(p));
                }
                (StatusCode::NO_CONTENT, Value::Null)
            }
            (&Method::GET, ["roles", id, "users"]) => {
                let users: Vec<Value> = self
                    .user_roles
                    .iter()
                    .filter(|(_, r)| r.iter().any(|r| r == id))
                    .map(|(u, _)| json!({ "user_id": u }))
                    .collect();
                ok(Value::Array(users))
            }
            (&Method::GET, ["users", user, "roles"]) => {
                let ids = self.user_roles.get(&decode(user)).cloned().unwrap_or_default();
                let roles: Vec<Value> =
                    self.roles.iter().filter(|r| ids.iter().any(|i| r["id"] == json!(i))).cloned().collect();
                offset_page(&roles, query, "roles")
            }
            (&Method::GET, ["clients"]) => offset_page(&self.clients, query, "clients"),
            (&Method::POST, ["clients"]) => self.create_client(body),
            (&Method::GET, ["clients", id]) => self
                .clients
                .iter()
                .find(|c| c["client_id"] == json!(id))
                .cloned()
                .map_or_else(|| not_found("client"), ok),
            (&Method::PATCH, ["clients", id]) => {
                if let Some(problem) = body.get("express_configuration").and_then(express_configuration_problem) {
                    return err(StatusCode::BAD_REQUEST, &problem, Some("invalid_body"));
                }
                let stored = self.credentials.get(*id).cloned().unwrap_or_default();
                let Some(c) = find(&mut self.clients, "client_id", id) else { return not_found("client") };
                let mut changed = c.clone();
                merge(&mut changed, body);
                if let Some(problem) = client_problem(&changed) {
                    return err(StatusCode::BAD_REQUEST, problem, Some("invalid_body"));
                }
                let refs = changed
                    .pointer("/client_authentication_methods/private_key_jwt/credentials")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if let Some(unknown) = refs.iter().find(|r| !stored.iter().any(|s| s["id"] == r["id"])) {
                    return err(
                        StatusCode::BAD_REQUEST,
                        &format!("Credential {} not found for this client", unknown["id"]),
                        Some("invalid_body"),
                    );
                }
                *c = changed;
                ok(c.clone())
            }
            (&Method::GET, ["clients", id, "credentials"]) => {
                match self.clients.iter().any(|c| c["client_id"] == json!(id)) {
                    true => ok(Value::Array(self.credentials.get(*id).cloned().unwrap_or_default())),
                    false => not_found("client"),
                }
            }
            (&Method::GET, ["user-attribute-profiles"]) => ok(
                json!({ "user_attribute_profiles": self.profiles.get("user_attribute_profiles").cloned().unwrap_or_default() }),
            ),
            (&Method::GET, ["connection-profiles"]) => ok(
                json!({ "connection_profiles": self.profiles.get("connection_profiles").cloned().unwrap_or_default() }),
            ),
            (&Method::POST, ["clients", id, "credentials"]) => {
                if !self.clients.iter().any(|c| c["client_id"] == json!(id)) {
                    return not_found("client");
                }
                let pem = body.get("pem").and_then(Value::as_str).unwrap_or("");
                if !pem.starts_with("-----BEGIN PUBLIC KEY-----") {
                    return err(StatusCode::BAD_REQUEST, "Invalid PEM.", Some("invalid_body"));
                }
                let cred = self.store_credential(id, body);
                (StatusCode::CREATED, cred)
            }
            (&Method::GET, ["client-grants"]) => {
                let (cid, aud) =
                    (query_param(query, "client_id").map(decode), query_param(query, "audience").map(decode));
                let grants = self.grants.iter().filter(|g| {
                    cid.as_ref().is_none_or(|c| g["client_id"] == json!(c))
                        && aud.as_ref().is_none_or(|a| g["audience"] == json!(a))
                });
                ok(Value::Array(grants.cloned().collect()))
            }
            (&Method::POST, ["client-grants"]) => {
                let client = self.clients.iter().find(|c| c["client_id"] == body["client_id"]);
                if client.is_some_and(|c| c["app_type"] == json!(EXPRESS_CLIENT_TYPE)) {
                    return err(
                        StatusCode::BAD_REQUEST,
                        "Client of type express_configuration cannot be used",
                        Some("validation_error"),
                    );
                }
                if self.grants.iter().any(|g| g["client_id"] == body["client_id"] && g["audience"] == body["audience"])
                {
                    return err(
                        StatusCode::CONFLICT,
                        "A client grant for this client and audience already exists.",
                        Some("client_grant_conflict"),
                    );
                }
                let mut grant = body.clone();
                grant["id"] = json!(self.id("cgr_"));
                self.grants.push(grant.clone());
                (StatusCode::CREATED, grant)
            }
            (&Method::PATCH, ["client-grants", id]) => match find(&mut self.grants, "id", id) {
                // Auth0 manages system grants itself (the message is this fake's wording).
                Some(g) if g["is_system"] == json!(true) => err(
                    StatusCode::BAD_REQUEST,
                    "System client grants cannot be modified.",
                    Some("operation_not_supported"),
                ),
                Some(g) => {
                    merge(g, body);
                    ok(g.clone())
                }
                None => not_found("client_grant"),
            },
            (&Method::GET, ["tenants", "settings"]) => ok(self.settings.clone()),
            (&Method::PATCH, ["tenants", "settings"]) => {
                if let Some(flags) = body.get("flags") {
                    merge(&mut self.settings["flags"], flags);
                }
                ok(self.settings.clone())
            }
            (&Method::GET, ["prompts"]) => ok(self.prompts.clone()),
            (&Method::GET, ["organizations", "name", name]) => {
                let name = decode(name);
                self.organizations
                    .iter()
                    .find(|o| o["name"] == json!(name))
                    .cloned()
                    .map_or_else(|| not_found("organization"), ok)
            }
            (&Method::GET, ["organizations", id, "members"]) => {
                let members = self.members.get(*id).cloned().unwrap_or_default();
                let entry = |u: &String| json!({ "user_id": u });
                // Checkpoint pagination, as Auth0 requires past 1,000 members: `take` entries
                // from the opaque `from` token; `next` while more remain.
                match query_param(query, "take").and_then(|t| t.parse::<usize>().ok()) {
                    Some(take) => {
                        let start =
                            query_param(query, "from").and_then(|f| decode(f).parse::<usize>().ok()).unwrap_or(0);
                        let page: Vec<Value> = members.iter().skip(start).take(take).map(entry).collect();
                        let mut body = json!({ "members": page });
                        if start + take < members.len() {
                            body["next"] = json!((start + take).to_string());
                        }
                        ok(body)
                    }
                    None => ok(json!({ "members": members.iter().take(50).map(entry).collect::<Vec<_>>() })),
                }
            }
            (&Method::GET, ["organizations", id, "members", user, "roles"]) => {
                let ids = self.member_roles.get(&(id.to_string(), decode(user))).cloned().unwrap_or_default();
                let roles: Vec<Value> =
                    self.roles.iter().filter(|r| ids.iter().any(|i| r["id"] == json!(i))).cloned().collect();
                offset_page(&roles, query, "roles")
            }
            _ => err(StatusCode::NOT_FOUND, "Not Found", None),
        }
    }

    /// `POST /clients`: an `express_configuration` client gets Auth0's defaults and its system
    /// grant; inline credentials are stored and referenced by id (the pem is not returned).
    fn create_client(&mut self, body: &Value) -> Answer {
        let mut client = body.clone();
        let id = self.id("cli_");
        client["client_id"] = json!(id);
        if client["app_type"] == json!(EXPRESS_CLIENT_TYPE) {
            // The recorded answer's defaults for this type.
            let defaults = json!({
                "oidc_conformant": true,
                "callbacks": ["https://system-admin.okta.com/admin/app/generic/oauth20redirect"],
                "grant_types": ["authorization_code", "client_credentials"],
                "jwt_configuration": { "alg": "RS256" },
                "organization_usage": "require",
            });
            for (k, v) in defaults.as_object().expect("an object") {
                if client.get(k).is_none_or(Value::is_null) {
                    client[k] = v.clone();
                }
            }
        } else if client.get("oidc_conformant").is_none() {
            client["oidc_conformant"] = json!(false);
        }
        if let Some(problem) = client_problem(&client) {
            return err(StatusCode::BAD_REQUEST, problem, Some("invalid_body"));
        }
        let inline = client
            .pointer("/client_authentication_methods/private_key_jwt/credentials")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !inline.is_empty() {
            let refs: Vec<Value> =
                inline.iter().map(|c| json!({ "id": self.store_credential(&id, c)["id"].clone() })).collect();
            client["client_authentication_methods"]["private_key_jwt"]["credentials"] = json!(refs);
        }
        if client["app_type"] == json!(EXPRESS_CLIENT_TYPE) {
            let grant = json!({
                "id": self.id("cgr_"), "client_id": id, "audience": self.management_audience,
                "scope": SYSTEM_GRANT_SCOPES, "is_system": true, "subject_type": "client",
            });
            self.grants.push(grant);
        }
        self.clients.push(client.clone());
        (StatusCode::CREATED, client)
    }

    /// Stores a credential of `client_id`; the `kid` is the one sent or a generated one.
    fn store_credential(&mut self, client_id: &str, body: &Value) -> Value {
        let id = self.id("cred_");
        let kid = body.get("kid").cloned().filter(Value::is_string).unwrap_or_else(|| json!(format!("kid-{id}")));
        let cred = json!({
            "id": id, "credential_type": "public_key", "name": body["name"], "kid": kid,
            "alg": body.get("alg").cloned().unwrap_or(json!("RS256")),
        });
        self.credentials.entry(client_id.into()).or_default().push(cred.clone());
        cred
    }

    /// Seeds a client as given (a hand-made one); returns its id.
    pub(super) fn seed_client(&mut self, client: Value) -> String {
        let id = self.id("cli_");
        let mut client = client;
        client["client_id"] = json!(id);
        self.clients.push(client);
        id
    }

    /// Seeds a resource server as given (e.g. with other settings or scopes).
    pub(super) fn seed_resource_server(&mut self, resource_server: Value) {
        let mut rs = resource_server;
        rs["id"] = json!(self.id(""));
        self.resource_servers.push(rs);
    }

    /// Seeds a role; returns its id.
    pub(super) fn seed_role(&mut self, name: &str) -> String {
        let id = self.id("rol_");
        self.roles.push(json!({ "id": id, "name": name, "description": "" }));
        id
    }

    /// Seeds permissions of a role, as if someone had added them.
    pub(super) fn seed_role_permissions(&mut self, role_id: &str, permissions: &[Value]) {
        self.role_permissions.entry(role_id.into()).or_default().extend(permissions.iter().cloned());
    }

    pub(super) fn clear_role_permissions(&mut self, name: &str) {
        if let Some(id) = self.role_id(name) {
            self.role_permissions.remove(&id);
        }
    }

    /// Seeds a client grant as given.
    pub(super) fn seed_grant(&mut self, grant: Value) {
        let mut grant = grant;
        grant["id"] = json!(self.id("cgr_"));
        self.grants.push(grant);
    }

    pub(super) fn add_profile(&mut self, list: &'static str, prefix: &str, name: &str) -> String {
        let id = self.id(prefix);
        self.profiles.entry(list).or_default().push(json!({ "id": id, "name": name }));
        id
    }

    pub(super) fn add_client(&mut self, name: &str) -> String {
        let id = self.id("cli_");
        self.clients.push(json!({ "client_id": id, "name": name, "app_type": "regular_web" }));
        id
    }

    pub(super) fn role_id(&self, name: &str) -> Option<String> {
        self.roles.iter().find(|r| r["name"] == json!(name)).and_then(|r| r["id"].as_str().map(String::from))
    }

    pub(super) fn assign_role(&mut self, user: &str, org: Option<&str>, role: &str) {
        let Some(role_id) = self.role_id(role) else { return };
        match org
            .and_then(|o| self.organizations.iter().find(|x| x["name"] == json!(o)))
            .and_then(|o| o["id"].as_str().map(String::from))
        {
            Some(org_id) => self.member_roles.entry((org_id, user.into())).or_default().push(role_id),
            None => self.user_roles.entry(user.into()).or_default().push(role_id),
        }
    }

    pub(super) fn add_organization(&mut self, name: &str, domains: Option<&str>, members: &[&str]) {
        let id = self.id("org_");
        let mut org = json!({ "id": id, "name": name, "display_name": name, "metadata": {} });
        if let Some(d) = domains {
            org["metadata"]["domains"] = json!(d);
        }
        self.organizations.push(org);
        self.members.insert(id, members.iter().map(|m| m.to_string()).collect());
    }

    pub(super) fn set_identifier_first(&mut self, on: bool) {
        self.prompts["identifier_first"] = json!(on);
    }

    pub(super) fn snapshot(&self) -> Value {
        json!({
            "resource_servers": self.resource_servers, "roles": self.roles, "role_permissions": self.role_permissions,
            "clients": self.clients, "client_grants": self.grants, "settings": self.settings,
            "credentials": self.credentials,
        })
    }
}

/// Why Auth0 would refuse a client's `express_configuration` (the OAS schema's required keys and
/// read-only `oin_submission_id`), or `None`. `null` removes the object and is fine.
fn express_configuration_problem(config: &Value) -> Option<String> {
    let Some(config) = config.as_object() else {
        return (!config.is_null())
            .then(|| "Payload validation error: 'express_configuration' must be an object".into());
    };
    const REQUIRED: &[&str] = &[
        "initiate_login_uri_template",
        "user_attribute_profile_id",
        "connection_profile_id",
        "enable_client",
        "enable_organization",
        "okta_oin_client_id",
        "admin_login_domain",
    ];
    if let Some(missing) = REQUIRED.iter().find(|k| !config.contains_key(**k)) {
        return Some(format!(
            "Payload validation error: 'Missing required property: {missing}' on property express_configuration"
        ));
    }
    config.contains_key("oin_submission_id").then(|| {
        "Payload validation error: 'Additional properties not allowed: oin_submission_id' on property express_configuration".into()
    })
}
