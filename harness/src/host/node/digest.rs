//! Message digests and HMACs for `crypto.createHash`/`createHmac` and HS256 tokens, by Node's
//! algorithm names, computed by the RustCrypto crates.

use hmac::{Hmac, Mac};
use sha2::Digest;

/// A digest algorithm by one of the names Node's `crypto.createHash` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// Node's names (case-insensitive, OpenSSL's `RSA-` aliases included) for the algorithms the
    /// harness offers; `None` for any other (Node: `Digest method not supported`).
    pub(crate) fn from_node_name(name: &str) -> Option<Algorithm> {
        let name = name.to_ascii_lowercase();
        let name = name.strip_prefix("rsa-").unwrap_or(&name);
        Some(match name {
            "md5" => Algorithm::Md5,
            "sha1" | "sha-1" => Algorithm::Sha1,
            "sha224" | "sha-224" => Algorithm::Sha224,
            "sha256" | "sha-256" => Algorithm::Sha256,
            "sha384" | "sha-384" => Algorithm::Sha384,
            "sha512" | "sha-512" => Algorithm::Sha512,
            _ => return None,
        })
    }

    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Algorithm::Md5 => md5::Md5::digest(data).to_vec(),
            Algorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Algorithm::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Algorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Algorithm::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Algorithm::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub(crate) fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
            // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
            let mut mac = <M as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            Algorithm::Md5 => mac::<Hmac<md5::Md5>>(key, data),
            Algorithm::Sha1 => mac::<Hmac<sha1::Sha1>>(key, data),
            Algorithm::Sha224 => mac::<Hmac<sha2::Sha224>>(key, data),
            Algorithm::Sha256 => mac::<Hmac<sha2::Sha256>>(key, data),
            Algorithm::Sha384 => mac::<Hmac<sha2::Sha384>>(key, data),
            Algorithm::Sha512 => mac::<Hmac<sha2::Sha512>>(key, data),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Algorithm;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn rfc_4231_case_2_hmac_sha256() {
        let mac = Algorithm::Sha256.hmac(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(hex(&mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn node_names_and_digests() {
        assert_eq!(Algorithm::from_node_name("SHA256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::from_node_name("RSA-SHA1"), Some(Algorithm::Sha1));
        assert_eq!(Algorithm::from_node_name("whirlpool"), None);
        assert_eq!(hex(&Algorithm::Md5.digest(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&Algorithm::Sha1.digest(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
