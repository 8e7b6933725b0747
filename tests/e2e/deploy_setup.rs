//! The Express Configuration setup of `actionkit deploy` (`[express_configuration]`) and
//! `actionkit doctor`, against the fake Management API.

use std::path::Path;
use std::process::Output;

use fake_tenant::FakeTenant;
use serde_json::json;

use crate::deploy::{assert_ok, deploy, fake, project, stderr, stdout, writes};
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
    actionkit()
        .arg("doctor")
        .arg(dir)
        .args(args)
        .env("AUTH0_DOMAIN", fake.base_url())
        .env("AUTH0_CLIENT_ID", "fake-client-id")
        .env("AUTH0_CLIENT_SECRET", "fake-client-secret")
        .env_remove("AUTH0_ACCESS_TOKEN")
        .output()
        .unwrap()
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
    assert!(stderr(&out).contains("6 passed, 0 skipped"), "{}", stderr(&out));

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

#[test]
fn an_existing_setup_is_extended_never_trimmed() {
    use deploy::client::Idempotent;
    use deploy::{Client, ClientConfig, Credentials, Secret};

    let fake = fake();
    // Someone set parts up by hand, with extras of their own.
    let api = Client::new(
        ClientConfig::for_domain(fake.base_url()).unwrap(),
        Credentials::ClientCredentials {
            client_id: "fake-client-id".into(),
            client_secret: Secret::new("fake-client-secret"),
        },
    )
    .unwrap();
    let audience = format!("{}/api/v2/", fake.base_url());
    api.post(
        "/resource-servers",
        &json!({ "name": "EC", "identifier": "urn:auth0:express-configure", "scopes": [{ "value": "read:reports" }] }),
        Idempotent::No,
    )
    .unwrap();
    let oin = api
        .post("/clients", &json!({ "name": "Okta OIN Integration Client", "organization_usage": "allow", "client_metadata": { "tier": "gold" } }), Idempotent::No)
        .unwrap();
    let oin_id = oin["client_id"].as_str().unwrap();
    api.post(
        "/client-grants",
        &json!({ "client_id": oin_id, "audience": audience, "scope": ["read:users", "read:connections"] }),
        Idempotent::No,
    )
    .unwrap();

    let (_tmp, dir) = project("\"last\"");
    with_setup(&dir, "recipe = \"auth0\"\nsp_client_id = \"svc_9\"\npublic_key = \"okta-public-key.pem\"\n", Some(PEM));
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&out);
    let plan = stdout(&out);
    assert!(plan.contains("~ update resource server `urn:auth0:express-configure`: +scope express_configure:sso, +scope express_configure:scim"), "{plan}");
    assert!(plan.contains("~ update OIN client `Okta OIN Integration Client`: organization_usage = require"), "{plan}");

    let setup = fake.with(|t| t.setup_snapshot());
    let scopes: Vec<&str> = setup["resource_servers"][0]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["value"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["read:reports", "express_configure:sso", "express_configure:scim"]);
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
