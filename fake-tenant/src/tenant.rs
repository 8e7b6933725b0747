//! The fake tenant's state and its routes: the token endpoint, the Bearer and scope checks,
//! Actions (the build state machine, versions, deploys, write-only secrets) and trigger
//! bindings; every other Management API path goes to [`Setup`]. Handlers are plain functions
//! of the request, so the state machine is easy to read.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::answer::{err, invalid, Answer};
use crate::config::FakeConfig;
use crate::request::{decode, query_param};
use crate::setup::Setup;

/// One Action: its draft, its versions and where it is in the build state machine.
#[derive(Debug, Clone)]
struct ActionRec {
    id: String,
    name: String,
    supported_triggers: Value,
    code: String,
    runtime: String,
    dependencies: Value,
    /// Name → (value, updated_at). Values are write-only: no route returns them.
    secrets: Vec<(String, String, String)>,
    status: &'static str,
    polls_left: u32,
    all_changes_deployed: bool,
    versions: Vec<VersionRec>,
    /// The version deployed by the last deploy call; it shows `deployed: true` from the next GET.
    deployed: Option<usize>,
    updated_at: String,
}

#[derive(Debug, Clone)]
struct VersionRec {
    id: String,
    number: u64,
    code: String,
    visible: bool,
}

#[derive(Debug, Clone)]
struct BindingRec {
    id: String,
    action_id: String,
    display_name: String,
}

/// The fake tenant's state.
#[derive(Debug)]
pub struct Tenant {
    config: FakeConfig,
    tokens: Vec<String>,
    actions: Vec<ActionRec>,
    bindings: BTreeMap<String, Vec<BindingRec>>,
    seq: u64,
    fail_builds: bool,
    setup: Setup,
    /// `http://127.0.0.1:PORT/`: the audience of client assertions.
    tenant_url: String,
}

impl Tenant {
    pub(super) fn new(config: FakeConfig, management_audience: &str) -> Tenant {
        Tenant {
            config,
            tokens: Vec::new(),
            actions: Vec::new(),
            bindings: BTreeMap::new(),
            seq: 0,
            fail_builds: false,
            setup: Setup::new(management_audience),
            tenant_url: management_audience.trim_end_matches("api/v2/").to_string(),
        }
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}{:08x}-fake-{:04}", self.seq * 2_654_435_761 % 0xffff_ffff, self.seq)
    }

    fn now(&self) -> String {
        // A deterministic clock: one "second" per state change.
        format!("2026-01-01T00:{:02}:{:02}.000Z", (self.seq / 60) % 60, self.seq % 60)
    }

    /// Makes every build started from now on go `retrying` then `failed` (or succeed again).
    pub fn set_fail_builds(&mut self, fail: bool) {
        self.fail_builds = fail;
    }

    /// Ends every build in progress: the next GET shows it `built`.
    pub fn finish_builds(&mut self) {
        for a in &mut self.actions {
            if matches!(a.status, "pending" | "building") {
                a.status = "building";
                a.polls_left = 0;
            }
        }
    }

    /// Adds a built, deployed post-login Action (a "foreign" one, as another team would have).
    pub fn seed_action(&mut self, name: &str) -> String {
        let id = self.next_id("act_");
        let version = VersionRec {
            id: self.next_id("ver_"),
            number: 1,
            code: "exports.onExecutePostLogin = async () => {};".into(),
            visible: true,
        };
        let now = self.now();
        self.actions.push(ActionRec {
            id: id.clone(),
            name: name.into(),
            supported_triggers: json!([{ "id": "post-login", "version": "v3" }]),
            code: version.code.clone(),
            runtime: "node22".into(),
            dependencies: json!([]),
            secrets: Vec::new(),
            status: "built",
            polls_left: 0,
            all_changes_deployed: true,
            versions: vec![version],
            deployed: Some(0),
            updated_at: now,
        });
        id
    }

    /// Replaces the flow of `trigger` with these Action ids.
    pub fn seed_bindings(&mut self, trigger: &str, action_ids: &[&str]) {
        let list = action_ids
            .iter()
            .map(|id| {
                let name = self.actions.iter().find(|a| a.id == *id).map(|a| a.name.clone()).unwrap_or_default();
                BindingRec { id: self.next_id("bnd_"), action_id: id.to_string(), display_name: name }
            })
            .collect();
        self.bindings.insert(trigger.into(), list);
    }

    /// The Action names of a trigger's flow, in order.
    pub fn flow(&self, trigger: &str) -> Vec<String> {
        self.bindings.get(trigger).map_or_else(Vec::new, |list| {
            list.iter()
                .filter_map(|b| self.actions.iter().find(|a| a.id == b.action_id))
                .map(|a| a.name.clone())
                .collect()
        })
    }

    /// The Action called `name` as `GET /actions/actions/{id}` shows it.
    pub fn action(&self, name: &str) -> Option<Value> {
        self.actions.iter().find(|a| a.name == name).map(render_action)
    }

    /// Changes the code of the Action `name`'s deployed version, as an edit made in the Auth0
    /// dashboard and deployed there (tests of what actionkit trusts in deployed code).
    pub fn edit_deployed_code(&mut self, name: &str, edit: impl FnOnce(&str) -> String) {
        let action = self.actions.iter_mut().find(|a| a.name == name).expect("the Action is on the tenant");
        let deployed = action.deployed.expect("the Action has a deployed version");
        let version = &mut action.versions[deployed];
        version.code = edit(&version.code);
    }

    /// The stored secret values of the Action `name` (tests check what was sent).
    pub fn secret_values(&self, name: &str) -> Vec<(String, String)> {
        self.actions
            .iter()
            .find(|a| a.name == name)
            .map_or_else(Vec::new, |a| a.secrets.iter().map(|(n, v, _)| (n.clone(), v.clone())).collect())
    }

    pub(super) fn handle(
        &mut self,
        method: &Method,
        path: &str,
        query: &str,
        auth: Option<&str>,
        body: &Value,
    ) -> Answer {
        if path == "/oauth/token" && method == Method::POST {
            return self.token(body);
        }
        let Some(rest) = path.strip_prefix("/api/v2/") else {
            return err(StatusCode::NOT_FOUND, "Not Found", None);
        };
        let token = auth.and_then(|a| a.strip_prefix("Bearer "));
        if !token.is_some_and(|t| self.tokens.iter().any(|known| known == t)) {
            return err(StatusCode::UNAUTHORIZED, "Invalid token.", None);
        }
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let verb = match *method {
            Method::GET => "read",
            Method::POST => "create",
            Method::DELETE => "delete",
            _ => "update",
        };
        let resource = match segments.as_slice() {
            ["actions", ..] => "actions",
            ["clients", _, "credentials"] => "client_credentials",
            ["organizations", _, "members", _, "roles"] => "organization_member_roles",
            ["organizations", _, "members"] => "organization_members",
            [first, ..] => match *first {
                "tenants" => "tenant_settings",
                "resource-servers" => "resource_servers",
                "client-grants" => "client_grants",
                "user-attribute-profiles" => "user_attribute_profiles",
                "connection-profiles" => "connection_profiles",
                other => other,
            },
            [] => "",
        };
        let verb = match segments.as_slice() {
            // Deploying an Action needs `create:actions`, like creating one.
            [.., "deploy"] => "create",
            // Adding permissions to a role is an update of the role.
            ["roles", _, "permissions"] if verb == "create" || verb == "delete" => "update",
            _ => verb,
        };
        let scope = format!("{verb}:{resource}");
        if !self.config.scopes.contains(&scope) {
            return err(
                StatusCode::FORBIDDEN,
                &format!("Insufficient scope, expected any of: {scope}"),
                Some("insufficient_scope"),
            );
        }
        match (method, segments.as_slice()) {
            (&Method::GET, ["actions", "actions"]) => self.list_actions(query),
            (&Method::POST, ["actions", "actions"]) => self.create_action(body),
            (&Method::GET, ["actions", "actions", id]) => self.get_action(id),
            (&Method::PATCH, ["actions", "actions", id]) => self.patch_action(id, body),
            (&Method::DELETE, ["actions", "actions", id]) => self.delete_action(id, query),
            (&Method::POST, ["actions", "actions", id, "deploy"]) => self.deploy(id),
            (&Method::GET, ["actions", "actions", id, "versions"]) => self.versions(id, query),
            (&Method::POST, ["actions", "actions", id, "versions", version, "deploy"]) => self.redeploy(id, version),
            (&Method::GET, ["actions", "triggers", trigger, "bindings"]) => self.get_bindings(trigger, query),
            (&Method::PATCH, ["actions", "triggers", trigger, "bindings"]) => self.patch_bindings(trigger, body),
            (_, ["actions", ..]) => err(StatusCode::NOT_FOUND, "Not Found", None),
            (_, segments) => self.setup.handle(method, segments, query, body),
        }
    }

    fn token(&mut self, body: &Value) -> Answer {
        let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
        if field("grant_type") != "client_credentials" {
            return (
                StatusCode::BAD_REQUEST,
                json!({ "error": "unsupported_grant_type", "error_description": "Unsupported grant type" }),
            );
        }
        let authenticated = match body.get("client_assertion").and_then(Value::as_str) {
            Some(assertion) => {
                field("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                    && field("client_id") == self.config.client_id
                    && self.assertion_is_valid(assertion)
            }
            None => field("client_id") == self.config.client_id && field("client_secret") == self.config.client_secret,
        };
        if !authenticated {
            return (
                StatusCode::UNAUTHORIZED,
                json!({ "error": "access_denied", "error_description": "Unauthorized" }),
            );
        }
        let token = format!("fake-token-{}", self.tokens.len() + 1);
        self.tokens.push(token.clone());
        (
            StatusCode::OK,
            json!({ "access_token": token, "expires_in": 86400, "token_type": "Bearer", "scope": self.config.scopes.join(" ") }),
        )
    }

    /// A client assertion as Auth0 checks it: signed by the registered key (RS256, RS384 or
    /// PS256), issuer and subject the client id, audience the tenant URL, not expired.
    fn assertion_is_valid(&self, assertion: &str) -> bool {
        #[derive(serde::Deserialize)]
        struct Claims {
            iss: String,
            sub: String,
        }
        let Some(pem) = &self.config.client_public_key_pem else { return false };
        let Ok(key) = jsonwebtoken::DecodingKey::from_rsa_pem(pem.as_bytes()) else { return false };
        let Ok(header) = jsonwebtoken::decode_header(assertion) else { return false };
        use jsonwebtoken::Algorithm::{PS256, RS256, RS384};
        if ![RS256, RS384, PS256].contains(&header.alg) {
            return false;
        }
        let mut validation = jsonwebtoken::Validation::new(header.alg);
        validation.set_audience(&[&self.tenant_url]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        match jsonwebtoken::decode::<Claims>(assertion, &key, &validation) {
            Ok(data) => data.claims.iss == self.config.client_id && data.claims.sub == self.config.client_id,
            Err(_) => false,
        }
    }

    /// The Express Configuration objects (resource servers, roles, permissions, clients,
    /// grants, tenant settings) as JSON, for assertions.
    pub fn setup_snapshot(&self) -> Value {
        self.setup.snapshot()
    }

    /// Assigns the role `role` to `user`, in `organization` if given (else tenant-wide).
    pub fn assign_role(&mut self, user: &str, organization: Option<&str>, role: &str) {
        self.setup.assign_role(user, organization, role);
    }

    /// Adds an organization with `metadata.domains` (for HRD) and members.
    pub fn add_organization(&mut self, name: &str, domains: Option<&str>, members: &[&str]) {
        self.setup.add_organization(name, domains, members);
    }

    /// Adds a user attribute profile; returns its id.
    pub fn add_user_attribute_profile(&mut self, name: &str) -> String {
        self.setup.add_profile("user_attribute_profiles", "uap_", name)
    }

    /// Adds a connection profile; returns its id.
    pub fn add_connection_profile(&mut self, name: &str) -> String {
        self.setup.add_profile("connection_profiles", "cop_", name)
    }

    /// Seeds a client as given, e.g. one made by hand with other settings; returns its id.
    pub fn seed_client(&mut self, client: Value) -> String {
        self.setup.seed_client(client)
    }

    /// Seeds a resource server as given.
    pub fn seed_resource_server(&mut self, resource_server: Value) {
        self.setup.seed_resource_server(resource_server);
    }

    /// Seeds a role named `name` with `permissions` (`{resource_server_identifier,
    /// permission_name}` objects); returns its id.
    pub fn seed_role(&mut self, name: &str, permissions: &[Value]) -> String {
        let id = self.setup.seed_role(name);
        self.setup.seed_role_permissions(&id, permissions);
        id
    }

    /// Takes every permission away from the role named `name` (as `DELETE
    /// /roles/{id}/permissions` with all of them would).
    pub fn clear_role_permissions(&mut self, name: &str) {
        self.setup.clear_role_permissions(name);
    }

    /// Seeds a client grant as given.
    pub fn seed_grant(&mut self, grant: Value) {
        self.setup.seed_grant(grant);
    }

    /// Adds an application (the SaaS app Express Configuration is for); returns its client id.
    pub fn add_client(&mut self, name: &str) -> String {
        self.setup.add_client(name)
    }

    /// Turns the Identifier First prompt (needed for home realm discovery) on or off.
    pub fn set_identifier_first(&mut self, on: bool) {
        self.setup.set_identifier_first(on);
    }

    /// Registers a token the API accepts (as if issued elsewhere: `AUTH0_ACCESS_TOKEN`).
    pub fn add_token(&mut self, token: &str) {
        self.tokens.push(token.to_string());
    }

    fn list_actions(&mut self, query: &str) -> Answer {
        let name = query_param(query, "actionName").map(decode);
        let per_page: usize = query_param(query, "per_page").and_then(|v| v.parse().ok()).unwrap_or(20);
        let page: usize = query_param(query, "page").and_then(|v| v.parse().ok()).unwrap_or(0);
        let ids: Vec<String> =
            self.actions.iter().filter(|a| name.as_ref().is_none_or(|n| &a.name == n)).map(|a| a.id.clone()).collect();
        let total = ids.len();
        let mut actions = Vec::new();
        for id in ids.iter().skip(page * per_page).take(per_page) {
            actions.push(self.observe(id).expect("listed ids exist"));
        }
        let mut body = json!({ "actions": actions, "total": total, "per_page": per_page });
        if page > 0 {
            body["page"] = json!(page);
        }
        (StatusCode::OK, body)
    }

    /// A GET moves the build along one step and makes a deploy visible, then renders.
    fn observe(&mut self, id: &str) -> Option<Value> {
        let fail = self.fail_builds;
        let a = self.actions.iter_mut().find(|a| a.id == id)?;
        match a.status {
            "pending" => a.status = "building",
            "building" if a.polls_left > 0 => a.polls_left -= 1,
            "building" if fail => a.status = "retrying",
            "building" => a.status = "built",
            "retrying" => a.status = "failed",
            _ => {}
        }
        if let Some(i) = a.deployed {
            a.versions[i].visible = true;
        }
        Some(render_action(a))
    }

    fn get_action(&mut self, id: &str) -> Answer {
        match self.observe(id) {
            Some(v) => (StatusCode::OK, v),
            None => err(StatusCode::NOT_FOUND, "That action does not exist.", None),
        }
    }

    fn check_fields(body: &Value, allowed: &[&str]) -> Result<(), Answer> {
        let Some(map) = body.as_object() else { return Err(invalid("body must be an object")) };
        if let Some(k) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(invalid(&format!("Additional properties not allowed: {k}")));
        }
        if let Some(secrets) = map.get("secrets") {
            let ok = secrets.as_array().is_some_and(|list| {
                list.iter().all(|s| {
                    s.get("name").and_then(Value::as_str).is_some() && s.get("value").and_then(Value::as_str).is_some()
                })
            });
            if !ok {
                return Err(invalid("secrets must be [{name, value}]"));
            }
        }
        if let Some(t) = map.get("supported_triggers") {
            if t.as_array().is_none_or(|t| t.len() != 1) {
                return Err(invalid("an action can only target a single trigger at a time"));
            }
        }
        Ok(())
    }

    fn create_action(&mut self, body: &Value) -> Answer {
        const FIELDS: &[&str] =
            &["name", "supported_triggers", "code", "dependencies", "runtime", "secrets", "modules", "deploy"];
        if let Err(e) = Self::check_fields(body, FIELDS) {
            return e;
        }
        let (Some(name), Some(triggers)) = (body.get("name").and_then(Value::as_str), body.get("supported_triggers"))
        else {
            return invalid("Missing required property: name, supported_triggers");
        };
        let id = self.next_id("act_");
        let now = self.now();
        let mut action = ActionRec {
            id: id.clone(),
            name: name.into(),
            supported_triggers: triggers.clone(),
            code: body.get("code").and_then(Value::as_str).unwrap_or("module.exports = () => {}").into(),
            runtime: body.get("runtime").and_then(Value::as_str).unwrap_or("node22").into(),
            dependencies: body.get("dependencies").cloned().unwrap_or(json!([])),
            secrets: Vec::new(),
            status: "pending",
            polls_left: self.config.build_polls,
            all_changes_deployed: false,
            versions: Vec::new(),
            deployed: None,
            updated_at: now.clone(),
        };
        if let Some(secrets) = body.get("secrets").and_then(Value::as_array) {
            action.secrets = secrets_of(secrets, &now);
        }
        self.actions.push(action);
        let a = self.actions.last().expect("just pushed");
        (StatusCode::CREATED, render_action(a))
    }

    fn patch_action(&mut self, id: &str, body: &Value) -> Answer {
        const FIELDS: &[&str] =
            &["name", "supported_triggers", "code", "dependencies", "runtime", "secrets", "modules"];
        if let Err(e) = Self::check_fields(body, FIELDS) {
            return e;
        }
        let now = self.now();
        let polls = self.config.build_polls;
        let Some(a) = self.actions.iter_mut().find(|a| a.id == id) else {
            return err(StatusCode::NOT_FOUND, "That action does not exist.", None);
        };
        if let Some(v) = body.get("name").and_then(Value::as_str) {
            a.name = v.into();
        }
        if let Some(v) = body.get("code").and_then(Value::as_str) {
            a.code = v.into();
        }
        if let Some(v) = body.get("runtime").and_then(Value::as_str) {
            a.runtime = v.into();
        }
        if let Some(v) = body.get("supported_triggers") {
            a.supported_triggers = v.clone();
        }
        if let Some(v) = body.get("dependencies") {
            a.dependencies = v.clone();
        }
        // Whole-list replacement; omitted means untouched; `[]` clears.
        if let Some(v) = body.get("secrets").and_then(Value::as_array) {
            a.secrets = secrets_of(v, &now);
        }
        a.status = "pending";
        a.polls_left = polls;
        a.all_changes_deployed = false;
        a.updated_at = now;
        (StatusCode::OK, render_action(a))
    }

    fn delete_action(&mut self, id: &str, query: &str) -> Answer {
        if !self.actions.iter().any(|a| a.id == id) {
            return err(StatusCode::NOT_FOUND, "That action does not exist.", None);
        }
        let bound = self.bindings.values().any(|list| list.iter().any(|b| b.action_id == id));
        if bound && query_param(query, "force") != Some("true") {
            return err(StatusCode::CONFLICT, "Unable to delete an action bound to a trigger.", None);
        }
        for list in self.bindings.values_mut() {
            list.retain(|b| b.action_id != id);
        }
        self.actions.retain(|a| a.id != id);
        (StatusCode::NO_CONTENT, Value::Null)
    }

    fn deploy(&mut self, id: &str) -> Answer {
        let version_id = self.next_id("ver_");
        let Some(a) = self.actions.iter_mut().find(|a| a.id == id) else {
            return err(StatusCode::NOT_FOUND, "That action does not exist.", None);
        };
        if a.status != "built" {
            return err(
                StatusCode::BAD_REQUEST,
                "A draft must be in the 'built' state before it can be deployed.",
                None,
            );
        }
        let number = a.versions.last().map_or(1, |v| v.number + 1);
        a.versions.push(VersionRec { id: version_id.clone(), number, code: a.code.clone(), visible: false });
        a.deployed = Some(a.versions.len() - 1);
        a.all_changes_deployed = true;
        let secrets: Vec<Value> = a.secrets.iter().map(|(n, _, at)| json!({ "name": n, "updated_at": at })).collect();
        // Real deploys answer 200 (not the spec's 202) with `deployed: false`.
        (
            StatusCode::OK,
            json!({
                "id": version_id, "number": number, "deployed": false, "status": "built",
                "code": a.code, "dependencies": a.dependencies, "runtime": a.runtime, "secrets": secrets,
                "supported_triggers": a.supported_triggers,
                "action": { "id": a.id, "name": a.name, "supported_triggers": a.supported_triggers, "all_changes_deployed": false },
            }),
        )
    }

    /// `GET /actions/actions/{id}/versions`: newest first, offset-paginated.
    fn versions(&mut self, id: &str, query: &str) -> Answer {
        let Some(a) = self.actions.iter().find(|a| a.id == id) else {
            return err(StatusCode::NOT_FOUND, "That action does not exist.", None);
        };
        let per_page: usize = query_param(query, "per_page").and_then(|v| v.parse().ok()).unwrap_or(20);
        let page: usize = query_param(query, "page").and_then(|v| v.parse().ok()).unwrap_or(0);
        let all: Vec<Value> = a
            .versions
            .iter()
            .enumerate()
            .rev()
            .map(|(i, v)| {
                json!({ "id": v.id, "number": v.number, "code": v.code, "status": "built",
                        "deployed": a.deployed == Some(i) && v.visible, "action_id": a.id })
            })
            .collect();
        let slice: Vec<Value> = all.iter().skip(page * per_page).take(per_page).cloned().collect();
        (StatusCode::OK, json!({ "versions": slice, "total": all.len(), "page": page, "per_page": per_page }))
    }

    /// `POST /actions/actions/{id}/versions/{version}/deploy`: a roll-back: a new version with
    /// that version's code, deployed; the draft stays as it is.
    fn redeploy(&mut self, id: &str, version: &str) -> Answer {
        let version_id = self.next_id("ver_");
        let Some(a) = self.actions.iter_mut().find(|a| a.id == id) else {
            return err(StatusCode::NOT_FOUND, "That action does not exist.", None);
        };
        let Some(old) = a.versions.iter().find(|v| v.id == version).cloned() else {
            return err(StatusCode::NOT_FOUND, "That version does not exist.", None);
        };
        let number = a.versions.last().map_or(1, |v| v.number + 1);
        a.versions.push(VersionRec { id: version_id.clone(), number, code: old.code.clone(), visible: false });
        a.deployed = Some(a.versions.len() - 1);
        a.all_changes_deployed = a.code == old.code;
        (
            StatusCode::OK,
            json!({ "id": version_id, "number": number, "deployed": false, "status": "built", "code": old.code }),
        )
    }

    fn get_bindings(&mut self, trigger: &str, query: &str) -> Answer {
        let per_page: usize = query_param(query, "per_page").and_then(|v| v.parse().ok()).unwrap_or(20);
        let page: usize = query_param(query, "page").and_then(|v| v.parse().ok()).unwrap_or(0);
        let list = self.bindings.get(trigger).cloned().unwrap_or_default();
        let rendered: Vec<Value> = list
            .iter()
            .skip(page * per_page)
            .take(per_page)
            .map(|b| {
                let action =
                    self.actions.iter().find(|a| a.id == b.action_id).map(render_action).unwrap_or(Value::Null);
                json!({ "id": b.id, "trigger_id": trigger, "display_name": b.display_name, "action": action })
            })
            .collect();
        // The observed quirk: page 0 has `total` and no `page`; later pages the reverse.
        let body = if page == 0 {
            json!({ "bindings": rendered, "total": list.len(), "per_page": per_page })
        } else {
            json!({ "bindings": rendered, "page": page, "per_page": per_page })
        };
        (StatusCode::OK, body)
    }

    fn patch_bindings(&mut self, trigger: &str, body: &Value) -> Answer {
        let Some(entries) = body.get("bindings").and_then(Value::as_array) else {
            return invalid("Missing required property: bindings");
        };
        let old = self.bindings.get(trigger).cloned().unwrap_or_default();
        let mut new = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let (Some(kind), Some(value)) = (
                entry.pointer("/ref/type").and_then(Value::as_str),
                entry.pointer("/ref/value").and_then(Value::as_str),
            ) else {
                return invalid(&format!("'Data does not match any schemas from 'oneOf'' on property bindings[{i}]."));
            };
            let action = match kind {
                "action_id" => self.actions.iter().find(|a| a.id == value),
                "action_name" => self.actions.iter().find(|a| a.name == value),
                "binding_id" => {
                    old.iter().find(|b| b.id == value).and_then(|b| self.actions.iter().find(|a| a.id == b.action_id))
                }
                _ => {
                    return invalid(&format!(
                        "'Data does not match any schemas from 'oneOf'' on property bindings[{i}]."
                    ))
                }
            };
            let Some(action) = action else {
                return err(StatusCode::NOT_FOUND, "That action does not exist.", None);
            };
            if action.supported_triggers.pointer("/0/id").and_then(Value::as_str) != Some(trigger) {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Trying to create a binding between an incompatible action and trigger.",
                    None,
                );
            }
            if action.deployed.is_none() {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Trying to create a binding for an action that has not been deployed.",
                    None,
                );
            }
            let display = entry.get("display_name").and_then(Value::as_str).unwrap_or(&action.name).to_string();
            new.push((action.id.clone(), display));
        }
        // Every PATCH regenerates every binding id, changed or not.
        let list: Vec<BindingRec> = new
            .into_iter()
            .map(|(action_id, display_name)| BindingRec { id: self.next_id("bnd_"), action_id, display_name })
            .collect();
        self.bindings.insert(trigger.to_string(), list);
        let rendered: Vec<Value> = self.bindings[trigger]
            .iter()
            .map(|b| {
                json!({ "id": b.id, "trigger_id": trigger, "display_name": b.display_name,
                             "action": self.actions.iter().find(|a| a.id == b.action_id).map(render_action) })
            })
            .collect();
        (StatusCode::OK, json!({ "bindings": rendered }))
    }
}

fn secrets_of(list: &[Value], now: &str) -> Vec<(String, String, String)> {
    list.iter()
        .filter_map(|s| {
            let name = s.get("name")?.as_str()?;
            let value = s.get("value")?.as_str()?;
            Some((name.to_string(), value.to_string(), now.to_string()))
        })
        .collect()
}

fn render_action(a: &ActionRec) -> Value {
    let secrets: Vec<Value> = a.secrets.iter().map(|(n, _, at)| json!({ "name": n, "updated_at": at })).collect();
    let mut v = json!({
        "id": a.id, "name": a.name, "supported_triggers": a.supported_triggers, "code": a.code,
        "dependencies": a.dependencies, "runtime": a.runtime, "secrets": secrets, "status": a.status,
        "all_changes_deployed": a.all_changes_deployed, "created_at": "2026-01-01T00:00:00.000Z", "updated_at": a.updated_at,
    });
    if let Some(i) = a.deployed {
        let ver = &a.versions[i];
        v["deployed_version"] = json!({
            "id": ver.id, "number": ver.number, "deployed": ver.visible, "status": "built", "code": ver.code,
            "runtime": a.runtime, "secrets": secrets,
        });
        // `current_version` is not in the spec but the live API returns it, status upper-case.
        v["current_version"] = json!({ "id": ver.id, "number": ver.number, "status": "BUILT", "runtime": a.runtime });
    }
    v
}
