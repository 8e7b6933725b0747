//! `api.prompt.render` (Forms).

/// Largest JSON of the prompt options (`fields` and `vars`), in bytes.
pub const MAX_OPTIONS_BYTES: usize = 24_576;
