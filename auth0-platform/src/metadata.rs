//! Session and refresh-token metadata (`api.session.setMetadata`, `api.refreshToken.setMetadata`),
//! as Auth0's validator (copied from auth0-sessions-lib into `@auth0/actions`) limits it, and
//! transaction metadata (`api.transaction.setMetadata`).

/// Longest metadata key, in characters (keys also match `^[a-zA-Z0-9_-]+$`).
pub const MAX_KEY_CHARS: usize = 255;
/// Longest metadata value, in characters.
pub const MAX_VALUE_CHARS: usize = 255;
/// Most entries in one session's or refresh token's metadata.
pub const MAX_ENTRIES: usize = 25;
/// Longest reason of `api.session.revoke` / `api.refreshToken.revoke`, in characters.
pub const MAX_REVOKE_REASON_CHARS: usize = 1024;
/// Longest transaction metadata key, in characters.
pub const MAX_TRANSACTION_KEY_CHARS: usize = 64;
/// Largest transaction metadata string value, in UTF-8 bytes (8 KB).
pub const MAX_TRANSACTION_VALUE_BYTES: usize = 8 * 1024;
/// Largest JSON of all transaction metadata, in UTF-8 bytes (16 KB).
pub const MAX_TRANSACTION_BYTES: usize = 16 * 1024;
