//! Action secrets (`event.secrets`), as Auth0's entity limits state them.

/// Most secrets one Action may have.
pub const MAX_SECRETS: usize = 30;
/// Longest secret name, in characters.
pub const MAX_NAME_CHARS: usize = 128;
/// Longest secret value, in characters.
pub const MAX_VALUE_CHARS: usize = 4096;
