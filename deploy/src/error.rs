//! Why a deploy step failed. Every variant says which request or step failed, keeps the HTTP
//! status and Auth0's `errorCode` when there was a response, and knows whether retrying the same
//! request could help. No variant holds a secret value or a token, so `Display` and `Debug` are
//! safe to print and log.

use std::time::Duration;

use miette::Diagnostic;

/// A failed Management API call or deploy step.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum DeployError {
    /// The tenant answered with an error status.
    #[error("{request} failed: {status} {error}: {message}{}{}", code_suffix(error_code.as_deref()), attempts_suffix(*attempts))]
    #[diagnostic(code("deploy::api"), help("{}", api_help(*status, error_code.as_deref(), *attempts)))]
    Api {
        /// The request: method and path, e.g. `PATCH /api/v2/actions/actions/ID` (our query
        /// strings never hold secrets).
        request: String,
        /// The HTTP status.
        status: u16,
        /// Auth0's `error` (the status text), or the OAuth `error` of the token endpoint.
        error: String,
        /// Auth0's `message` (or the OAuth `error_description`).
        message: String,
        /// Auth0's `errorCode`, when given.
        error_code: Option<String>,
        /// How many times the request was sent (1 when it was not repeated).
        attempts: u32,
    },
    /// The request did not get an answer (connection refused, DNS, TLS, timeout).
    #[error("{request} failed: {reason}{}", attempts_suffix(*attempts))]
    #[diagnostic(
        code("deploy::transport"),
        help("check `--domain` / AUTH0_DOMAIN (e.g. `my-tenant.eu.auth0.com`) and the network")
    )]
    Transport {
        /// The request: method and URL.
        request: String,
        /// What went wrong.
        reason: String,
        /// Whether the request timed out (retrying may help) rather than failing to connect.
        timed_out: bool,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The tenant answered with something that is not the JSON we expected.
    #[error("{request}: unexpected response: {reason}")]
    #[diagnostic(
        code("deploy::response"),
        help("is `--domain` an Auth0 tenant? actionkit talks to https://DOMAIN/api/v2")
    )]
    Response {
        /// The request: method and path.
        request: String,
        /// What was wrong with the body.
        reason: String,
    },
    /// Deploy settings are missing or invalid (caught before any request).
    #[error("{message}")]
    #[diagnostic(code("deploy::config"), help("{help}"))]
    Config {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// The Action's draft failed to build on Auth0.
    #[error("the draft of Action `{action}` failed to build on Auth0 (build status `failed`); nothing was deployed")]
    #[diagnostic(
        code("deploy::build-failed"),
        help("Auth0 gives no reason for failed builds; the usual cause is an npm dependency that cannot be installed. Check the Action in the dashboard (Actions > Library > {action}), fix it, and run `actionkit deploy --apply` again")
    )]
    BuildFailed {
        /// The Action name.
        action: String,
    },
    /// Waiting for a build, a deploy or a binding change took too long.
    #[error("timed out after {}s waiting for {what}", after.as_secs())]
    #[diagnostic(
        code("deploy::timeout"),
        help("Auth0 builds can take minutes (its builder gives up after 5); raise `--build-timeout` and run `actionkit deploy --apply` again: it picks up where this run stopped")
    )]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long we waited.
        after: Duration,
    },
    /// The tenant changed between the plan and the apply: planning again gave another plan.
    #[error("{what} changed on the tenant since the plan was made; nothing was written")]
    #[diagnostic(
        code("deploy::changed"),
        help("someone (or another deploy) wrote in between; run `actionkit deploy --plan` to see the new plan, then apply again")
    )]
    Changed {
        /// What changed.
        what: String,
    },
    /// The live bindings after our PATCH are not what we sent: someone else wrote in between.
    #[error("the post-login bindings changed while deploying: expected {expected:?}, found {found:?}")]
    #[diagnostic(
        code("deploy::binding-race"),
        help("another deploy ran at the same time; run `actionkit deploy --plan` to see the flow, then apply again")
    )]
    BindingRace {
        /// Action names in the order we sent.
        expected: Vec<String>,
        /// Action names in the order read back.
        found: Vec<String>,
    },
}

impl DeployError {
    /// Whether sending the same request again could succeed: rate limits, server errors and
    /// timeouts. Client errors (bad input, credentials, scopes, conflicts) will fail again.
    pub fn is_retryable(&self) -> bool {
        match self {
            DeployError::Api { status, .. } => *status == 429 || *status >= 500,
            DeployError::Transport { timed_out, .. } => *timed_out,
            DeployError::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The HTTP status, when the tenant answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            DeployError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Auth0's `errorCode`, when given.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            DeployError::Api { error_code, .. } => error_code.as_deref(),
            _ => None,
        }
    }

    /// The same error, saying it is the last of `attempts` tries of the request.
    pub(crate) fn after_attempts(mut self, total: u32) -> DeployError {
        match &mut self {
            DeployError::Api { attempts, .. } | DeployError::Transport { attempts, .. } => *attempts = total,
            _ => {}
        }
        self
    }

    /// How many times the failed request was sent, when it was sent at all.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            DeployError::Api { attempts, .. } | DeployError::Transport { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    pub(crate) fn config(message: impl Into<String>, help: impl Into<String>) -> DeployError {
        DeployError::Config { message: message.into(), help: help.into() }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn code_suffix(code: Option<&str>) -> String {
    code.map(|c| format!(" (errorCode `{c}`)")).unwrap_or_default()
}

fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

fn api_help(status: u16, code: Option<&str>, attempts: u32) -> String {
    match (status, code) {
        (401, _) => "the credentials were refused: check AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET (or that AUTH0_ACCESS_TOKEN has not expired) and that the application is authorized for the Management API".into(),
        (403, Some("feature_not_enabled")) => "Actions are not enabled on this tenant".into(),
        (403, _) => "the machine-to-machine application lacks a scope: grant it the scopes listed in docs/deploy.md (Applications > APIs > Auth0 Management API > Machine to Machine Applications)".into(),
        (409, _) => "the tenant already has a conflicting object; run `actionkit deploy --plan` to see the live state".into(),
        (429, _) => format!("the tenant's rate limit was still exhausted after {attempts} attempt{}; run again later or raise ACTIONKIT_MAX_RETRIES", plural(attempts)),
        (300..=399, _) => "the server answered with a redirect: `--domain` / AUTH0_DOMAIN must be the tenant's Auth0 domain (for a custom domain, also set AUTH0_AUDIENCE to https://TENANT.auth0.com/api/v2/)".into(),
        (s, _) if s >= 500 => format!("Auth0 answered with a server error {attempts} time{}; check https://status.auth0.com and run again (apply is safe to re-run)", plural(attempts)),
        _ => "the request was rejected; this is likely a bug in actionkit if the manifest is valid, please report it with this message".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_keep_status_code_and_say_if_retryable() {
        let err = DeployError::Api {
            request: "PATCH /api/v2/actions/actions/a1".into(),
            status: 429,
            error: "Too Many Requests".into(),
            message: "Global limit has been reached".into(),
            error_code: Some("too_many_requests".into()),
            attempts: 1,
        };
        assert_eq!(
            err.to_string(),
            "PATCH /api/v2/actions/actions/a1 failed: 429 Too Many Requests: Global limit has been reached (errorCode `too_many_requests`)"
        );
        assert!(err.is_retryable());
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.error_code(), Some("too_many_requests"));
        let bad = DeployError::Api {
            request: "POST /p".into(),
            status: 400,
            error: "Bad Request".into(),
            message: "x".into(),
            error_code: None,
            attempts: 1,
        };
        assert!(!bad.is_retryable());
        assert_eq!(bad.to_string(), "POST /p failed: 400 Bad Request: x");
        let tried = DeployError::Api {
            request: "POST /api/v2/roles".into(),
            status: 503,
            error: "Service Unavailable".into(),
            message: "Internal error".into(),
            error_code: None,
            attempts: 1,
        }
        .after_attempts(4);
        assert_eq!(
            tried.to_string(),
            "POST /api/v2/roles failed: 503 Service Unavailable: Internal error (after 4 attempts)"
        );
        assert!(api_help(503, None, 4).contains("4 times"), "{}", api_help(503, None, 4));
        assert!(api_help(503, None, 1).contains("1 time;"));
        assert!(std::mem::size_of::<DeployError>() <= 128, "keep Result<_, DeployError> small");
    }
}
