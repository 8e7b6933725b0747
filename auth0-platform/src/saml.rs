//! `api.samlResponse`.

/// Largest JSON of the SAML attribute map, in bytes.
pub const MAX_ATTRIBUTES_BYTES: usize = 102_400;
/// Largest certificate or key string (`setSigningCert`, `setEncryptionCert`, ...).
pub const MAX_CERT_CHARS: usize = 4096;
