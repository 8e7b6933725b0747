//! The Express Configuration setup of `actionkit deploy` (`[express_configuration]`) and
//! `actionkit doctor`, against the fake Management API.

use std::path::Path;
use std::process::Output;

use fake_tenant::{FakeTenant, Fault};
use serde_json::json;

use crate::deploy::{assert_ok, deploy, fake, project, stderr, stdout, writes, NAME};
use crate::util::actionkit;

/// Shaped like a public key: the checks are structural.
const PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\nkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ\n0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdg\ncKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbc\nmwIDAQAB\n-----END PUBLIC KEY-----\n";

fn with_setup(dir: &Path, table: &str, pem: Option<&str>) {
    let manifest = dir.join("actionkit.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[express_configuration]\n{table}")).unwrap();
    if let Some(pem) = pem {
        std::fs::write(dir.join("okta-public-key.pem"), pem).unwrap();
    }
}

fn doctor(fake: &FakeTenant, dir: &Path, args: &[&str]) -> Output {
    crate::util::against_fake(actionkit().arg("doctor").arg(dir).args(args), fake).output().unwrap()
}

const OKTA: &str = "recipe = \"okta\"\nscim = true\nsp_client_id = \"svc_123\"\npublic_key = \"okta-public-key.pem\"\n";

#[test]
fn the_okta_recipe_is_created_in_full_then_left_alone() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some(PEM));
    let plan = deploy(&fake, &dir, &["--plan"]);
    assert_ok(&plan);
    assert!(stdout(&plan).contains("+ create OIN client `Okta OIN Integration Client`"), "{}", stdout(&plan));
    assert_eq!(writes(&fake), Vec::<String>::new());

    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let setup = fake.with(|t| t.setup_snapshot());
    let rs = &setup["resource_servers"][0];
    assert_eq!(rs["identifier"], "https://system.okta.com/actions/express-configure/v1");
    assert_eq!(
        rs["scopes"].as_array().unwrap().iter().map(|s| s["value"].as_str().unwrap()).collect::<Vec<_>>(),
        ["expressconfigure:sso", "expressconfigure:scim"]
    );
    assert_eq!((rs["token_lifetime"].clone(), rs["enforce_policies"].clone()), (json!(300), json!(true)));
    let perms = setup["role_permissions"].as_object().unwrap().values().next().unwrap();
    assert_eq!(perms.as_array().unwrap().len(), 2);
    let client = &setup["clients"][0];
    assert_eq!(client["app_type"], "regular_web");
    assert_eq!(client["organization_usage"], "require");
    assert_eq!(client["organization_require_behavior"], "post_login_prompt");
    assert_eq!(
        client["client_metadata"],
        json!({ "express_configure_sp_client_id": "svc_123", "is_express_configure_app": "true" })
    );
    assert_eq!(client["client_authentication_methods"]["private_key_jwt"]["credentials"].as_array().unwrap().len(), 1);
    let grant = &setup["client_grants"][0];
    assert_eq!(grant["audience"], format!("{}/api/v2/", fake.base_url()));
    assert_eq!(grant["scope"].as_array().unwrap().len(), 13, "connection + SCIM scopes");
    assert_eq!(setup["settings"]["flags"]["use_scope_descriptions_for_consent"], true);

    fake.clear_log();
    let again = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&again);
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert!(stdout(&again).contains("= OIN client `Okta OIN Integration Client`"), "{}", stdout(&again));
}

#[test]
fn a_malformed_pem_fails_before_any_write() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a PEM public key"), "{}", stderr(&out));
    assert!(fake.requests().is_empty(), "not even a read");
}

#[test]
fn doctor_names_each_missing_prerequisite_of_the_403() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"auth0\"\npublic_key = \"okta-public-key.pem\"\n", Some(PEM));

    // An empty tenant: everything is missing.
    let out = doctor(&fake, &dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("MISSING role permissions: no role named `EXPRESS_CONFIGURE_ADMIN_ROLE`"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("oauth_error"), "{}", stderr(&out));

    // After deploy: the role has both permissions, but the admin has no role, is not in the
    // organization, and HRD is off.
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    fake.with(|t| t.add_organization("acme", None, &[]));
    let out = doctor(&fake, &dir, &["--user", "auth0|admin", "--organization", "acme"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(report.contains("ok      role permissions: role `EXPRESS_CONFIGURE_ADMIN_ROLE` has express_configure:sso and express_configure:scim"), "{report}");
    assert!(report.contains("MISSING role assigned: `auth0|admin` does not have role"), "{report}");
    assert!(report.contains("MISSING organization membership: `auth0|admin` is not a member of `acme`"), "{report}");
    assert!(report.contains("MISSING home realm discovery: Identifier First login is off"), "{report}");
    assert!(stderr(&out).contains("3 prerequisites missing"), "{}", stderr(&out));
    let json = doctor(&fake, &dir, &["--user", "auth0|admin", "--organization", "acme", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
    assert_eq!(json["missing"], 3);
    assert_eq!(
        json["checks"][2],
        json!({ "name": "role assigned", "status": "missing", "detail": json["checks"][2]["detail"] })
    );

    fake.with(|t| {
        t.add_organization("acme2", Some("acme.com, acme.io"), &["auth0|admin"]);
        t.assign_role("auth0|admin", Some("acme2"), "EXPRESS_CONFIGURE_ADMIN_ROLE");
        t.set_identifier_first(true);
    });
    let out = doctor(&fake, &dir, &["--user", "auth0|admin", "--organization", "acme2"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(!stdout(&out).contains("MISSING"), "{}", stdout(&out));
    assert!(stderr(&out).contains("9 passed, 0 skipped"), "{}", stderr(&out));

    // A big organization: the admin is member 1,230, far past one page (and past the 1,000 that
    // offset pagination reaches), so doctor must follow the checkpoints.
    let members: Vec<String> = (0..1_229).map(|i| format!("auth0|member-{i}")).chain(["auth0|admin".into()]).collect();
    fake.with(|t| t.add_organization("bigco", None, &members.iter().map(String::as_str).collect::<Vec<_>>()));
    let out = doctor(&fake, &dir, &["--user", "auth0|admin", "--organization", "bigco"]);
    assert!(
        stdout(&out).contains("ok      organization membership: `auth0|admin` is a member of `bigco`"),
        "{}",
        stdout(&out)
    );
    let out = doctor(&fake, &dir, &["--user", "auth0|nobody", "--organization", "bigco"]);
    assert!(stdout(&out).contains("MISSING organization membership: `auth0|nobody` is not a member of `bigco`"));
}

/// A Management API client on `fake` for setting up a tenant the way a person would have.
fn api(fake: &FakeTenant) -> deploy::Client {
    use deploy::{Client, ClientConfig, Credentials, Secret};
    Client::new(
        ClientConfig::for_domain(fake.base_url()).unwrap(),
        Credentials::ClientCredentials {
            client_id: "fake-client-id".into(),
            client_secret: Secret::new("fake-client-secret"),
        },
    )
    .unwrap()
}

fn post(fake: &FakeTenant, path: &str, body: serde_json::Value) -> serde_json::Value {
    api(fake).post(path, &body, deploy::client::Idempotent::No).unwrap()
}

/// The public key with one base64 character changed: another key, as far as the checks go.
fn other_pem() -> String {
    PEM.replacen("u1SU1LfV", "u1SU1LfW", 1)
}

#[test]
fn an_existing_setup_is_extended_never_trimmed() {
    let fake = fake();
    // Someone set parts of the Okta recipe up by hand, with extras of their own.
    let audience = format!("{}/api/v2/", fake.base_url());
    let identifier = "https://system.okta.com/actions/express-configure/v1";
    post(
        &fake,
        "/resource-servers",
        json!({ "name": "EC", "identifier": identifier, "scopes": [{ "value": "read:reports" }] }),
    );
    let oin = post(
        &fake,
        "/clients",
        json!({ "name": "Okta OIN Integration Client", "app_type": "regular_web", "organization_usage": "allow", "client_metadata": { "tier": "gold" } }),
    );
    let oin_id = oin["client_id"].as_str().unwrap();
    post(
        &fake,
        "/client-grants",
        json!({ "client_id": oin_id, "audience": audience, "scope": ["read:users", "read:connections"] }),
    );

    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"okta\"\nsp_client_id = \"svc_9\"\npublic_key = \"okta-public-key.pem\"\n", Some(PEM));
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&out);
    let plan = stdout(&out);
    assert!(plan.contains("~ update resource server `https://system.okta.com/actions/express-configure/v1`: scopes +expressconfigure:sso, enforce_policies = true, token_lifetime = 300"), "{plan}");
    assert!(plan.contains("~ update OIN client `Okta OIN Integration Client`: organization_usage = require"), "{plan}");

    let setup = fake.with(|t| t.setup_snapshot());
    let rs = &setup["resource_servers"][0];
    let scopes: Vec<&str> = rs["scopes"].as_array().unwrap().iter().map(|s| s["value"].as_str().unwrap()).collect();
    assert_eq!(scopes, ["read:reports", "expressconfigure:sso"]);
    assert_eq!((rs["token_lifetime"].clone(), rs["enforce_policies"].clone()), (json!(300), json!(true)));
    let client = &setup["clients"][0];
    assert_eq!(client["organization_usage"], "require");
    assert_eq!(
        client["client_metadata"],
        json!({ "tier": "gold", "express_configure_sp_client_id": "svc_9", "is_express_configure_app": "true" })
    );
    assert_eq!(client["client_authentication_methods"]["private_key_jwt"]["credentials"].as_array().unwrap().len(), 1);
    let grant_scopes = setup["client_grants"][0]["scope"].as_array().unwrap();
    assert_eq!(grant_scopes.len(), 9, "read:users kept, read:connections not doubled: {grant_scopes:?}");
    assert_eq!(grant_scopes[0], "read:users");
    assert_eq!(setup["client_grants"].as_array().unwrap().len(), 1, "updated, not a second grant");

    fake.clear_log();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(writes(&fake), Vec::<String>::new());
}

#[test]
fn the_auth0_recipe_converges_with_auth0s_system_api_and_grant() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"auth0\"\nsp_client_id = \"svc_1\"\npublic_key = \"okta-public-key.pem\"\n", Some(PEM));
    let plan = deploy(&fake, &dir, &["--plan"]);
    assert_ok(&plan);
    assert!(stdout(&plan).contains("(managed by Auth0, read only)"), "{}", stdout(&plan));

    let out = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&out);
    let w = writes(&fake);
    assert!(!w.iter().any(|w| w.starts_with("POST /api/v2/client-grants")), "Auth0 makes the grant: {w:?}");
    assert!(!w.iter().any(|w| w.starts_with("PATCH /api/v2/resource-servers")), "a system API: {w:?}");
    let create =
        fake.requests().into_iter().find(|r| r.method == "POST" && r.path == "/api/v2/resource-servers").unwrap();
    assert_eq!(
        create.body,
        json!({ "identifier": "urn:auth0:express-configure" }),
        "Auth0's template takes the identifier only"
    );
    let setup = fake.with(|t| t.setup_snapshot());
    assert_eq!(setup["resource_servers"][0]["is_system"], true);
    let grants = setup["client_grants"].as_array().unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0]["is_system"], true);
    let client = &setup["clients"][0];
    assert_eq!(client["app_type"], "express_configuration");
    let attached = client["client_authentication_methods"]["private_key_jwt"]["credentials"].as_array().unwrap();
    assert_eq!(attached.len(), 1);
    let stored = setup["credentials"][client["client_id"].as_str().unwrap()].as_array().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["kid"], deploy::express::key_id(PEM));
    assert!(stdout(&out).contains("= client grant of `Okta OIN Integration Client`"), "{}", stdout(&out));

    fake.clear_log();
    let again = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&again);
    assert_eq!(writes(&fake), Vec::<String>::new());
}

#[test]
fn a_half_done_auth0_setup_is_finished_without_a_duplicate_or_an_orphan_key() {
    let fake = fake();
    // A run stopped after the API, the role, the client and the key upload: the role has no
    // permission, the client other settings, the key is stored but not attached.
    post(&fake, "/resource-servers", json!({ "identifier": "urn:auth0:express-configure" }));
    post(&fake, "/roles", json!({ "name": "EXPRESS_CONFIGURE_ADMIN_ROLE" }));
    let oin = post(
        &fake,
        "/clients",
        json!({ "name": "Okta OIN Integration Client", "app_type": "express_configuration", "organization_usage": "allow", "organization_require_behavior": "no_prompt" }),
    );
    let oin_id = oin["client_id"].as_str().unwrap().to_string();
    let kid = deploy::express::key_id(PEM);
    post(
        &fake,
        &format!("/clients/{oin_id}/credentials"),
        json!({ "name": "OIN Public Key", "credential_type": "public_key", "pem": PEM, "alg": "RS256", "kid": kid }),
    );
    fake.clear_log();

    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"auth0\"\npublic_key = \"okta-public-key.pem\"\n", Some(PEM));
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&out);
    let w: Vec<String> = writes(&fake).into_iter().filter(|w| !w.contains("/actions/")).collect();
    assert_eq!(
        w,
        [
            format!(
                "POST /api/v2/roles/{}/permissions",
                fake.with(|t| t.setup_snapshot())["roles"][0]["id"].as_str().unwrap()
            ),
            format!("PATCH /api/v2/clients/{oin_id}"),
            format!("PATCH /api/v2/clients/{oin_id}"),
            "PATCH /api/v2/tenants/settings".to_string(),
        ],
        "settings, then the stored key attached: no second upload"
    );
    let setup = fake.with(|t| t.setup_snapshot());
    assert_eq!(setup["resource_servers"].as_array().unwrap().len(), 1);
    assert_eq!(setup["roles"].as_array().unwrap().len(), 1);
    assert_eq!(setup["clients"].as_array().unwrap().len(), 1);
    assert_eq!(setup["credentials"][&oin_id].as_array().unwrap().len(), 1);
    assert_eq!(setup["clients"][0]["organization_usage"], "require");
    assert_eq!(setup["clients"][0]["organization_require_behavior"], "pre_login_prompt");

    fake.clear_log();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(writes(&fake), Vec::<String>::new());
}

#[test]
fn a_hand_made_non_conformant_okta_client_converges_and_failed_runs_leave_no_key() {
    let fake = fake();
    let oin_id = fake.with(|t| {
        t.seed_client(json!({
            "name": "Okta OIN Integration Client", "app_type": "regular_web", "oidc_conformant": false,
            "callbacks": [], "grant_types": ["implicit"], "jwt_configuration": { "alg": "HS256", "lifetime_in_seconds": 36000 },
        }))
    });
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some(PEM));
    let plan = deploy(&fake, &dir, &["--plan"]);
    assert_ok(&plan);
    let text = stdout(&plan);
    assert!(text.contains("oidc_conformant = true"), "{text}");
    assert!(text.contains("grant_types +authorization_code +client_credentials"), "{text}");
    assert!(text.contains("jwt_configuration.alg = RS256"), "{text}");

    // Runs that fail at the client's PATCH (a 5xx on every try) upload no key.
    for _ in 0..2 {
        fake.inject_on("PATCH", &format!("/api/v2/clients/{oin_id}"), Fault::ServerError(503), 3);
        let out = deploy(&fake, &dir, &["--apply", "--max-retries", "2"]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert!(stderr(&out).contains("(after 3 attempts)"), "{}", stderr(&out));
        assert!(stderr(&out).contains("3 times"), "{}", stderr(&out));
        assert!(fake.with(|t| t.setup_snapshot())["credentials"].get(&oin_id).is_none(), "no key uploaded");
    }

    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let setup = fake.with(|t| t.setup_snapshot());
    let client = setup["clients"].as_array().unwrap().iter().find(|c| c["client_id"] == json!(oin_id)).unwrap().clone();
    assert_eq!(client["oidc_conformant"], true);
    assert_eq!(client["organization_require_behavior"], "post_login_prompt");
    assert_eq!(client["callbacks"], json!(["https://system-admin.okta.com/admin/app/generic/oauth20redirect"]));
    assert_eq!(client["grant_types"], json!(["implicit", "authorization_code", "client_credentials"]));
    assert_eq!(client["jwt_configuration"], json!({ "alg": "RS256", "lifetime_in_seconds": 36000 }));
    assert_eq!(setup["credentials"][&oin_id].as_array().unwrap().len(), 1, "one key, attached");

    fake.clear_log();
    let again = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&again);
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert!(stdout(&again).contains("= OIN client `Okta OIN Integration Client`"), "{}", stdout(&again));

    // A new key from the Okta wizard: uploaded and attached in place of the old one.
    std::fs::write(dir.join("okta-public-key.pem"), other_pem()).unwrap();
    fake.clear_log();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let w = writes(&fake);
    assert_eq!(w, [format!("POST /api/v2/clients/{oin_id}/credentials"), format!("PATCH /api/v2/clients/{oin_id}")]);
    let setup = fake.with(|t| t.setup_snapshot());
    let client = setup["clients"].as_array().unwrap().iter().find(|c| c["client_id"] == json!(oin_id)).unwrap().clone();
    let attached =
        client["client_authentication_methods"]["private_key_jwt"]["credentials"].as_array().unwrap().clone();
    let stored = setup["credentials"][&oin_id].as_array().unwrap().clone();
    assert_eq!(attached, [json!({ "id": stored[1]["id"] })], "the new key replaces the old one");
    assert_eq!(stored[1]["kid"], deploy::express::key_id(&other_pem()));
    fake.clear_log();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(writes(&fake), Vec::<String>::new());
}

#[test]
fn every_kind_of_create_survives_a_5xx_and_a_lost_answer_without_duplicates() {
    for recipe in [OKTA, "recipe = \"auth0\"\nsp_client_id = \"svc_1\"\npublic_key = \"okta-public-key.pem\"\n"] {
        let fake = fake();
        let (_tmp, dir) = project("\"last\"");
        with_setup(&dir, recipe, Some(PEM));
        // A lost answer (the create landed, the answer is a 502) on every other kind, a plain
        // 503 (nothing happened) on the rest.
        fake.inject_on("POST", "/api/v2/actions/actions", Fault::ServerErrorAfter(502), 1);
        fake.inject_on("POST", "/api/v2/resource-servers", Fault::ServerError(503), 1);
        fake.inject_on("POST", "/api/v2/roles", Fault::ServerErrorAfter(502), 1);
        fake.inject_on("POST", "/api/v2/clients", Fault::ServerError(503), 1);
        fake.inject_on("POST", "/api/v2/clients", Fault::ServerErrorAfter(502), 1);
        fake.inject_on("POST", "/api/v2/clients/", Fault::ServerErrorAfter(502), 1);
        fake.inject_on("POST", "/api/v2/client-grants", Fault::ServerErrorAfter(502), 1);
        let out = deploy(&fake, &dir, &["--apply"]);
        assert_ok(&out);
        let err = stderr(&out);
        assert!(err.contains("not there on a second look, creating again"), "{err}");
        // Every fault hit its create (the auth0 recipe makes no grant of its own).
        assert!(recipe != OKTA || fake.faults_used(), "{recipe}: a create was never tried");
        let setup = fake.with(|t| t.setup_snapshot());
        for list in ["resource_servers", "roles", "clients", "client_grants"] {
            assert_eq!(setup[list].as_array().unwrap().len(), 1, "{recipe}: one of {list}: {}", setup[list]);
        }
        let client = setup["clients"][0]["client_id"].as_str().unwrap();
        assert_eq!(setup["credentials"][client].as_array().unwrap().len(), 1, "{recipe}: one key");
        assert!(fake.with(|t| t.action(NAME)).is_some());
        let actions =
            fake.requests().iter().filter(|r| r.method == "POST" && r.path == "/api/v2/actions/actions").count();
        assert_eq!(actions, 1, "the lost create was found, not repeated");

        fake.clear_log();
        assert_ok(&deploy(&fake, &dir, &["--apply"]));
        assert_eq!(writes(&fake), Vec::<String>::new(), "{recipe}");
    }
}

#[test]
fn the_saas_apps_express_configuration_is_set_with_named_profiles_and_kept_in_step() {
    let fake = fake();
    let (sp, uap, cop) = fake.with(|t| {
        t.add_user_attribute_profile("Someone else's profile");
        (
            t.add_client("Acme SaaS"),
            t.add_user_attribute_profile("Default User Attribute Profile"),
            t.add_connection_profile("Default Connection Profile"),
        )
    });
    let (_tmp, dir) = project("\"last\"");
    let table = format!(
        "recipe = \"auth0\"\n\n[express_configuration.saas_app]\nclient_id = \"{sp}\"\n\
         initiate_login_uri_template = \"https://{{organization_name}}.app.example.com/login?connection={{connection_name}}\"\n\
         admin_login_domain = \"login.example.com\"\n\
         user_attribute_profile = \"Default User Attribute Profile\"\n\
         connection_profile = \"Default Connection Profile\"\n"
    );
    with_setup(&dir, &table, None);
    let plan = deploy(&fake, &dir, &["--plan"]);
    assert_ok(&plan);
    assert!(
        stdout(&plan).contains(&format!("~ update SaaS app `{sp}` express_configuration: initiate_login_uri_template")),
        "{}",
        stdout(&plan)
    );
    assert_eq!(writes(&fake), Vec::<String>::new());

    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let setup = fake.with(|t| t.setup_snapshot());
    let clients = setup["clients"].as_array().unwrap();
    let oin = clients.iter().find(|c| c["name"] == "Okta OIN Integration Client").expect("the OIN client");
    let saas = clients.iter().find(|c| c["client_id"] == json!(sp)).expect("the SaaS app");
    assert_eq!(
        saas["express_configuration"],
        json!({
            "initiate_login_uri_template": "https://{organization_name}.app.example.com/login?connection={connection_name}",
            "user_attribute_profile_id": uap,
            "connection_profile_id": cop,
            "enable_client": true,
            "enable_organization": true,
            "okta_oin_client_id": oin["client_id"],
            "admin_login_domain": "login.example.com",
        })
    );
    let again = deploy(&fake, &dir, &["--plan"]);
    assert!(stdout(&again).contains(&format!("= SaaS app `{sp}` express_configuration")), "{}", stdout(&again));

    // A profile that is not on the tenant: a clear error naming what is there, before any write.
    let table = table.replace("Default Connection Profile\"", "Typo Profile\"");
    let (_tmp2, dir2) = project("\"last\"");
    with_setup(&dir2, &table, None);
    let out = deploy(&fake, &dir2, &["--plan"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("no connection profile named `Typo Profile` on the tenant"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Default Connection Profile"), "{}", stderr(&out));
}

#[test]
fn the_saas_app_table_belongs_to_the_auth0_recipe() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(
        &dir,
        "recipe = \"okta\"\nsp_client_id = \"svc\"\n\n[express_configuration.saas_app]\nclient_id = \"svc\"\n\
         initiate_login_uri_template = \"https://x.example.com\"\nadmin_login_domain = \"x\"\n\
         user_attribute_profile = \"a\"\nconnection_profile = \"b\"\n",
        None,
    );
    let out = deploy(&fake, &dir, &["--plan"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("`[express_configuration.saas_app]` belongs to the auth0 recipe"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_plan_needs_read_scopes_only_and_no_secret_values_and_is_typed_json() {
    let read_only: Vec<String> =
        fake_tenant::FakeConfig::ALL_SCOPES.iter().filter(|s| s.starts_with("read:")).map(|s| s.to_string()).collect();
    let fake = FakeTenant::start(fake_tenant::FakeConfig { scopes: read_only, ..Default::default() }).unwrap();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some(PEM));
    let out = crate::deploy::deploy_with(&fake, &dir, &["--plan", "--format", "json", "--detailed-exitcode"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(fake.writes().is_empty());
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(plan["changes"], true);
    assert_eq!(plan["action"]["deploy"], "draft_changes");
    let setup = plan["express_configuration"].as_array().unwrap();
    assert_eq!(
        setup[0],
        json!({ "kind": "resource_server", "id": "https://system.okta.com/actions/express-configure/v1", "action": "create", "changes": [] })
    );
    let kinds: Vec<(&str, &str)> =
        setup.iter().map(|c| (c["kind"].as_str().unwrap(), c["action"].as_str().unwrap())).collect();
    assert_eq!(
        kinds,
        [
            ("resource_server", "create"),
            ("role", "create"),
            ("role_permissions", "update"),
            ("client", "create"),
            ("client_credential", "create"),
            ("client_grant", "create"),
            ("tenant_settings", "update"),
        ]
    );
    assert_eq!(
        setup[6]["changes"],
        json!([{ "field": "flags.use_scope_descriptions_for_consent", "from": null, "to": true }])
    );
}

/// One step of the CI recipe in docs/deploy.md: its command, its condition and its environment.
#[derive(Debug, Default)]
struct CiStep {
    run: String,
    condition: Option<String>,
    env: Vec<(String, String)>,
}

/// The steps of the first YAML block of docs/deploy.md's CI section, read as GitHub Actions
/// would: `- run:` starts a step, `if:` and `env:` belong to it; comments are dropped.
fn documented_ci_steps() -> Vec<CiStep> {
    let doc = std::fs::read_to_string(crate::util::root().join("docs/deploy.md")).unwrap();
    let section = &doc[doc.find("## 5. CI").expect("a CI section")..];
    let yaml = section.split("```yaml").nth(1).and_then(|b| b.split("```").next()).expect("a YAML block");
    let mut steps: Vec<CiStep> = Vec::new();
    for line in yaml.lines() {
        let line = line.split(" #").next().unwrap().trim_end();
        let trimmed = line.trim();
        if let Some(run) = trimmed.strip_prefix("- run:") {
            steps.push(CiStep { run: run.trim().to_string(), ..CiStep::default() });
        } else if let (Some(step), Some(condition)) = (steps.last_mut(), trimmed.strip_prefix("if:")) {
            step.condition = Some(condition.trim().to_string());
        } else if let (Some(step), Some((key, value))) = (steps.last_mut(), trimmed.split_once(": ")) {
            if line.starts_with("    ") && trimmed != "env:" {
                step.env.push((key.to_string(), value.trim().to_string()));
            }
        }
    }
    steps
}

#[test]
fn ci_recipe_in_docs_works_as_written() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some(PEM));
    let steps = documented_ci_steps();
    assert_eq!(steps.len(), 3, "{steps:?}");
    // What the repository's variables and secrets hold: the fake tenant's.
    let value_of = |expression: &str| -> String {
        let name = expression.trim_start_matches("${{").trim_end_matches("}}").trim();
        match name.rsplit('.').next().unwrap() {
            "AUTH0_DOMAIN" => fake.base_url().to_string(),
            "AUTH0_CLIENT_ID" | "AUTH0_PLAN_CLIENT_ID" => "fake-client-id".into(),
            "AUTH0_CLIENT_SECRET" | "AUTH0_PLAN_CLIENT_SECRET" => "fake-client-secret".into(),
            secret => crate::deploy::SECRETS.iter().find(|(n, _)| *n == secret).expect("a known secret").1.into(),
        }
    };
    let run_event = |event: &str| -> Vec<Output> {
        let mut outputs = Vec::new();
        for step in &steps {
            let runs = match step.condition.as_deref() {
                None => true,
                Some(c) if c.contains("pull_request") => event == "pull_request",
                Some(c) if c.contains("refs/heads/main") => event == "main",
                Some(other) => panic!("unknown condition {other}"),
            };
            if !runs {
                continue;
            }
            let words: Vec<&str> = step.run.split_whitespace().collect();
            assert_eq!(words[0], "actionkit", "{}", step.run);
            let mut command = actionkit();
            command.current_dir(&dir).args(&words[1..]).env("ACTIONKIT_POLL_MS", "5");
            for var in
                ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_ACCESS_TOKEN", "AUTH0_API_TOKEN"]
            {
                command.env_remove(var);
            }
            for (name, _) in crate::deploy::SECRETS {
                command.env_remove(name);
            }
            for (key, value) in &step.env {
                command.env(key, value_of(value));
            }
            let out = command.output().unwrap();
            assert!(out.status.success(), "`{}` on {event} failed:\n{}\n{}", step.run, stdout(&out), stderr(&out));
            outputs.push(out);
        }
        outputs
    };

    let pr = run_event("pull_request");
    assert_eq!(pr.len(), 2);
    assert!(stdout(&pr[1]).contains("+ create OIN client"), "{}", stdout(&pr[1]));
    assert!(fake.writes().is_empty(), "a pull request writes nothing");
    let main = run_event("main");
    assert_eq!(main.len(), 2);
    assert!(fake.with(|t| t.action(NAME)).is_some_and(|a| a["deployed_version"]["deployed"] == true));
    fake.clear_log();
    run_event("main");
    assert_eq!(writes(&fake), Vec::<String>::new(), "main again: nothing to write");
}

/// Doctor's checks as `(name, status)`, from its JSON.
fn doctor_statuses(
    fake: &FakeTenant,
    dir: &Path,
    args: &[&str],
) -> (Option<i32>, Vec<(String, String)>, serde_json::Value) {
    let out = doctor(fake, dir, &[args, &["--format", "json", "--max-retries", "0"]].concat());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let checks = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["status"].as_str().unwrap().to_string()))
        .collect();
    (out.status.code(), checks, report)
}

/// Breaks one prerequisite on the tenant.
type BreakIt<'a> = Box<dyn Fn() + 'a>;

#[test]
fn each_doctor_check_fails_on_its_own_and_deploy_repairs_it() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some(PEM));
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    fake.with(|t| {
        t.add_organization("acme", None, &["auth0|admin", "auth0|member"]);
        t.assign_role("auth0|admin", Some("acme"), "EXPRESS_CONFIGURE_ADMIN_ROLE");
        t.assign_role("auth0|outsider", None, "EXPRESS_CONFIGURE_ADMIN_ROLE");
    });
    let admin = ["--user", "auth0|admin", "--organization", "acme"];
    let (code, checks, _) = doctor_statuses(&fake, &dir, &admin);
    let names: Vec<&str> = checks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "resource server",
            "role permissions",
            "role assigned",
            "organization membership",
            "OIN client",
            "client grant",
            "tenant flag",
            "Action deployed and bound"
        ],
        "the Okta recipe has no home realm discovery"
    );
    assert!(checks.iter().all(|(_, s)| s == "ok"), "{checks:?}");
    assert_eq!(code, Some(0));

    let only_missing = |args: &[&str], name: &str| {
        let (code, checks, report) = doctor_statuses(&fake, &dir, args);
        assert_eq!(code, Some(1), "{name}: {report}");
        let missing: Vec<&str> = checks.iter().filter(|(_, s)| s != "ok").map(|(n, _)| n.as_str()).collect();
        assert_eq!(missing, [name], "{report}");
    };
    let api = api(&fake);
    let oin_id = fake.with(|t| t.setup_snapshot())["clients"][0]["client_id"].as_str().unwrap().to_string();
    let grant_id = fake.with(|t| t.setup_snapshot())["client_grants"][0]["id"].as_str().unwrap().to_string();
    let breaks: Vec<(&str, BreakIt)> = vec![
        (
            "resource server",
            Box::new(|| {
                api.patch(
                    "/resource-servers/https%3A%2F%2Fsystem.okta.com%2Factions%2Fexpress-configure%2Fv1",
                    &json!({ "scopes": [] }),
                )
                .unwrap();
            }),
        ),
        ("role permissions", Box::new(|| fake.with(|t| t.clear_role_permissions("EXPRESS_CONFIGURE_ADMIN_ROLE")))),
        (
            "OIN client",
            Box::new(|| {
                api.patch(&format!("/clients/{oin_id}"), &json!({ "organization_usage": "allow" })).unwrap();
            }),
        ),
        (
            "client grant",
            Box::new(|| {
                api.patch(&format!("/client-grants/{grant_id}"), &json!({ "scope": ["read:connections"] })).unwrap();
            }),
        ),
        (
            "tenant flag",
            Box::new(|| {
                api.patch("/tenants/settings", &json!({ "flags": { "use_scope_descriptions_for_consent": false } }))
                    .unwrap();
            }),
        ),
        (
            "Action deployed and bound",
            Box::new(|| {
                api.patch("/actions/triggers/post-login/bindings", &json!({ "bindings": [] })).unwrap();
            }),
        ),
    ];
    for (name, break_it) in &breaks {
        break_it();
        only_missing(&admin, name);
        // deploy repairs it, and then has nothing left to do.
        assert_ok(&deploy(&fake, &dir, &["--apply"]));
        fake.clear_log();
        assert_ok(&deploy(&fake, &dir, &["--apply"]));
        assert_eq!(writes(&fake), Vec::<String>::new(), "after repairing {name}");
    }
    // The admin's side: a member without the role, a role holder outside the organization.
    only_missing(&["--user", "auth0|member", "--organization", "acme"], "role assigned");
    only_missing(&["--user", "auth0|outsider", "--organization", "acme"], "organization membership");

    // An endpoint that cannot be read is one `unknown` check, with the reason; the rest still run.
    fake.inject_on("GET", "/api/v2/tenants/settings", Fault::ServerError(404), 1);
    let (code, checks, report) = doctor_statuses(&fake, &dir, &admin);
    assert_eq!(code, Some(1), "fail closed: {report}");
    let not_ok: Vec<(&str, &str)> =
        checks.iter().filter(|(_, s)| s != "ok").map(|(n, s)| (n.as_str(), s.as_str())).collect();
    assert_eq!(not_ok, [("tenant flag", "unknown")], "{report}");
    assert!(report["checks"][6]["detail"].as_str().unwrap().contains("404"), "{report}");
}

#[test]
fn doctor_names_the_scope_an_unreadable_check_needs() {
    let scopes: Vec<String> =
        fake_tenant::FakeConfig::ALL_SCOPES.iter().filter(|s| **s != "read:prompts").map(|s| s.to_string()).collect();
    let fake = FakeTenant::start(fake_tenant::FakeConfig { scopes, ..Default::default() }).unwrap();
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"auth0\"\n", None);
    let (code, checks, report) = doctor_statuses(&fake, &dir, &[]);
    assert_eq!(code, Some(1));
    let hrd = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "home realm discovery").unwrap();
    assert_eq!(hrd["status"], "unknown", "{report}");
    assert_eq!(hrd["missing_scope"], "read:prompts", "{report}");
    assert_eq!(report["unknown"], 1);
    // The others still ran: on an empty tenant they are missing, not unknown.
    assert!(checks.iter().any(|(n, s)| n == "resource server" && s == "missing"), "{checks:?}");
}

#[test]
fn destroy_unbinds_keeps_foreign_bindings_in_order_and_deletes_what_deploy_made() {
    let fake = fake();
    let (audit, risk) = fake.with(|t| {
        let audit = t.seed_action("audit-log");
        let risk = t.seed_action("risk-score");
        t.seed_bindings("post-login", &[&audit, &risk]);
        (audit, risk)
    });
    let (_tmp, dir) = project("{ after = \"audit-log\" }");
    with_setup(&dir, OKTA, Some(PEM));
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(fake.with(|t| t.flow("post-login")), ["audit-log", NAME, "risk-score"]);

    fake.clear_log();
    let plan = deploy(&fake, &dir, &["--destroy", "--plan"]);
    assert_ok(&plan);
    let text = stdout(&plan);
    assert!(
        text.contains(&format!(
            "~ unbind from the post-login flow: [audit-log, {NAME}, risk-score] -> [audit-log, risk-score]"
        )),
        "{text}"
    );
    for kind in ["action", "client grant", "client", "role", "resource server"] {
        assert!(text.contains(&format!("- delete {kind} `")), "{kind}: {text}");
    }
    assert!(text.contains("= keep tenant flag"), "{text}");
    assert_eq!(writes(&fake), Vec::<String>::new(), "a destroy plan writes nothing");

    let out = deploy(&fake, &dir, &["--destroy", "--apply"]);
    assert_ok(&out);
    assert_eq!(fake.with(|t| t.flow("post-login")), ["audit-log", "risk-score"], "foreign bindings kept, in order");
    assert!(fake.with(|t| t.action(NAME)).is_none());
    assert!(fake.with(|t| t.action("audit-log")).is_some() && fake.with(|t| t.action("risk-score")).is_some());
    let setup = fake.with(|t| t.setup_snapshot());
    for list in ["resource_servers", "roles", "clients", "client_grants"] {
        assert_eq!(setup[list].as_array().unwrap().len(), 0, "{list}: {}", setup[list]);
    }
    assert_eq!(setup["settings"]["flags"]["use_scope_descriptions_for_consent"], true, "tenant-wide: kept");
    let _ = (audit, risk);

    fake.clear_log();
    let again = deploy(&fake, &dir, &["--destroy", "--apply"]);
    assert_ok(&again);
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert!(stdout(&again).contains("nothing on the tenant to remove"), "{}", stdout(&again));
}

#[test]
fn named_environments_pick_their_own_values_per_tenant() {
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, OKTA, Some(PEM));
    let manifest = dir.join("actionkit.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        format!(
            "{text}\n[environments.staging]\nsp_client_id = \"stg_1\"\nsecrets_env_file = \".env.staging\"\nbinding = \"first\"\n\n\
             [environments.prod]\nsp_client_id = \"prod_1\"\n"
        ),
    )
    .unwrap();
    let values: String = crate::deploy::SECRETS.iter().map(|(n, v)| format!("{n}={v}\n")).collect();
    std::fs::write(dir.join(".env.staging"), values).unwrap();

    let (staging, prod) = (fake(), fake());
    for t in [&staging, &prod] {
        t.with(|t| {
            let audit = t.seed_action("audit-log");
            t.seed_bindings("post-login", &[&audit]);
        });
    }
    // Staging: its secrets file (no value in the environment), its position, its sp_client_id.
    assert_ok(&crate::deploy::deploy_with(&staging, &dir, &["--apply", "--env", "staging"], &[]));
    assert_eq!(staging.with(|t| t.flow("post-login")), [NAME, "audit-log"]);
    let sp = |t: &FakeTenant| {
        t.with(|t| t.setup_snapshot())["clients"][0]["client_metadata"]["express_configure_sp_client_id"].clone()
    };
    assert_eq!(sp(&staging), "stg_1");
    // Prod: the manifest's own binding, its sp_client_id.
    assert_ok(&deploy(&prod, &dir, &["--apply", "--env", "prod"]));
    assert_eq!(prod.with(|t| t.flow("post-login")), ["audit-log", NAME]);
    assert_eq!(sp(&prod), "prod_1");

    staging.clear_log();
    assert_ok(&crate::deploy::deploy_with(&staging, &dir, &["--apply", "--env", "staging"], &[]));
    assert_eq!(writes(&staging), Vec::<String>::new());
    // Doctor reads the same environment.
    let out = doctor(&staging, &dir, &["--env", "staging"]);
    assert!(stdout(&out).contains("ok      OIN client"), "{}", stdout(&out));
    let out = doctor(&staging, &dir, &["--env", "prod"]);
    assert!(stdout(&out).contains("express_configure_sp_client_id is not `prod_1`"), "{}", stdout(&out));

    let out = deploy(&prod, &dir, &["--plan", "--env", "qa"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("no environment `qa`") && stderr(&out).contains("prod, staging"), "{}", stderr(&out));
}

#[test]
fn an_oin_client_of_the_wrong_type_for_auth0s_recipe_stops_before_any_setup_write() {
    let fake = fake();
    fake.with(|t| t.seed_client(json!({ "name": "Okta OIN Integration Client", "app_type": "regular_web" })));
    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"auth0\"\n", None);
    let plan = deploy(&fake, &dir, &["--plan"]);
    assert_eq!(plan.status.code(), Some(2));
    assert!(stderr(&plan).contains("is of type `regular_web`"), "{}", stderr(&plan));
    assert!(stderr(&plan).contains("rename or delete"), "{}", stderr(&plan));
    assert_eq!(writes(&fake), Vec::<String>::new(), "refused at plan time: nothing written");
}
