//! `actionkit deploy`: putting the generated Action live on an Auth0 tenant, safely and
//! repeatably, through the Management API v2.
//!
//! The pipeline is [`read_live`] → [`plan()`] (pure: desired + live + secret values → [`Plan`])
//! → [`apply()`]. Apply writes only what the plan says changes: the Action is created or
//! PATCHed field by field (secrets only when new names appear or `--rotate-secrets` asks, never
//! `secrets: []`), the build is polled until `built`, a deploy happens only when the draft has
//! undeployed changes, and the post-login flow is read, extended with our Action at the
//! manifest's position (every foreign binding kept in its order) and read back. A second apply
//! with nothing changed makes no write.
//!
//! The [`client`] retries 429s (honouring `Retry-After` / `X-RateLimit-Reset`), 5xx and
//! timeouts, and its errors ([`DeployError`]) name the failed request with Auth0's
//! `error`/`message`/`errorCode`. Secret values and tokens are wrapped in [`Secret`], which
//! never prints them.
//!
//! Owns: every conversation with the Management API (endpoints, pagination, retries, Auth0's
//! error answers) and what a tenant must look like for the Action and Express Configuration.
//! Must not depend on the policy compiler, the renderer or the harness: it deploys the Action
//! code it is handed. Its tests and the CLI's run against the `fake-tenant` crate.
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
pub mod doctor;
mod error;
pub mod express;
pub mod model;
pub mod plan;
mod secrets;

pub use apply::{apply, ApplyReport, PollPolicy};
pub use client::{Client, ClientConfig, Credentials, RetryPolicy};
pub use error::DeployError;
pub use model::{read_live, Live, TriggerRef};
pub use plan::{plan, Desired, Plan, PlanOptions};
pub use secrets::{Secret, SecretValues};
