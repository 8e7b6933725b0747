//! The Action itself: its source size and one trigger execution's budget and logs.

/// Largest Action source Auth0 accepts, npm dependencies excluded ("100 kB": `actionkit build`,
/// `actionkit run` and Auth0 refuse a larger file alike).
pub const MAX_SOURCE_BYTES: usize = 100_000;

/// Wall-clock budget of one trigger execution (all Actions of the flow together), in milliseconds.
pub const TIME_BUDGET_MS: u64 = 20_000;

/// Console output captured per execution, in bytes (`LOG_LIMIT` in Auth0's loader); the excess
/// is cut.
pub const LOG_LIMIT_BYTES: usize = 256 * 1024;

/// Characters of an Action's console output that the tenant log keeps.
pub const PERSISTED_LOG_CHARS: usize = 256;

/// Protocols of logins that cannot be redirected (no browser to send anywhere):
/// `api.redirect.sendUserTo` and `api.prompt.render` are not available in them.
pub const NOT_REDIRECTABLE_PROTOCOLS: &[&str] =
    &["oauth2-resource-owner", "oauth2-refresh-token", "oauth2-password", "oauth2-webauthn"];
