//! `api.samlResponse`.

/// Largest JSON of the SAML attribute map, in bytes.
pub const MAX_ATTRIBUTES_BYTES: usize = 102_400;
/// Largest certificate or key string (`setSigningCert`, `setEncryptionCert`, ...).
pub const MAX_CERT_CHARS: usize = 4096;
/// Longest attribute name (`setAttribute`), in characters.
pub const MAX_ATTRIBUTE_NAME_CHARS: usize = 1024;
/// Longest string value of an attribute or of a string setting (`setAudience`, ...), in characters.
pub const MAX_VALUE_CHARS: usize = 2048;
