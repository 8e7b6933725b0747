//! The tenant a command talks to, shared by `deploy` and `doctor`: the connection flags, the
//! credentials (from the environment only) and the Management API client built from them, and
//! how a tenant error ends the command.

use std::time::Duration;

use clap::Args;
use deploy::{Client, ClientConfig, Credentials, DeployError, RetryPolicy, Secret, SigningAlgorithm};

use crate::printer::Printer;
use crate::CommandError;

/// The environment variables tenant commands read, for their `--help`.
pub const CREDENTIALS_HELP: &str = "\
Credentials (from the environment only, never flags):
  AUTH0_DOMAIN         the tenant, e.g. my-tenant.eu.auth0.com (or --domain)
  AUTH0_CLIENT_ID      a machine-to-machine application's id (scopes: docs/deploy.md)
  AUTH0_CLIENT_SECRET  and its secret, or instead (Private Key JWT):
  AUTH0_CLIENT_SIGNING_KEY_PATH  its PEM private key; AUTH0_CLIENT_SIGNING_ALG  RS256 (default), RS384, PS256
  AUTH0_ACCESS_TOKEN   or a Management API token instead of the two above
  AUTH0_AUDIENCE       the Management API audience with a custom domain (or --audience)";

/// A deploy error as the command's error: settings caught before any request are input errors
/// (exit 2), everything the tenant or the network did is a tenant error (exit 3).
pub fn command_error(err: DeployError) -> CommandError {
    match err {
        DeployError::Config { .. } => CommandError::input(err),
        _ => CommandError::tenant(err),
    }
}

/// The tenant to talk to (shared by `deploy` and `doctor`). Credentials come from the
/// environment only.
#[derive(Debug, Args)]
#[command(next_help_heading = "Tenant")]
pub struct TenantArgs {
    /// The manifest's `[environments.NAME]` values to use (secrets file, binding,
    /// `sp_client_id`): one tenant of several.
    #[arg(long = "env", env = "ACTIONKIT_ENV", value_name = "NAME")]
    pub environment: Option<String>,
    /// The tenant: `my-tenant.eu.auth0.com` (or `http://127.0.0.1:PORT` for a local fake).
    #[arg(long, env = "AUTH0_DOMAIN", value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// The Management API audience, if not `https://DOMAIN/api/v2/` (custom domains).
    #[arg(long, env = "AUTH0_AUDIENCE", value_name = "URL")]
    pub audience: Option<String>,
    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, env = "ACTIONKIT_HTTP_TIMEOUT")]
    pub http_timeout: u64,
    /// Retries of one request on 429, 5xx or timeout.
    #[arg(long, value_name = "NUM", default_value_t = 8, env = "ACTIONKIT_MAX_RETRIES")]
    pub max_retries: u32,
    /// First retry backoff in milliseconds (tests make it small).
    #[arg(long, hide = true, default_value_t = 500, env = "ACTIONKIT_RETRY_BASE_MS")]
    pub retry_base_ms: u64,
    /// Longest retry wait in milliseconds, whatever the server asks (tests make it small).
    #[arg(long, hide = true, default_value_t = 30_000, env = "ACTIONKIT_RETRY_MAX_MS")]
    pub retry_max_ms: u64,
}

/// A client for the tenant of `args`, credentials from the environment. Makes no request.
///
/// # Errors
///
/// [`DeployError::Config`] if the domain or the credentials are missing or malformed.
pub fn client(args: &TenantArgs, printer: &Printer) -> Result<Client, DeployError> {
    let Some(domain) = args.domain.as_deref().filter(|d| !d.trim().is_empty()) else {
        return Err(config_error(
            "no Auth0 tenant given",
            "set AUTH0_DOMAIN (e.g. `my-tenant.eu.auth0.com`) or pass --domain",
        ));
    };
    let mut config = ClientConfig::for_domain(domain)?;
    if let Some(audience) = &args.audience {
        config.audience = audience.clone();
    }
    config.timeout = Duration::from_secs(args.http_timeout.max(1));
    config.retry = RetryPolicy {
        max_retries: args.max_retries,
        base_delay: Duration::from_millis(args.retry_base_ms),
        max_delay: Duration::from_millis(args.retry_max_ms),
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let token = env("AUTH0_ACCESS_TOKEN").or_else(|| env("AUTH0_API_TOKEN"));
    let credentials = match (token, env("AUTH0_CLIENT_ID"), env("AUTH0_CLIENT_SECRET"), env("AUTH0_CLIENT_SIGNING_KEY_PATH")) {
        (Some(token), ..) => Credentials::Token(Secret::new(token)),
        (None, Some(client_id), _, Some(path)) => {
            let key = std::fs::read_to_string(&path).map_err(|e| {
                config_error(
                    &format!("cannot read the client signing key `{path}`: {e}"),
                    "AUTH0_CLIENT_SIGNING_KEY_PATH must name the application's PEM private key",
                )
            })?;
            let algorithm = SigningAlgorithm::parse(env("AUTH0_CLIENT_SIGNING_ALG").as_deref().unwrap_or("RS256"))?;
            Credentials::PrivateKeyJwt { client_id, signing_key: Secret::new(key), algorithm }
        }
        (None, Some(client_id), Some(secret), None) => Credentials::ClientCredentials { client_id, client_secret: Secret::new(secret) },
        _ => {
            return Err(config_error(
                "no Management API credentials",
                "set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_CLIENT_SIGNING_KEY_PATH) of a machine-to-machine application (see docs/deploy.md), or AUTH0_ACCESS_TOKEN",
            ))
        }
    };
    let printer = *printer;
    Ok(Client::new(config, credentials)?.on_retry(move |note| printer.warn(note)))
}

/// The manifest as the environment of `args` (`--env NAME`) sees it.
///
/// # Errors
///
/// [`manifest::ManifestError::Environment`] for an unknown environment.
pub fn for_environment(
    manifest: manifest::Manifest,
    args: &TenantArgs,
) -> Result<manifest::Manifest, manifest::ManifestError> {
    match &args.environment {
        Some(name) => manifest.for_environment(name),
        None => Ok(manifest),
    }
}

fn config_error(message: &str, help: &str) -> DeployError {
    DeployError::Config { message: message.into(), help: help.into() }
}
