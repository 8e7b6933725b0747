//! Users and account linking (`api.authentication.setPrimaryUser`).

/// Longest user id, in characters.
pub const MAX_USER_ID_CHARS: usize = 128;
