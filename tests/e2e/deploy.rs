//! `actionkit deploy` against the in-process fake Management API (codegen's `fake-tenant`):
//! first apply, zero-write second apply, foreign bindings kept, policy changes, failed builds,
//! 429/5xx storms, bad input, and no secret in any output.

use std::path::{Path, PathBuf};
use std::process::Output;

use fake_tenant::{FakeConfig, FakeTenant, Fault};

use crate::util::{actionkit, copy_dir, root};

const EXAMPLE: &str = "okta-express-configure";
pub(crate) const NAME: &str = "express_configure_postlogin_action";
pub(crate) const SECRETS: [(&str, &str); 2] = [
    ("TENANT_DOMAIN", "https://sekrit-tenant-9x7.example"),
    ("SERVICE_INIT_LOGIN_URL", "https://sekrit-login-4q2.example/in"),
];
const CLIENT_SECRET: &str = "fake-client-secret";

/// A copy of the example project, with `binding = "last"` replaced by `binding`.
pub(crate) fn project(binding: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = root().join("examples").join(EXAMPLE);
    let dir = tmp.path().join(EXAMPLE);
    copy_dir(&src, &dir);
    let manifest = dir.join("actionkit.toml");
    let text =
        std::fs::read_to_string(&manifest).unwrap().replace("binding = \"last\"", &format!("binding = {binding}"));
    std::fs::write(&manifest, text).unwrap();
    (tmp, dir)
}

pub(crate) fn fake() -> FakeTenant {
    FakeTenant::start(FakeConfig::default()).expect("the fake tenant starts")
}

/// Runs `actionkit deploy PROJECT ARGS` against `fake` with fast retries and polls, and checks
/// that no secret value, client secret or token appears in its output.
pub(crate) fn deploy_with(fake: &FakeTenant, project: &Path, args: &[&str], secrets: &[(&str, &str)]) -> Output {
    let mut command = actionkit();
    crate::util::against_fake(command.arg("deploy").arg(project).args(args), fake)
        .env("ACTIONKIT_RETRY_BASE_MS", "5")
        .env("ACTIONKIT_RETRY_MAX_MS", "25")
        .env("ACTIONKIT_POLL_MS", "5")
        .env("ACTIONKIT_BUILD_TIMEOUT", "20")
        .env("ACTIONKIT_HTTP_TIMEOUT", "5");
    for var in ["AUTH0_ACCESS_TOKEN", "AUTH0_API_TOKEN", "AUTH0_AUDIENCE", "TENANT_DOMAIN", "SERVICE_INIT_LOGIN_URL"] {
        command.env_remove(var);
    }
    for (name, value) in secrets {
        command.env(name, value);
    }
    let output = command.output().expect("actionkit runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    for (_, value) in SECRETS {
        assert!(!text.contains(value), "a secret value was printed:\n{text}");
    }
    assert!(!text.contains(CLIENT_SECRET) && !text.contains("fake-token-"), "a credential was printed:\n{text}");
    output
}

pub(crate) fn deploy(fake: &FakeTenant, project: &Path, args: &[&str]) -> Output {
    deploy_with(fake, project, args, &SECRETS)
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn assert_ok(o: &Output) {
    assert!(o.status.success(), "deploy failed ({:?}):\n{}\n{}", o.status.code(), stdout(o), stderr(o));
}

/// The writes as `METHOD path` lines, with ids replaced so they read stably.
pub(crate) fn writes(fake: &FakeTenant) -> Vec<String> {
    fake.writes()
        .iter()
        .map(|r| {
            let path =
                r.path.split('/').map(|s| if s.contains("-fake-") { "{id}" } else { s }).collect::<Vec<_>>().join("/");
            format!("{} {path}", r.method)
        })
        .collect()
}

fn deployed_number(fake: &FakeTenant) -> u64 {
    let action = fake.with(|t| t.action(NAME)).expect("the Action exists");
    assert_eq!(action["deployed_version"]["deployed"], true, "{action}");
    action["deployed_version"]["number"].as_u64().unwrap()
}

#[test]
fn first_apply_creates_builds_deploys_and_binds_and_a_second_apply_writes_nothing() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    let first = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&first);
    assert_eq!(
        writes(&fake),
        [
            "POST /api/v2/actions/actions",
            "POST /api/v2/actions/actions/{id}/deploy",
            "PATCH /api/v2/actions/triggers/post-login/bindings"
        ]
    );
    assert!(stdout(&first).contains("+ create"), "{}", stdout(&first));
    assert_eq!(deployed_number(&fake), 1);
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME]);
    // The values were sent (so the no-secret-in-output checks are not vacuous).
    let mut stored = fake.with(|t| t.secret_values(NAME));
    stored.sort();
    assert_eq!(
        stored,
        [("SERVICE_INIT_LOGIN_URL".into(), SECRETS[1].1.into()), ("TENANT_DOMAIN".into(), SECRETS[0].1.into())]
    );

    // Nothing changed: no write at all, and no secret values needed.
    fake.clear_log();
    let second = deploy_with(&fake, &dir, &["--apply"], &[]);
    assert_ok(&second);
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert!(stdout(&second).contains("= unchanged") && stderr(&second).contains("Up to date"), "{}", stdout(&second));
    assert_eq!(deployed_number(&fake), 1);
    assert_eq!(fake.with(|t| t.secret_values(NAME)).len(), 2, "secrets kept");
}

#[test]
fn plan_is_the_default_off_a_terminal_and_changes_nothing() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    for args in [&["--plan"][..], &["--dry-run"][..], &[][..]] {
        let out = deploy(&fake, &dir, args);
        assert_ok(&out);
        let plan = stdout(&out);
        assert!(
            plan.contains("+ create") && plan.contains("+TENANT_DOMAIN") && plan.contains("deploy: new version"),
            "{plan}"
        );
        assert!(stderr(&out).contains("actionkit deploy --apply"), "{}", stderr(&out));
    }
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert!(fake.with(|t| t.action(NAME)).is_none());
}

#[test]
fn foreign_bindings_before_and_after_ours_survive() {
    let fake = fake();
    fake.with(|t| {
        let audit = t.seed_action("audit-log");
        let risk = t.seed_action("risk-score");
        t.seed_bindings("post-login", &[&audit, &risk]);
    });
    let (_tmp, dir) = project("{ after = \"audit-log\" }");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(fake.with(|t| t.flow("post-login")), ["audit-log", NAME, "risk-score"]);
    // The PATCH re-sent both foreign bindings by action id, in order.
    let patch = fake.writes().into_iter().find(|r| r.path.ends_with("/bindings")).expect("a bindings PATCH");
    let refs: Vec<&str> =
        patch.body["bindings"].as_array().unwrap().iter().map(|b| b["ref"]["type"].as_str().unwrap()).collect();
    assert_eq!(refs, ["action_id"; 3]);

    fake.clear_log();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(writes(&fake), Vec::<String>::new());
    assert_eq!(fake.with(|t| t.flow("post-login")), ["audit-log", NAME, "risk-score"]);
}

#[test]
fn only_authoritative_drops_foreign_bindings() {
    let fake = fake();
    fake.with(|t| {
        let audit = t.seed_action("audit-log");
        t.seed_bindings("post-login", &[&audit]);
    });
    let (_tmp, dir) = project("\"first\"");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME, "audit-log"]);
    let out = deploy(&fake, &dir, &["--apply", "--authoritative"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("- audit-log  (unbound: --authoritative)"), "{}", stdout(&out));
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME]);
}

#[test]
fn a_changed_policy_updates_only_the_code_builds_deploys_and_keeps_bindings() {
    let fake = fake();
    fake.with(|t| {
        let audit = t.seed_action("audit-log");
        t.seed_bindings("post-login", &[&audit]);
    });
    let (_tmp, dir) = project("\"last\"");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let policy = dir.join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, format!("{text}\n# reviewed: a change that changes the generated header\n")).unwrap();

    fake.clear_log();
    let out = deploy_with(&fake, &dir, &["--apply"], &[]);
    assert_ok(&out);
    assert!(stdout(&out).contains("~ update") && stdout(&out).contains("code:"), "{}", stdout(&out));
    assert_eq!(writes(&fake), ["PATCH /api/v2/actions/actions/{id}", "POST /api/v2/actions/actions/{id}/deploy"]);
    let patch = &fake.writes()[0];
    let keys: Vec<&String> = patch.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code"], "only the changed field is sent, never `secrets`");
    assert_eq!(deployed_number(&fake), 2);
    assert_eq!(fake.with(|t| t.flow("post-login")), ["audit-log", NAME]);
    assert_eq!(fake.with(|t| t.secret_values(NAME)).len(), 2, "secrets kept");
}

#[test]
fn a_failed_build_stops_before_deploy_with_the_hint() {
    let fake = fake();
    fake.with(|t| t.set_fail_builds(true));
    let (_tmp, dir) = project("\"last\"");
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("failed to build") && err.contains("nothing was deployed") && err.contains("dependency"),
        "{err}"
    );
    assert_eq!(writes(&fake), ["POST /api/v2/actions/actions"], "no deploy, no binding");
    assert_eq!(fake.with(|t| t.flow("post-login")), Vec::<String>::new());

    // Once builds work again, the next apply re-submits the draft and finishes the job.
    fake.with(|t| t.set_fail_builds(false));
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(deployed_number(&fake), 1);
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME]);
}

#[test]
fn rate_limit_storms_and_server_errors_are_ridden_out() {
    let fake = FakeTenant::start(FakeConfig { rate_limit: Some((3, 40)), ..FakeConfig::default() }).unwrap();
    fake.inject(Fault::TooManyRequests { retry_after: 1 }, 4);
    fake.inject(Fault::ServerError(503), 2);
    let (_tmp, dir) = project("\"last\"");
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&out);
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 4, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 503).count(), 2, "{statuses:?}");
    assert!(stderr(&out).contains("429 Too Many Requests") && stderr(&out).contains("retrying"), "{}", stderr(&out));
    assert_eq!(deployed_number(&fake), 1);
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME]);
    // The storm did not make anything happen twice.
    let creates = fake.writes().iter().filter(|r| r.path == "/api/v2/actions/actions" && r.status == 201).count();
    assert_eq!(creates, 1);
}

#[test]
fn slow_responses_time_out_and_are_retried() {
    let fake = fake();
    fake.inject(Fault::Slow(std::time::Duration::from_millis(1500)), 1);
    let (_tmp, dir) = project("\"last\"");
    let out = deploy(&fake, &dir, &["--plan", "--http-timeout", "1"]);
    assert_ok(&out);
    assert!(stderr(&out).contains("POST") && stderr(&out).contains("timed out"), "{}", stderr(&out));
    assert!(stdout(&out).contains("+ create"));
}

#[test]
fn a_5xx_on_create_is_not_blindly_repeated() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    // Token, find action, bindings page: then the create gets a 500.
    let out = deploy(&fake, &dir, &["--plan"]);
    assert_ok(&out);
    let reads = fake.requests().len();
    fake.clear_log();
    fake.inject(Fault::Slow(std::time::Duration::ZERO), reads);
    fake.inject(Fault::ServerError(500), 1);
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let requests = fake.requests();
    let failed = requests.iter().position(|r| r.status == 500).expect("the injected 500");
    assert_eq!(requests[failed].path, "/api/v2/actions/actions");
    // The Action is looked up again before a second create.
    assert_eq!(requests[failed + 1].method, "GET");
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME]);
}

#[test]
fn bad_input_fails_clearly_before_any_write() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");

    let out = deploy_with(&fake, &dir, &["--apply"], &[SECRETS[0]]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no value for secret SERVICE_INIT_LOGIN_URL"), "{}", stderr(&out));

    let mut bad_credentials = actionkit();
    bad_credentials.args(["deploy", "--apply"]).arg(&dir).env("AUTH0_DOMAIN", fake.base_url());
    bad_credentials
        .env("AUTH0_CLIENT_ID", "fake-client-id")
        .env("AUTH0_CLIENT_SECRET", "wrong")
        .env_remove("AUTH0_ACCESS_TOKEN");
    let out = bad_credentials.output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("POST /oauth/token failed: 401 access_denied: Unauthorized")
            && err.contains("AUTH0_CLIENT_SECRET"),
        "{err}"
    );
    assert!(!err.contains("wrong"), "{err}");

    let out = actionkit()
        .args(["deploy", "--apply"])
        .arg(&dir)
        .env("AUTH0_DOMAIN", fake.base_url())
        .env("AUTH0_ACCESS_TOKEN", "not-a-token")
        .output()
        .unwrap();
    assert!(stderr(&out).contains("401 Unauthorized: Invalid token."), "{}", stderr(&out));

    // Exit 3 when the tenant cannot be reached, 2 when the domain itself is wrong.
    for (domain, expected, exit) in [
        ("http://127.0.0.1:1", "could not connect", 3),
        ("http://tenant.example.com", "plain http://", 2),
        ("tenant.example.com/api/v2", "without a path", 2),
    ] {
        let mut command = actionkit();
        command.args(["deploy", "--apply"]).arg(&dir).env("AUTH0_DOMAIN", domain).env("AUTH0_ACCESS_TOKEN", "t");
        command.env("ACTIONKIT_RETRY_BASE_MS", "5");
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(exit), "{domain}");
        assert!(stderr(&out).contains(expected), "{domain}: {}", stderr(&out));
    }

    let out = actionkit().args(["deploy", "--apply"]).arg(&dir).env_remove("AUTH0_DOMAIN").output().unwrap();
    assert!(stderr(&out).contains("no Auth0 tenant given"), "{}", stderr(&out));

    assert_eq!(writes(&fake), Vec::<String>::new());
}

/// Ids, hashes, sizes and the port vary; the words and layout must not.
fn redact(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let words: Vec<String> = line
            .split(' ')
            .map(|w| {
                if w.contains("-fake-") {
                    let keep = |c: char| matches!(c, '(' | ')' | ',' | ':' | '`');
                    let lead: String = w.chars().take_while(|c| keep(*c)).collect();
                    let tail: String =
                        w.chars().rev().take_while(|c| keep(*c)).collect::<Vec<_>>().into_iter().rev().collect();
                    format!("{lead}[id]{tail}")
                } else if w.len() == 8 && w.bytes().all(|b| b.is_ascii_hexdigit()) {
                    "[sha]".into()
                } else if w.parse::<u64>().is_ok_and(|n| n > 1000) {
                    "[size]".into()
                } else {
                    w.to_string()
                }
            })
            .collect();
        out.push_str(words.join(" ").trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn plan_and_apply_output() {
    let fake = fake();
    fake.with(|t| {
        let audit = t.seed_action("audit-log");
        t.seed_bindings("post-login", &[&audit]);
    });
    let (_tmp, dir) = project("\"first\"");
    let plan = deploy(&fake, &dir, &["--plan"]);
    let apply = deploy(&fake, &dir, &["--apply"]);
    let again = deploy(&fake, &dir, &["--apply"]);
    let text = [&plan, &apply, &again]
        .iter()
        .zip(["--plan", "--apply", "--apply again"])
        .map(|(o, what)| {
            format!("## {what}: exit {:?}\n### stdout\n{}### stderr\n{}", o.status.code(), stdout(o), stderr(o))
        })
        .collect::<String>();
    insta::assert_snapshot!(redact(&text));
}

#[test]
fn a_missing_scope_names_the_scope_and_the_fix() {
    let fake = FakeTenant::start(FakeConfig { scopes: vec!["read:actions".into()], ..FakeConfig::default() }).unwrap();
    let (_tmp, dir) = project("\"last\"");
    // Planning needs only `read:actions`.
    assert_ok(&deploy(&fake, &dir, &["--plan"]));
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("POST /api/v2/actions/actions failed: 403 Forbidden: Insufficient scope"), "{err}");
    assert!(err.contains("create:actions"), "{err}");
    assert!(err.contains("errorCode `insufficient_scope`") && err.contains("lacks a scope"), "{err}");
    // Not retried: a 403 cannot succeed on a second try.
    assert_eq!(fake.writes().len(), 1);
}

#[test]
fn a_build_that_never_finishes_times_out_and_a_rerun_resumes() {
    let fake = FakeTenant::start(FakeConfig { build_polls: 100_000, ..FakeConfig::default() }).unwrap();
    let (_tmp, dir) = project("\"last\"");
    let out = deploy(&fake, &dir, &["--apply", "--build-timeout", "1"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("waiting for the build of Action"), "{}", stderr(&out));
    assert_eq!(writes(&fake), ["POST /api/v2/actions/actions"]);

    // The next run finds the Action (no second create) and, with the build done, deploys it.
    fake.with(|t| t.finish_builds());
    fake.clear_log();
    assert_ok(&deploy_with(&fake, &dir, &["--apply"], &[]));
    assert_eq!(
        writes(&fake),
        ["POST /api/v2/actions/actions/{id}/deploy", "PATCH /api/v2/actions/triggers/post-login/bindings"]
    );
}

#[test]
fn secrets_are_sent_only_when_new_names_appear_or_on_rotate() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));

    // --rotate-secrets: the only way to change a value (Auth0 cannot show the old one).
    fake.clear_log();
    let rotated = [("TENANT_DOMAIN", "https://rotated-sekrit-1.example"), SECRETS[1]];
    let out = deploy_with(&fake, &dir, &["--apply", "--rotate-secrets"], &rotated);
    assert_ok(&out);
    assert!(!stdout(&out).contains("rotated-sekrit"), "{}", stdout(&out));
    let patch = &fake.writes()[0];
    assert_eq!(patch.body.as_object().unwrap().keys().collect::<Vec<_>>(), ["secrets"]);
    assert!(fake.with(|t| t.secret_values(NAME)).contains(&("TENANT_DOMAIN".into(), rotated[0].1.into())));
    assert_eq!(deployed_number(&fake), 2, "a secrets change is a draft change: deployed");

    // The policy starts reading a new secret name: the list is re-sent, and the name it no
    // longer reads would be erased, so its value is required too (or the run stops). (The
    // example's fixtures name the old secret, so its tests fail: shipping anyway is on purpose.)
    let policy = dir.join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("\"TENANT_DOMAIN\"", "\"TENANT_DOMAIN_V2\"")).unwrap();
    fake.clear_log();
    let out = deploy_with(
        &fake,
        &dir,
        &["--apply", "--allow-failing-tests"],
        &[("TENANT_DOMAIN_V2", "https://v2.example"), SECRETS[1]],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("would erase") && stderr(&out).contains("TENANT_DOMAIN"), "{}", stderr(&out));
    assert_eq!(writes(&fake), Vec::<String>::new());

    let all = [("TENANT_DOMAIN_V2", "https://v2.example"), SECRETS[0], SECRETS[1]];
    assert_ok(&deploy_with(&fake, &dir, &["--apply", "--allow-failing-tests"], &all));
    let mut names: Vec<String> = fake.with(|t| t.secret_values(NAME)).into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(names, ["SERVICE_INIT_LOGIN_URL", "TENANT_DOMAIN", "TENANT_DOMAIN_V2"]);
}

#[test]
fn the_plan_as_json() {
    let fake = fake();
    fake.with(|t| {
        let audit = t.seed_action("audit-log");
        t.seed_bindings("post-login", &[&audit]);
    });
    let (_tmp, dir) = project("\"first\"");
    let out = deploy(&fake, &dir, &["--plan", "--format", "json"]);
    assert_ok(&out);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    assert_eq!(plan["changes"], true);
    assert_eq!(plan["action"]["action"]["kind"], "create");
    assert_eq!(plan["action"]["secrets"]["kind"], "send");
    let flow: Vec<&str> = plan["action"]["bindings"]["after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action_name"].as_str().unwrap())
        .collect();
    assert_eq!(flow, [NAME, "audit-log"]);
    assert!(plan["express_configuration"].is_null());
}

#[test]
fn an_action_without_secrets_is_created_without_a_secrets_key() {
    let fake = fake();
    let project = crate::util::root().join("examples/express-configure");
    let out = deploy(&fake, &project, &["--apply"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("secrets: none"), "{}", stdout(&out));
    let create = fake.writes().into_iter().find(|r| r.path == "/api/v2/actions/actions").expect("a create");
    assert!(create.body.get("secrets").is_none(), "{}", create.body);
}

#[test]
fn detailed_exit_codes_are_terraforms() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    // Changes present, and no secret value at hand (a pull-request job): 2, nothing written.
    let out = deploy_with(&fake, &dir, &["--plan", "--detailed-exitcode"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("+ create"), "{}", stdout(&out));
    assert!(fake.writes().is_empty());
    // Without the flag a plan with changes is a success.
    assert_ok(&deploy_with(&fake, &dir, &["--plan"], &[]));

    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let out = deploy_with(&fake, &dir, &["--plan", "--detailed-exitcode"], &[]);
    assert_eq!(out.status.code(), Some(0), "no changes: {}", stderr(&out));

    // An error is 1, never 2 (which would read as "changes present").
    let out = deploy_with(&fake, &dir, &["--plan", "--detailed-exitcode", "--domain", "http://example.com"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Terraform has it for plans only.
    let out = deploy(&fake, &dir, &["--apply", "--detailed-exitcode"]);
    assert_eq!(out.status.code(), Some(2), "a usage error: {}", stderr(&out));
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
}

#[test]
fn rollback_puts_an_earlier_versions_code_live_and_the_next_apply_ships_the_project_again() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let v1_code = fake.with(|t| t.action(NAME)).unwrap()["code"].clone();
    let policy = dir.join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, format!("{text}\n# reviewed: a change that changes the generated header\n")).unwrap();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    assert_eq!(deployed_number(&fake), 2);

    fake.clear_log();
    let plan = deploy(&fake, &dir, &["--rollback", "1", "--plan", "--detailed-exitcode"]);
    assert_eq!(plan.status.code(), Some(2), "{}", stderr(&plan));
    assert!(stdout(&plan).contains("~ roll back from version 2 to the code of version 1"), "{}", stdout(&plan));
    assert_eq!(writes(&fake), Vec::<String>::new());

    let out = deploy(&fake, &dir, &["--rollback", "1", "--apply"]);
    assert_ok(&out);
    assert_eq!(writes(&fake), ["POST /api/v2/actions/actions/{id}/versions/{id}/deploy"]);
    assert_eq!(deployed_number(&fake), 3);
    assert_eq!(fake.with(|t| t.action(NAME)).unwrap()["deployed_version"]["code"], v1_code);
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME], "still bound");

    fake.clear_log();
    let again = deploy(&fake, &dir, &["--rollback", "1", "--apply"]);
    assert_ok(&again);
    assert_eq!(writes(&fake), Vec::<String>::new(), "version 1's code is already live");

    let missing = deploy(&fake, &dir, &["--rollback", "9", "--plan"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("has no version 9") && stderr(&missing).contains("3, 2, 1"),
        "{}",
        stderr(&missing)
    );

    // The project is the source of truth: the next apply deploys its code again.
    fake.clear_log();
    let forward = deploy_with(&fake, &dir, &["--apply"], &[]);
    assert_ok(&forward);
    assert!(
        stdout(&forward).contains("deploy: new version (the draft has undeployed changes)"),
        "{}",
        stdout(&forward)
    );
    assert_eq!(deployed_number(&fake), 4);
}

#[test]
fn a_secret_the_policy_no_longer_reads_is_kept_until_retired_explicitly() {
    use deploy::{Client, ClientConfig, Credentials, Secret};
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    // A secret the policy stopped reading (or someone added): three on the tenant.
    let api = Client::new(
        ClientConfig::for_domain(fake.base_url()).unwrap(),
        Credentials::ClientCredentials {
            client_id: "fake-client-id".into(),
            client_secret: Secret::new(CLIENT_SECRET),
        },
    )
    .unwrap();
    let id = fake.with(|t| t.action(NAME)).unwrap()["id"].as_str().unwrap().to_string();
    let mut secrets: Vec<serde_json::Value> =
        SECRETS.iter().map(|(n, v)| serde_json::json!({ "name": n, "value": v })).collect();
    secrets.push(serde_json::json!({ "name": "OLD_API_KEY", "value": "old" }));
    api.patch(&format!("/actions/actions/{id}"), &serde_json::json!({ "secrets": secrets })).unwrap();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));

    fake.clear_log();
    let out = deploy(&fake, &dir, &["--apply"]);
    assert_ok(&out);
    assert_eq!(writes(&fake), Vec::<String>::new(), "kept without the flag");

    let out = deploy(&fake, &dir, &["--apply", "--retire-secrets"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("-OLD_API_KEY] (--retire-secrets"), "{}", stdout(&out));
    let names: Vec<String> = fake.with(|t| t.secret_values(NAME)).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!names.contains(&"OLD_API_KEY".to_string()));

    fake.clear_log();
    assert_ok(&deploy(&fake, &dir, &["--apply", "--retire-secrets"]));
    assert_eq!(writes(&fake), Vec::<String>::new(), "nothing left to retire");
}

#[test]
fn npm_dependencies_in_the_manifest_are_sent_with_the_action_and_kept_in_step() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    let manifest = dir.join("actionkit.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let with_deps = |deps: &str| text.replacen("[action]\n", &format!("[action]\ndependencies = {{ {deps} }}\n"), 1);
    std::fs::write(&manifest, with_deps("\"jose\" = \"5.9.6\"")).unwrap();
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let create =
        fake.requests().into_iter().find(|r| r.method == "POST" && r.path == "/api/v2/actions/actions").unwrap();
    assert_eq!(create.body["dependencies"], serde_json::json!([{ "name": "jose", "version": "5.9.6" }]));
    fake.clear_log();
    assert_ok(&deploy_with(&fake, &dir, &["--apply"], &[]));
    assert_eq!(writes(&fake), Vec::<String>::new());

    // A new version and a new package: the draft's dependencies are replaced, nothing else.
    std::fs::write(&manifest, with_deps("\"jose\" = \"6.0.0\", \"axios\" = \"1.7.9\"")).unwrap();
    fake.clear_log();
    let out = deploy_with(&fake, &dir, &["--apply"], &[]);
    assert_ok(&out);
    assert!(stdout(&out).contains("dependencies: [jose@5.9.6] -> [axios@1.7.9, jose@6.0.0]"), "{}", stdout(&out));
    let patch = &fake.writes()[0];
    let keys: Vec<&String> = patch.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["dependencies"]);
    fake.clear_log();
    assert_ok(&deploy_with(&fake, &dir, &["--apply"], &[]));
    assert_eq!(writes(&fake), Vec::<String>::new());
}

#[test]
fn a_change_between_plan_and_apply_stops_the_apply_before_any_write() {
    let fake = fake();
    let (_tmp, dir) = project("\"last\"");
    assert_ok(&deploy(&fake, &dir, &["--apply"]));
    let policy = dir.join("policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, format!("{text}\n# reviewed: a change that changes the generated header\n")).unwrap();
    fake.clear_log();
    assert_ok(&deploy_with(&fake, &dir, &["--plan"], &[]));
    let reads = fake.requests().len();
    fake.clear_log();
    // Someone binds another Action right after the plan was read.
    let ours = fake.with(|t| t.action(NAME)).unwrap()["id"].as_str().unwrap().to_string();
    fake.after_requests(reads, move |t| {
        let late = t.seed_action("late-arrival");
        t.seed_bindings("post-login", &[&ours, &late]);
    });
    let out = deploy_with(&fake, &dir, &["--apply"], &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("deploy::changed"), "{}", stderr(&out));
    assert_eq!(writes(&fake), Vec::<String>::new());
    // Run again: the new plan keeps the late arrival.
    assert_ok(&deploy_with(&fake, &dir, &["--apply"], &[]));
    assert_eq!(fake.with(|t| t.flow("post-login")), [NAME, "late-arrival"]);
}

/// `actionkit deploy` authenticating with Private Key JWT (deploy-cli's variable names): the fake
/// checks each client assertion's signature, issuer, subject, audience and expiry.
fn deploy_with_key(fake: &FakeTenant, project: &Path, key: Option<&Path>, client_id: &str, alg: &str) -> Output {
    let mut command = actionkit();
    command
        .arg("deploy")
        .arg(project)
        .arg("--plan")
        .env("AUTH0_DOMAIN", fake.base_url())
        .env("AUTH0_CLIENT_ID", client_id)
        .env("AUTH0_CLIENT_SIGNING_ALG", alg)
        .env("ACTIONKIT_RETRY_BASE_MS", "5")
        .env("ACTIONKIT_RETRY_MAX_MS", "25");
    if let Some(key) = key {
        command.env("AUTH0_CLIENT_SIGNING_KEY_PATH", key);
    }
    for var in ["AUTH0_ACCESS_TOKEN", "AUTH0_API_TOKEN", "AUTH0_AUDIENCE", "AUTH0_CLIENT_SECRET"] {
        command.env_remove(var);
    }
    command.output().expect("actionkit runs")
}

#[test]
fn private_key_jwt_authenticates_without_a_client_secret() {
    let (_tmp, dir) = project("\"last\"");
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("signing-key.pem");
    std::fs::write(&key, FakeConfig::CLIENT_SIGNING_KEY_PEM).unwrap();

    let fake = fake();
    for alg in ["RS256", "RS384", "PS256"] {
        let out = deploy_with_key(&fake, &dir, Some(&key), "fake-client-id", alg);
        assert_eq!(out.status.code(), Some(0), "{alg}: {}", stderr(&out));
        assert!(!stderr(&out).contains("PRIVATE KEY") && !stdout(&out).contains("PRIVATE KEY"));
    }
    // Another application's id: the assertion's issuer does not match, 401, a tenant error.
    let out = deploy_with_key(&fake, &dir, Some(&key), "someone-else", "RS256");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // A tenant that has no public key for the application refuses the assertion.
    let unregistered = FakeTenant::start(FakeConfig { client_public_key_pem: None, ..FakeConfig::default() }).unwrap();
    let out = deploy_with_key(&unregistered, &dir, Some(&key), "fake-client-id", "RS256");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(unregistered.writes().len(), 0);
    // Bad local input is caught before any request: exit 2.
    let not_a_key = keys.path().join("not-a-key.pem");
    std::fs::write(&not_a_key, "hello").unwrap();
    let out = deploy_with_key(&fake, &dir, Some(&not_a_key), "fake-client-id", "RS256");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a usable RSA private key"), "{}", stderr(&out));
    let out = deploy_with_key(&fake, &dir, Some(&key), "fake-client-id", "HS256");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = deploy_with_key(&fake, &dir, Some(&keys.path().join("missing.pem")), "fake-client-id", "RS256");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
