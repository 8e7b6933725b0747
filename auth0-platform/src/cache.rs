//! `api.cache`: sizes are counted in UTF-8 bytes, as Auth0's loader does.

/// Largest key.
pub const MAX_KEY_BYTES: usize = 64;
/// Largest value.
pub const MAX_VALUE_BYTES: usize = 4096;
/// Largest total of every key and value in the cache of one Action.
pub const MAX_TOTAL_BYTES: usize = 16_640;
/// Lifetime of an entry set without `ttl` or `expires_at`, in milliseconds (15 minutes).
pub const DEFAULT_TTL_MS: u64 = 15 * 60 * 1000;
