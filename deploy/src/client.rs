//! A small blocking client for the Auth0 Management API v2: token by client credentials (or a
//! given token), JSON in and out, retries with backoff on 429 (honouring `Retry-After` and
//! `X-RateLimit-Reset`), 5xx and timeouts, and errors that carry Auth0's `error`/`message` and
//! the request that failed. Tokens and secret values never reach an error, a log or `Debug`.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::{Client as Http, Response};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::{json, Value};

use super::{DeployError, Secret};

/// How the client authenticates.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A machine-to-machine application: `AUTH0_CLIENT_ID` + `AUTH0_CLIENT_SECRET`.
    ClientCredentials {
        /// The application's client id (not secret).
        client_id: String,
        /// The application's client secret.
        client_secret: Secret,
    },
    /// A machine-to-machine application authenticating with a private key (Private Key JWT):
    /// `AUTH0_CLIENT_ID` + `AUTH0_CLIENT_SIGNING_KEY_PATH` (deploy-cli's names). No shared secret
    /// leaves the machine: each token request carries a short-lived assertion signed with the key.
    PrivateKeyJwt {
        /// The application's client id (not secret).
        client_id: String,
        /// The PEM private key whose public half is registered on the application.
        signing_key: Secret,
        /// The signing algorithm registered with the key.
        algorithm: SigningAlgorithm,
    },
    /// A Management API token obtained elsewhere: `AUTH0_ACCESS_TOKEN`.
    Token(Secret),
}

/// The algorithms Auth0 accepts for client assertions (`AUTH0_CLIENT_SIGNING_ALG`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SigningAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    #[default]
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PSS with SHA-256.
    Ps256,
}

impl SigningAlgorithm {
    /// Parses `RS256`, `RS384` or `PS256`.
    ///
    /// # Errors
    ///
    /// [`DeployError::Config`] for another name.
    pub fn parse(name: &str) -> Result<SigningAlgorithm, DeployError> {
        match name {
            "RS256" => Ok(SigningAlgorithm::Rs256),
            "RS384" => Ok(SigningAlgorithm::Rs384),
            "PS256" => Ok(SigningAlgorithm::Ps256),
            other => Err(DeployError::config(
                format!("client assertion algorithm `{other}` is not supported"),
                "set AUTH0_CLIENT_SIGNING_ALG to RS256, RS384 or PS256 (the algorithm registered with the key)",
            )),
        }
    }

    fn jwt(self) -> jsonwebtoken::Algorithm {
        match self {
            SigningAlgorithm::Rs256 => jsonwebtoken::Algorithm::RS256,
            SigningAlgorithm::Rs384 => jsonwebtoken::Algorithm::RS384,
            SigningAlgorithm::Ps256 => jsonwebtoken::Algorithm::PS256,
        }
    }
}

/// How long a client assertion is valid: long enough for one token request and its retries.
const ASSERTION_LIFETIME_SECS: u64 = 120;

/// When and how long to wait before sending a request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// The first backoff when the server gives no hint; doubled on every retry.
    pub base_delay: Duration,
    /// No wait is longer than this, whatever the server asks.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        // Free tenants allow a burst of 2 then 2 requests/s; 8 retries capped at 30 s ride out
        // any storm Auth0 documents while keeping a stuck run under about four minutes.
        RetryPolicy { max_retries: 8, base_delay: Duration::from_millis(500), max_delay: Duration::from_secs(30) }
    }
}

/// Where the tenant is and how patient to be with it.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Scheme and host, no trailing slash: `https://tenant.eu.auth0.com`.
    pub base_url: String,
    /// The token audience: `https://tenant.eu.auth0.com/api/v2/` unless overridden (custom domains).
    pub audience: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retry policy for 429, 5xx and timeouts.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// A config for `domain`: a bare tenant host (`tenant.eu.auth0.com`, HTTPS) or a URL.
    /// Plain `http://` is accepted only for loopback hosts (the fake tenant), so credentials
    /// never cross a network unencrypted.
    ///
    /// # Errors
    ///
    /// [`DeployError::Config`] if the domain is empty, has a path, or is `http://` off-loopback.
    pub fn for_domain(domain: &str) -> Result<ClientConfig, DeployError> {
        let domain = domain.trim().trim_end_matches('/');
        let bad = |why: &str| {
            DeployError::config(
                format!("invalid Auth0 domain `{domain}`: {why}"),
                "set AUTH0_DOMAIN or --domain to the tenant's host, e.g. `my-tenant.eu.auth0.com`",
            )
        };
        let (scheme, host) = match domain.split_once("://") {
            Some((scheme @ ("https" | "http"), host)) => (scheme, host),
            Some(_) => return Err(bad("only https:// is supported")),
            None => ("https", domain),
        };
        if host.is_empty() {
            return Err(bad("it is empty"));
        }
        if host.contains('/') || host.contains('?') || host.contains('@') {
            return Err(bad("give the host only, without a path (actionkit adds /api/v2)"));
        }
        if !host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')) {
            return Err(bad("it is not a host name"));
        }
        let host_name = host.rsplit_once(':').map_or(host, |(h, _)| h);
        let loopback = matches!(host_name, "127.0.0.1" | "localhost" | "[::1]");
        if scheme == "http" && !loopback {
            return Err(bad("plain http:// would send credentials unencrypted; use https://"));
        }
        let base_url = format!("{scheme}://{host}");
        Ok(ClientConfig {
            audience: format!("{base_url}/api/v2/"),
            base_url,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        })
    }
}

/// A Management API client. Blocking: a deploy is a short sequence of dependent calls.
pub struct Client {
    http: Http,
    config: ClientConfig,
    credentials: Credentials,
    token: RefCell<Option<Secret>>,
    writes: Cell<u32>,
    on_retry: Option<RetryObserver>,
}

/// Told about each retry (a one-line note without secrets).
type RetryObserver = Box<dyn Fn(&str)>;

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `credentials` and `token` hold secrets; `Secret` redacts them, but say so explicitly.
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("writes", &self.writes.get())
            .finish_non_exhaustive()
    }
}

/// Whether a request may be sent twice. A POST that creates something is not retried after a
/// 5xx or timeout (the first may have landed); a 429 is always safe (nothing was done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotent {
    /// Safe to repeat (GET, PATCH of a whole value, deploy of an unchanged draft).
    Yes,
    /// Repeating could create a duplicate.
    No,
}

impl Client {
    /// A client for `config` authenticating with `credentials`. No request is made yet.
    ///
    /// # Errors
    ///
    /// [`DeployError::Config`] if the HTTP client cannot be set up (TLS roots).
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<Client, DeployError> {
        let http = Http::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("actionkit/", env!("CARGO_PKG_VERSION")))
            // The Management API never redirects; a redirect means a wrong domain, and following
            // it would send the token somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| DeployError::config(format!("cannot set up HTTPS: {e}"), "this is a bug; please report it"))?;
        let token = match &credentials {
            Credentials::Token(token) => Some(token.clone()),
            Credentials::ClientCredentials { .. } | Credentials::PrivateKeyJwt { .. } => None,
        };
        Ok(Client { http, config, credentials, token: RefCell::new(token), writes: Cell::new(0), on_retry: None })
    }

    /// Calls `observer` with a one-line note (method, path, status, wait) before each retry.
    pub fn on_retry(mut self, observer: impl Fn(&str) + 'static) -> Client {
        self.on_retry = Some(Box::new(observer));
        self
    }

    /// How many writes (POST, PATCH, DELETE) succeeded so far.
    pub fn writes(&self) -> u32 {
        self.writes.get()
    }

    /// The config in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// `GET /api/v2{path}`.
    ///
    /// # Errors
    ///
    /// Any [`DeployError`] once retries are exhausted or for a non-retryable answer.
    pub fn get(&self, path: &str) -> Result<Value, DeployError> {
        self.api(Method::GET, path, None::<&Value>, Idempotent::Yes)
    }

    /// `POST /api/v2{path}` with `body` as JSON (a `Value` or a resource's request shape).
    ///
    /// # Errors
    ///
    /// As [`Client::get`].
    pub fn post<B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
        idempotent: Idempotent,
    ) -> Result<Value, DeployError> {
        self.api(Method::POST, path, Some(body), idempotent)
    }

    /// `PATCH /api/v2{path}` with `body` as JSON (always a whole-value replacement in this API,
    /// so repeatable).
    ///
    /// # Errors
    ///
    /// As [`Client::get`].
    pub fn patch<B: Serialize + ?Sized>(&self, path: &str, body: &B) -> Result<Value, DeployError> {
        self.api(Method::PATCH, path, Some(body), Idempotent::Yes)
    }

    /// `DELETE /api/v2{path}` (a repeat answers 404, never a duplicate effect).
    ///
    /// # Errors
    ///
    /// As [`Client::get`].
    pub fn delete(&self, path: &str) -> Result<Value, DeployError> {
        self.api(Method::DELETE, path, None::<&Value>, Idempotent::Yes)
    }

    fn api<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        idem: Idempotent,
    ) -> Result<Value, DeployError> {
        let full = format!("/api/v2{path}");
        let mut refreshed = false;
        loop {
            let token = self.token()?;
            match self.send(&method, &full, body, Some(&token), idem) {
                // An expired client-credentials token: fetch a new one, once.
                Err(DeployError::Api { status: 401, .. })
                    if !refreshed && !matches!(self.credentials, Credentials::Token(_)) =>
                {
                    refreshed = true;
                    self.token.replace(None);
                }
                Ok(value) => {
                    if method != Method::GET {
                        self.writes.set(self.writes.get() + 1);
                    }
                    return Ok(value);
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn token(&self) -> Result<Secret, DeployError> {
        if let Some(token) = self.token.borrow().as_ref() {
            return Ok(token.clone());
        }
        let body = match &self.credentials {
            Credentials::ClientCredentials { client_id, client_secret } => json!({
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret.expose(),
                "audience": self.config.audience,
            }),
            Credentials::PrivateKeyJwt { client_id, signing_key, algorithm } => json!({
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": self.client_assertion(client_id, signing_key, *algorithm)?.expose(),
                "audience": self.config.audience,
            }),
            Credentials::Token(_) => unreachable!("a given token is stored at construction"),
        };
        let answer = self.send(&Method::POST, "/oauth/token", Some(&body), None, Idempotent::Yes)?;
        let token = answer.get("access_token").and_then(Value::as_str).ok_or_else(|| DeployError::Response {
            request: "POST /oauth/token".into(),
            reason: "no `access_token` in the answer".into(),
        })?;
        let token = Secret::new(token);
        self.token.replace(Some(token.clone()));
        Ok(token)
    }

    /// A client assertion (RFC 7523) for the token endpoint: issuer and subject the client id,
    /// audience the tenant's URL (`https://DOMAIN/`, as Auth0 requires), a random `jti`.
    fn client_assertion(
        &self,
        client_id: &str,
        key: &Secret,
        algorithm: SigningAlgorithm,
    ) -> Result<Secret, DeployError> {
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            sub: &'a str,
            aud: String,
            iat: u64,
            exp: u64,
            jti: String,
        }
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(key.expose().as_bytes()).map_err(|e| {
            DeployError::config(
                format!("the client signing key is not a usable RSA private key: {e}"),
                "AUTH0_CLIENT_SIGNING_KEY_PATH must name the PEM private key whose public key is registered on the application",
            )
        })?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut nonce = [0u8; 16];
        getrandom::getrandom(&mut nonce)
            .map_err(|e| DeployError::config(format!("no randomness for the assertion id: {e}"), "retry"))?;
        let claims = Claims {
            iss: client_id,
            sub: client_id,
            aud: format!("{}/", self.config.base_url.trim_end_matches('/')),
            iat: now,
            exp: now + ASSERTION_LIFETIME_SECS,
            jti: nonce.iter().map(|b| format!("{b:02x}")).collect(),
        };
        let token = jsonwebtoken::encode(&jsonwebtoken::Header::new(algorithm.jwt()), &claims, &key).map_err(|e| {
            DeployError::config(format!("signing the client assertion failed: {e}"), "check the key and the algorithm")
        })?;
        Ok(Secret::new(token))
    }

    /// One request with retries. `path` is the full path (with query).
    fn send<B: Serialize + ?Sized>(
        &self,
        method: &Method,
        path: &str,
        body: Option<&B>,
        token: Option<&Secret>,
        idem: Idempotent,
    ) -> Result<Value, DeployError> {
        let url = format!("{}{path}", self.config.base_url);
        let retry = self.config.retry;
        let mut attempt = 0u32;
        loop {
            let mut request = self.http.request(method.clone(), &url);
            if let Some(token) = token {
                request = request.bearer_auth(token.expose());
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let outcome = request.send();
            let (err, wait) = match outcome {
                Ok(response) if response.status().is_success() => return read_json(method, path, response),
                Ok(response) => {
                    let status = response.status();
                    let wait = retry_delay(attempt, response.headers(), retry, now_epoch());
                    let err = api_error(method, path, response);
                    let may_retry = status == StatusCode::TOO_MANY_REQUESTS
                        || (status.is_server_error() && idem == Idempotent::Yes);
                    (err, may_retry.then_some(wait))
                }
                Err(e) => {
                    let timed_out = e.is_timeout();
                    let err = DeployError::Transport {
                        request: format!("{method} {}{}", self.config.base_url, path.split('?').next().unwrap_or(path)),
                        reason: transport_reason(&e),
                        timed_out,
                        attempts: 1,
                    };
                    // Connection failures (bad domain, DNS) are retried a little in case of a
                    // blip; timeouts only when repeating is safe.
                    let may_retry = if timed_out { idem == Idempotent::Yes } else { attempt < 2 };
                    (err, may_retry.then(|| backoff(attempt, retry)))
                }
            };
            match wait {
                Some(wait) if attempt < retry.max_retries => {
                    if let Some(observer) = &self.on_retry {
                        observer(&format!("{err}; retrying in {} ms", wait.as_millis()));
                    }
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                _ => return Err(err.after_attempts(attempt + 1)),
            }
        }
    }

    /// Tells the retry observer about a retry decided above this client (a create looked up
    /// before it is sent again).
    pub(crate) fn note_retry(&self, note: &str) {
        if let Some(observer) = &self.on_retry {
            observer(note);
        }
    }
}

/// Creates something with a POST that must not be repeated blindly: after a 5xx or a timeout
/// the create may have landed and only its answer been lost, so `find` looks for it first and the
/// POST is sent again only if it is not there. Tries as often as the client's retry policy allows
/// a safe request; the error says how many attempts were made.
///
/// # Errors
///
/// The create's error once it is not retryable or the attempts are used up; any error of `find`.
pub(crate) fn create_or_find<T>(
    client: &Client,
    create: impl Fn() -> Result<T, DeployError>,
    find: impl Fn() -> Result<Option<T>, DeployError>,
) -> Result<T, DeployError> {
    let retry = client.config.retry;
    let mut attempt = 0u32;
    loop {
        match create() {
            Ok(created) => return Ok(created),
            Err(e) if e.is_retryable() && attempt < retry.max_retries => {
                if let Some(found) = find()? {
                    // The lost answer's create landed.
                    return Ok(found);
                }
                let wait = backoff(attempt, retry);
                client
                    .note_retry(&format!("{e}; not there on a second look, creating again in {} ms", wait.as_millis()));
                std::thread::sleep(wait);
                attempt += 1;
            }
            Err(e) => {
                // A 429 inside `create` already counted its own attempts; a 5xx of a create is
                // one attempt per round here.
                let inner = e.attempts().unwrap_or(1);
                return Err(e.after_attempts(attempt + inner));
            }
        }
    }
}

fn transport_reason(e: &reqwest::Error) -> String {
    // reqwest's Display includes the URL (never a secret here) and the cause chain is where the
    // useful part ("dns error", "connection refused") is.
    let mut reason = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        reason.push_str(": ");
        reason.push_str(&cause.to_string());
        source = cause.source();
    }
    reason
}

fn now_epoch() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn backoff(attempt: u32, retry: RetryPolicy) -> Duration {
    retry.base_delay.saturating_mul(1u32 << attempt.min(16)).min(retry.max_delay)
}

/// How long to wait before retry number `attempt + 1`: `Retry-After` (seconds) if given, else
/// the time until `X-RateLimit-Reset` (UNIX seconds), else exponential backoff; never more than
/// `max_delay`. No jitter: one CLI run is a single sequential client, not a herd.
pub(crate) fn retry_delay(attempt: u32, headers: &HeaderMap, retry: RetryPolicy, now: u64) -> Duration {
    let header =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let hinted = header("retry-after")
        .map(Duration::from_secs)
        .or_else(|| header("x-ratelimit-reset").map(|reset| Duration::from_secs(reset.saturating_sub(now))));
    match hinted {
        // A reset already in the past still deserves a short pause.
        Some(d) if d.is_zero() => retry.base_delay.min(retry.max_delay),
        Some(d) => d.min(retry.max_delay),
        None => backoff(attempt, retry),
    }
}

fn read_json(method: &Method, path: &str, response: Response) -> Result<Value, DeployError> {
    let bad = |reason: String| DeployError::Response { request: format!("{method} {path}"), reason };
    let text = response.text().map_err(|e| bad(format!("cannot read the body: {e}")))?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| bad(format!("not JSON ({e})")))
}

/// Reads Auth0's error body `{statusCode, error, message, errorCode}` or the OAuth token
/// endpoint's `{error, error_description}`; falls back to the status text.
fn api_error(method: &Method, path: &str, response: Response) -> DeployError {
    let status = response.status();
    let body: Value = response.text().ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(Value::Null);
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
    let reason = status.canonical_reason().unwrap_or("error").to_string();
    let (error, message) = match (text("message"), text("error_description")) {
        (Some(message), _) => (text("error").unwrap_or(reason), message),
        (None, Some(description)) => (text("error").unwrap_or(reason), description),
        (None, None) => (reason, text("error").unwrap_or_else(|| "no details in the response".into())),
    };
    DeployError::Api {
        request: format!("{method} {path}"),
        status: status.as_u16(),
        error,
        message,
        error_code: text("errorCode"),
        attempts: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn delays_honour_retry_after_then_reset_then_backoff() {
        let policy =
            RetryPolicy { max_retries: 5, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(10) };
        assert_eq!(retry_delay(0, &headers(&[("retry-after", "3")]), policy, 1000), Duration::from_secs(3));
        assert_eq!(retry_delay(0, &headers(&[("x-ratelimit-reset", "1004")]), policy, 1000), Duration::from_secs(4));
        assert_eq!(retry_delay(0, &headers(&[("x-ratelimit-reset", "900")]), policy, 1000), Duration::from_millis(100));
        assert_eq!(retry_delay(3, &headers(&[]), policy, 1000), Duration::from_millis(800));
        assert_eq!(retry_delay(0, &headers(&[("retry-after", "3600")]), policy, 1000), Duration::from_secs(10));
        assert_eq!(retry_delay(30, &headers(&[]), policy, 0), Duration::from_secs(10));
    }

    #[test]
    fn domains() {
        let c = ClientConfig::for_domain("acme.eu.auth0.com").unwrap();
        assert_eq!(c.base_url, "https://acme.eu.auth0.com");
        assert_eq!(c.audience, "https://acme.eu.auth0.com/api/v2/");
        let c = ClientConfig::for_domain("http://127.0.0.1:8080/").unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        for bad in ["", "http://acme.auth0.com", "acme.auth0.com/api/v2", "ftp://x", "a b"] {
            assert!(matches!(ClientConfig::for_domain(bad), Err(DeployError::Config { .. })), "{bad}");
        }
    }

    #[test]
    fn debug_never_shows_credentials() {
        let client = Client::new(
            ClientConfig::for_domain("acme.auth0.com").unwrap(),
            Credentials::ClientCredentials { client_id: "cid".into(), client_secret: Secret::new("s3cr3t-value") },
        )
        .unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("s3cr3t-value") && debug.contains("cid"), "{debug}");
    }
}
