//! `actionkit deploy`: putting the generated Action live on an Auth0 tenant, safely and
//! repeatably, through the Management API v2; plus the Express Configuration setup around it
//! and `actionkit doctor`.
//!
//! Owns: every conversation with the Management API (endpoints, request and answer shapes,
//! pagination, percent-encoding, retries, Auth0's error answers) and what a tenant must look
//! like for the Action and Express Configuration. Must not depend on `policy`, `codegen` or
//! `harness`: it deploys the Action code it is handed, whatever made it. Its tests and the
//! CLI's run against the `fake-tenant` crate (a dev-dependency only).
//!
//! Modules, each depending only on those listed after it:
//!
//! | module | what it is |
//! |---|---|
//! | [`destroy`] | `--destroy`: unbind (foreign bindings kept), then delete what deploy made |
//! | [`doctor`] | the `oauth_error` 403 prerequisites, checked read-only |
//! | [`express`] | the `[express_configuration]` setup: plan and apply on one code path |
//! | [`apply`](mod@apply) | carrying out a [`Plan`]: write, build, deploy, bind, read back |
//! | [`plan`](mod@plan) | the pure plan of the Action: desired + [`Live`] + secret values |
//! | `live` | [`read_live`]: the Action with our name and the trigger's flow |
//! | [`resources`] | one module per Management API resource: paths, shapes, list/find/create/update, pagination, encoding |
//! | [`client`] | HTTP: token, JSON, retries, typed errors |
//! | `secrets` | [`Secret`] (never printed) and [`SecretValues`] (environment, env file) |
//! | `error` | [`DeployError`] |
//!
//! The Action's pipeline is [`read_live`] → [`plan()`] (pure: desired + live + secret values →
//! [`Plan`]) → [`apply()`]. Apply writes only what the plan says changes: the Action is created
//! or PATCHed field by field (secrets only when new names appear or `--rotate-secrets` asks,
//! never `secrets: []`), the build is polled until `built`, a deploy happens only when the
//! draft has undeployed changes, and the post-login flow is read, extended with our Action at
//! the manifest's position (every foreign binding kept in its order) and read back. A second
//! apply with nothing changed makes no write.
//!
//! The [`client`] retries 429s (honouring `Retry-After` / `X-RateLimit-Reset`), 5xx and
//! timeouts, and its errors ([`DeployError`]) name the failed request with Auth0's
//! `error`/`message`/`errorCode`. Secret values and tokens are wrapped in [`Secret`], which
//! never prints them.
//!
//! ```no_run
//! use deploy::{self, Client, ClientConfig, Credentials, Desired, Secret, SecretValues, TriggerRef};
//! use manifest::Binding;
//! let client = Client::new(
//!     ClientConfig::for_domain("my-tenant.eu.auth0.com")?,
//!     Credentials::Token(Secret::new("eyJ...")),
//! )?;
//! let desired = Desired {
//!     name: "ec-post-login".into(),
//!     code: "exports.onExecutePostLogin = async () => {};".into(),
//!     runtime: "node22".into(),
//!     trigger: TriggerRef { id: "post-login".into(), version: "v3".into() },
//!     secret_names: vec![],
//!     position: Binding::Last,
//!     dependencies: vec![],
//! };
//! let live = deploy::read_live(&client, &desired.name, &desired.trigger.id)?;
//! let values = SecretValues::default();
//! let plan = deploy::plan(&desired, &live, &values, deploy::PlanOptions::default())?;
//! println!("{plan}");
//! deploy::apply(&client, &desired, &plan, &values, deploy::PollPolicy::default(), &|_, _| {})?;
//! # Ok::<(), deploy::DeployError>(())
//! ```

pub mod apply;
pub mod client;
pub mod destroy;
pub mod doctor;
mod error;
pub mod express;
mod live;
pub mod plan;
pub mod resources;
mod secrets;

pub use apply::{apply, plan_rollback, rollback, ApplyReport, PollPolicy, RollbackPlan};
pub use client::{Client, ClientConfig, Credentials, RetryPolicy, SigningAlgorithm};
pub use error::DeployError;
pub use live::{read_live, Live};
pub use plan::{plan, Desired, Plan, PlanOptions};
pub use resources::actions::{Dependency, TriggerRef};
pub use secrets::{Secret, SecretValues};
