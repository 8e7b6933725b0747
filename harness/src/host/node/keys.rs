//! Asymmetric keys for Node's `KeyObject`, `crypto.sign`/`verify`, `createSign`/`createVerify`
//! and webcrypto's RSASSA-PKCS1-v1_5, RSA-PSS and ECDSA: RSA and P-256 keys read from PEM, DER or
//! JWK, written back in Node's encodings, and signatures made and checked by the RustCrypto
//! crates (`rsa`, `p256`).
//!
//! A JS `KeyObject` holds its key as DER (PKCS #8 for a private key, SPKI for a public one), and
//! every native call reads it again: no Rust object outlives a call.

use base64::Engine as _;
use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Digest;

use rsa::pkcs8;
use rsa::pkcs8::spki;

use super::digest::Algorithm;

/// Why a key could not be read, written or used; each variant words its message as Node does
/// (OpenSSL's wording where Node passes OpenSSL's error on) and carries Node's `code`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// OpenSSL's decoders found no key of the wanted kind: not PEM, a damaged body, or a public
    /// key where a private one is needed.
    #[error("error:1E08010C:DECODER routines::unsupported")]
    Unsupported,
    /// A key type Node reads but the harness does not emulate (Ed25519, P-384, RSA-PSS keys, DSA).
    #[error("{0} keys are not emulated by the actionkit harness (RSA and EC P-256 are)")]
    NotEmulated(String),
    /// An encrypted PKCS #8 key: Node decrypts it with `passphrase`; the harness has no ciphers.
    #[error("encrypted private keys (a passphrase) are not emulated by the actionkit harness")]
    Encrypted,
    /// A JWK whose members do not form a key.
    #[error("Invalid JWK {kind} key")]
    InvalidJwk { kind: &'static str },
    #[error("The selected key encoding {encoding} can only be used for {only} keys.")]
    IncompatibleEncoding { encoding: &'static str, only: &'static str },
    #[error("The property 'options.type' is invalid. Received {0}")]
    InvalidExportType(String),
    #[error("The property 'options.format' is invalid. Received {0}")]
    InvalidExportFormat(String),
    /// The signing primitive refused (a key too small for the digest and padding).
    #[error("error:1C8000A5:Provider routines::digest too big for rsa key")]
    DigestTooBig,
    #[error("Invalid digest: {0}")]
    InvalidDigest(String),
}

impl KeyError {
    /// Node's `code` property for this error.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            KeyError::Unsupported => "ERR_OSSL_UNSUPPORTED",
            KeyError::NotEmulated(_) | KeyError::Encrypted => "ERR_ACTIONKIT_NOT_EMULATED",
            KeyError::InvalidJwk { .. } => "ERR_CRYPTO_INVALID_JWK",
            KeyError::IncompatibleEncoding { .. } => "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS",
            KeyError::InvalidExportType(_) | KeyError::InvalidExportFormat(_) => "ERR_INVALID_ARG_VALUE",
            KeyError::DigestTooBig => "ERR_OSSL_RSA_DIGEST_TOO_BIG_FOR_RSA_KEY",
            KeyError::InvalidDigest(_) => "ERR_CRYPTO_INVALID_DIGEST",
        }
    }

    /// Whether Node throws this as a `TypeError` (its argument checks) rather than an `Error`.
    pub(crate) fn is_type_error(&self) -> bool {
        matches!(
            self,
            KeyError::InvalidJwk { .. }
                | KeyError::InvalidExportType(_)
                | KeyError::InvalidExportFormat(_)
                | KeyError::InvalidDigest(_)
        )
    }
}

/// Which kind of key the caller asked for: `createPrivateKey` needs a private key,
/// `createPublicKey` takes either and keeps the public half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wanted {
    Private,
    Public,
}

/// The `type` of a DER or PEM encoding, as Node names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Pkcs1,
    Pkcs8,
    Spki,
    Sec1,
}

impl Container {
    pub(crate) fn from_node_name(name: &str) -> Option<Container> {
        Some(match name {
            "pkcs1" => Container::Pkcs1,
            "pkcs8" => Container::Pkcs8,
            "spki" => Container::Spki,
            "sec1" => Container::Sec1,
            _ => return None,
        })
    }
}

/// RSA padding of a signature: PKCS #1 v1.5, or PSS with Node's salt length rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Padding {
    Pkcs1v15,
    Pss(SaltLength),
}

/// Node's `saltLength`: `RSA_PSS_SALTLEN_DIGEST` (-1), `RSA_PSS_SALTLEN_MAX_SIGN`/`AUTO` (-2: the
/// largest salt when signing, whatever the signature has when verifying), or a byte count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaltLength {
    Digest,
    MaxOrAuto,
    Bytes(usize),
}

impl SaltLength {
    pub(crate) fn from_node(value: f64) -> SaltLength {
        if value == -1.0 {
            SaltLength::Digest
        } else if value >= 0.0 {
            SaltLength::Bytes(value as usize)
        } else {
            SaltLength::MaxOrAuto
        }
    }
}

/// How an ECDSA signature is written: DER (Node's default) or `r || s` (`ieee-p1363`, JWTs and
/// webcrypto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DsaEncoding {
    Der,
    P1363,
}

/// A key as Node's `KeyObject` holds it.
#[derive(Debug, Clone)]
pub(crate) enum AsymmetricKey {
    RsaPrivate(Box<RsaPrivateKey>),
    RsaPublic(RsaPublicKey),
    EcPrivate(p256::SecretKey),
    EcPublic(p256::PublicKey),
}

/// What `export` produced: PEM or JWK text, or DER bytes.
#[derive(Debug)]
pub(crate) enum Exported {
    Text(String),
    Bytes(Vec<u8>),
}

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const PRIME256V1: &str = "1.2.840.10045.3.1.7";
const SECP384R1: &str = "1.3.132.0.34";
const SECP521R1: &str = "1.3.132.0.35";

/// The key type an algorithm OID stands for, as far as the harness emulates it.
fn key_type_of(algorithm: &spki::AlgorithmIdentifierRef<'_>) -> Result<KeyType, KeyError> {
    match algorithm.oid.to_string().as_str() {
        RSA_ENCRYPTION => Ok(KeyType::Rsa),
        RSASSA_PSS => Err(KeyError::NotEmulated("RSA-PSS (rsassaPss)".into())),
        EC_PUBLIC_KEY => {
            let curve = algorithm.parameters_oid().map(|oid| oid.to_string()).map_err(|_| KeyError::Unsupported)?;
            match curve.as_str() {
                PRIME256V1 => Ok(KeyType::P256),
                SECP384R1 => Err(KeyError::NotEmulated("EC P-384".into())),
                SECP521R1 => Err(KeyError::NotEmulated("EC P-521".into())),
                other => Err(KeyError::NotEmulated(format!("EC curve {other}"))),
            }
        }
        "1.3.101.112" => Err(KeyError::NotEmulated("Ed25519".into())),
        "1.3.101.113" => Err(KeyError::NotEmulated("Ed448".into())),
        "1.2.840.10040.4.1" => Err(KeyError::NotEmulated("DSA".into())),
        _ => Err(KeyError::Unsupported),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyType {
    Rsa,
    P256,
}

/// One PEM block as OpenSSL finds it: the first `-----BEGIN LABEL-----` at the start of a line
/// (text before it is skipped), base64 lines up to the matching END line. Like OpenSSL, an
/// indented or escaped (`\n` as two characters) block is not found.
fn pem_block(text: &str) -> Result<(String, Vec<u8>), KeyError> {
    let start = text
        .match_indices("-----BEGIN ")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
        .ok_or(KeyError::Unsupported)?;
    let mut lines = text[start..].lines().map(|l| l.strip_suffix('\r').unwrap_or(l));
    let begin = lines.next().ok_or(KeyError::Unsupported)?;
    let label = begin
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.strip_suffix("-----"))
        .ok_or(KeyError::Unsupported)?
        .to_string();
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    for line in lines {
        if line == end {
            let der =
                base64::engine::general_purpose::STANDARD.decode(body.as_bytes()).map_err(|_| KeyError::Unsupported)?;
            return Ok((label, der));
        }
        body.push_str(line);
    }
    Err(KeyError::Unsupported)
}

impl AsymmetricKey {
    /// Reads a PEM key; `Wanted::Public` also takes a private key and keeps its public half.
    pub(crate) fn from_pem(text: &str, wanted: Wanted) -> Result<AsymmetricKey, KeyError> {
        let (label, der) = pem_block(text)?;
        let container = match label.as_str() {
            "PRIVATE KEY" => Container::Pkcs8,
            "RSA PRIVATE KEY" => Container::Pkcs1,
            "EC PRIVATE KEY" => Container::Sec1,
            "PUBLIC KEY" => Container::Spki,
            "RSA PUBLIC KEY" => Container::Pkcs1,
            "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
            _ => return Err(KeyError::Unsupported),
        };
        let public_label = matches!(label.as_str(), "PUBLIC KEY" | "RSA PUBLIC KEY");
        if public_label && wanted == Wanted::Private {
            return Err(KeyError::Unsupported);
        }
        let key = if public_label {
            Self::from_public_der(&der, container)?
        } else {
            Self::from_private_der(&der, container)?
        };
        Ok(key.keep(wanted))
    }

    /// Reads a DER key of the given `type`; `Wanted::Public` also takes a private key.
    pub(crate) fn from_der(der: &[u8], container: Container, wanted: Wanted) -> Result<AsymmetricKey, KeyError> {
        let key = match (container, wanted) {
            (Container::Spki, Wanted::Private) => return Err(KeyError::Unsupported),
            (Container::Spki, Wanted::Public) => Self::from_public_der(der, container)?,
            (Container::Pkcs1, Wanted::Public) => {
                Self::from_public_der(der, container).or_else(|_| Self::from_private_der(der, container))?
            }
            _ => Self::from_private_der(der, container)?,
        };
        Ok(key.keep(wanted))
    }

    fn from_private_der(der: &[u8], container: Container) -> Result<AsymmetricKey, KeyError> {
        match container {
            Container::Pkcs8 => {
                let info = pkcs8::PrivateKeyInfo::try_from(der).map_err(|_| KeyError::Unsupported)?;
                match key_type_of(&info.algorithm)? {
                    KeyType::Rsa => RsaPrivateKey::from_pkcs8_der(der)
                        .map(|k| AsymmetricKey::RsaPrivate(Box::new(k)))
                        .map_err(|_| KeyError::Unsupported),
                    KeyType::P256 => p256::SecretKey::from_pkcs8_der(der)
                        .map(AsymmetricKey::EcPrivate)
                        .map_err(|_| KeyError::Unsupported),
                }
            }
            Container::Pkcs1 => RsaPrivateKey::from_pkcs1_der(der)
                .map(|k| AsymmetricKey::RsaPrivate(Box::new(k)))
                .map_err(|_| KeyError::Unsupported),
            Container::Sec1 => {
                let parsed = sec1::EcPrivateKey::try_from(der).map_err(|_| KeyError::Unsupported)?;
                if let Some(sec1::EcParameters::NamedCurve(curve)) = parsed.parameters {
                    if curve.to_string() != PRIME256V1 {
                        return Err(KeyError::NotEmulated(format!("EC curve {curve}")));
                    }
                }
                p256::SecretKey::from_sec1_der(der).map(AsymmetricKey::EcPrivate).map_err(|_| KeyError::Unsupported)
            }
            Container::Spki => Err(KeyError::Unsupported),
        }
    }

    fn from_public_der(der: &[u8], container: Container) -> Result<AsymmetricKey, KeyError> {
        match container {
            Container::Spki => {
                let info = spki::SubjectPublicKeyInfoRef::try_from(der).map_err(|_| KeyError::Unsupported)?;
                match key_type_of(&info.algorithm)? {
                    KeyType::Rsa => RsaPublicKey::from_public_key_der(der)
                        .map(AsymmetricKey::RsaPublic)
                        .map_err(|_| KeyError::Unsupported),
                    KeyType::P256 => p256::PublicKey::from_public_key_der(der)
                        .map(AsymmetricKey::EcPublic)
                        .map_err(|_| KeyError::Unsupported),
                }
            }
            Container::Pkcs1 => {
                RsaPublicKey::from_pkcs1_der(der).map(AsymmetricKey::RsaPublic).map_err(|_| KeyError::Unsupported)
            }
            Container::Pkcs8 | Container::Sec1 => Err(KeyError::Unsupported),
        }
    }

    /// Reads a JWK (`kty` `RSA` or `EC`; the JS side checked the members' types as Node does).
    pub(crate) fn from_jwk(jwk: &Value, wanted: Wanted) -> Result<AsymmetricKey, KeyError> {
        let member = |name: &str| jwk.get(name).and_then(Value::as_str);
        let key = match member("kty") {
            Some("RSA") => {
                let invalid = KeyError::InvalidJwk { kind: "RSA" };
                let number = |name: &str| -> Result<BigUint, KeyError> {
                    let text = member(name).ok_or(KeyError::InvalidJwk { kind: "RSA" })?;
                    base64url(text).map(|b| BigUint::from_bytes_be(&b)).ok_or(KeyError::InvalidJwk { kind: "RSA" })
                };
                let (n, e) = (number("n")?, number("e")?);
                if wanted == Wanted::Private {
                    let primes = match (number("p"), number("q")) {
                        (Ok(p), Ok(q)) => vec![p, q],
                        _ => vec![],
                    };
                    let key = RsaPrivateKey::from_components(n, e, number("d")?, primes).map_err(|_| invalid)?;
                    AsymmetricKey::RsaPrivate(Box::new(key))
                } else {
                    // The public half needs only `n` and `e`, whatever else the JWK holds.
                    AsymmetricKey::RsaPublic(RsaPublicKey::new(n, e).map_err(|_| invalid)?)
                }
            }
            Some("EC") => {
                // Node checks `crv` against the curves it knows before this; of those, the
                // harness has P-256.
                let curve = member("crv").unwrap_or_default();
                if curve != "P-256" {
                    return Err(KeyError::NotEmulated(format!("EC {curve}")));
                }
                let text = jwk.to_string();
                let invalid = KeyError::InvalidJwk { kind: "EC" };
                if wanted == Wanted::Private {
                    AsymmetricKey::EcPrivate(p256::SecretKey::from_jwk_str(&text).map_err(|_| invalid)?)
                } else {
                    AsymmetricKey::EcPublic(p256::PublicKey::from_jwk_str(&text).map_err(|_| invalid)?)
                }
            }
            Some(other) => return Err(KeyError::NotEmulated(format!("JWK kty {other}"))),
            None => return Err(KeyError::InvalidJwk { kind: "RSA" }),
        };
        Ok(key.keep(wanted))
    }

    /// A raw uncompressed or compressed P-256 point (webcrypto's `raw` ECDSA import).
    pub(crate) fn from_ec_point(bytes: &[u8]) -> Result<AsymmetricKey, KeyError> {
        p256::PublicKey::from_sec1_bytes(bytes).map(AsymmetricKey::EcPublic).map_err(|_| KeyError::Unsupported)
    }

    /// The key itself, or its public half.
    fn keep(self, wanted: Wanted) -> AsymmetricKey {
        match wanted {
            Wanted::Private => self,
            Wanted::Public => self.public(),
        }
    }

    pub(crate) fn public(&self) -> AsymmetricKey {
        match self {
            AsymmetricKey::RsaPrivate(k) => AsymmetricKey::RsaPublic(k.to_public_key()),
            AsymmetricKey::EcPrivate(k) => AsymmetricKey::EcPublic(k.public_key()),
            public => public.clone(),
        }
    }

    pub(crate) fn is_private(&self) -> bool {
        matches!(self, AsymmetricKey::RsaPrivate(_) | AsymmetricKey::EcPrivate(_))
    }

    /// The DER a JS `KeyObject` keeps: PKCS #8 for a private key, SPKI for a public one.
    pub(crate) fn to_der(&self) -> Vec<u8> {
        // Encoding keys that were just decoded or derived cannot fail.
        let der = match self {
            AsymmetricKey::RsaPrivate(k) => k.to_pkcs8_der().map(|d| d.as_bytes().to_vec()),
            AsymmetricKey::EcPrivate(k) => k.to_pkcs8_der().map(|d| d.as_bytes().to_vec()),
            AsymmetricKey::RsaPublic(k) => {
                k.to_public_key_der().map(|d| d.as_bytes().to_vec()).map_err(pkcs8::Error::from)
            }
            AsymmetricKey::EcPublic(k) => {
                k.to_public_key_der().map(|d| d.as_bytes().to_vec()).map_err(pkcs8::Error::from)
            }
        };
        der.expect("a decoded key encodes")
    }

    /// Reads back what [`AsymmetricKey::to_der`] wrote.
    pub(crate) fn from_held_der(der: &[u8], private: bool) -> Result<AsymmetricKey, KeyError> {
        if private {
            Self::from_private_der(der, Container::Pkcs8)
        } else {
            Self::from_public_der(der, Container::Spki)
        }
    }

    /// `type`, `asymmetricKeyType` and `asymmetricKeyDetails` as Node reports them (the public
    /// exponent as a decimal string; the JS side makes it a BigInt).
    pub(crate) fn description(&self) -> Value {
        let kind = if self.is_private() { "private" } else { "public" };
        match self.public() {
            AsymmetricKey::RsaPublic(k) => json!({
                "type": kind,
                "asymmetricKeyType": "rsa",
                "modulusLength": k.n().bits(),
                "publicExponent": k.e().to_string(),
            }),
            _ => json!({ "type": kind, "asymmetricKeyType": "ec", "namedCurve": "prime256v1" }),
        }
    }

    /// `keyObject.export({format, type})`.
    pub(crate) fn export(&self, format: &str, container: Option<&str>) -> Result<Exported, KeyError> {
        if format == "jwk" {
            return Ok(Exported::Text(self.to_jwk().to_string()));
        }
        let shown = |v: Option<&str>| v.map_or_else(|| "undefined".to_string(), |t| format!("'{t}'"));
        if format != "pem" && format != "der" {
            return Err(KeyError::InvalidExportFormat(format!("'{format}'")));
        }
        let container = container
            .and_then(Container::from_node_name)
            .ok_or_else(|| KeyError::InvalidExportType(shown(container)))?;
        let private = self.is_private();
        let rsa_only = KeyError::IncompatibleEncoding { encoding: "pkcs1", only: "RSA" };
        let (label, der): (&str, Vec<u8>) = match (self, container) {
            (_, Container::Pkcs8) if private => ("PRIVATE KEY", self.to_der()),
            (_, Container::Spki) if !private => ("PUBLIC KEY", self.to_der()),
            (AsymmetricKey::RsaPrivate(k), Container::Pkcs1) => {
                ("RSA PRIVATE KEY", k.to_pkcs1_der().expect("a decoded key encodes").as_bytes().to_vec())
            }
            (AsymmetricKey::RsaPublic(k), Container::Pkcs1) => {
                ("RSA PUBLIC KEY", k.to_pkcs1_der().expect("a decoded key encodes").as_bytes().to_vec())
            }
            (_, Container::Pkcs1) => return Err(rsa_only),
            (AsymmetricKey::EcPrivate(k), Container::Sec1) => ("EC PRIVATE KEY", sec1_with_curve(k)),
            (_, Container::Sec1) if private => {
                return Err(KeyError::IncompatibleEncoding { encoding: "sec1", only: "EC" })
            }
            _ => return Err(KeyError::InvalidExportType(shown(Some(container_name(container))))),
        };
        if format == "der" {
            return Ok(Exported::Bytes(der));
        }
        Ok(Exported::Text(pem(label, &der)))
    }

    /// Node's JWK of the key, members in Node's order.
    fn to_jwk(&self) -> Value {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let int = |n: &BigUint| b64(&n.to_bytes_be());
        match self {
            AsymmetricKey::RsaPublic(k) => json!({ "kty": "RSA", "n": int(k.n()), "e": int(k.e()) }),
            AsymmetricKey::RsaPrivate(k) => {
                let primes = k.primes();
                let one = BigUint::from(1u8);
                let dp = k.d() % (&primes[0] - &one);
                let dq = k.d() % (&primes[1] - &one);
                let qi = k.crt_coefficient().unwrap_or_default();
                json!({
                    "kty": "RSA", "n": int(k.n()), "e": int(k.e()), "d": int(k.d()),
                    "p": int(&primes[0]), "q": int(&primes[1]), "dp": int(&dp), "dq": int(&dq), "qi": int(&qi),
                })
            }
            AsymmetricKey::EcPublic(k) => ec_jwk(k, None),
            AsymmetricKey::EcPrivate(k) => ec_jwk(&k.public_key(), Some(b64(&k.to_bytes()))),
        }
    }

    /// The uncompressed point of a P-256 public key (webcrypto `raw` export).
    pub(crate) fn ec_point(&self) -> Option<Vec<u8>> {
        match self.public() {
            AsymmetricKey::EcPublic(k) => Some(k.to_encoded_point(false).as_bytes().to_vec()),
            _ => None,
        }
    }

    /// Signs `data` hashed with `digest`.
    pub(crate) fn sign(
        &self,
        digest: Algorithm,
        data: &[u8],
        padding: Padding,
        dsa: DsaEncoding,
    ) -> Result<Vec<u8>, KeyError> {
        let hashed = digest.digest(data);
        match self {
            AsymmetricKey::RsaPrivate(key) => {
                let signed = match padding {
                    Padding::Pkcs1v15 => key.sign(pkcs1v15_scheme(digest)?, &hashed),
                    Padding::Pss(salt) => {
                        let salt_len = match salt {
                            SaltLength::Digest => hashed.len(),
                            SaltLength::Bytes(n) => n,
                            // RFC 8017: emLen - hLen - 2, emLen being the modulus's bytes minus
                            // one when its bit length is 8k + 1.
                            SaltLength::MaxOrAuto => {
                                let em_len = (key.n().bits() - 1).div_ceil(8);
                                em_len.checked_sub(hashed.len() + 2).ok_or(KeyError::DigestTooBig)?
                            }
                        };
                        // The salt comes from a generator seeded by the message: the harness is
                        // deterministic (same fixture, same Outcome); Node's salt is random.
                        let mut rng = rand_chacha::ChaCha20Rng::from_seed(sha2::Sha256::digest(&hashed).into());
                        key.sign_with_rng(&mut rng, pss_scheme(digest, salt_len)?, &hashed)
                    }
                };
                signed.map_err(|_| KeyError::DigestTooBig)
            }
            AsymmetricKey::EcPrivate(key) => {
                let signing = p256::ecdsa::SigningKey::from(key);
                let signature: p256::ecdsa::Signature =
                    signing.sign_prehash(&hashed).map_err(|_| KeyError::DigestTooBig)?;
                Ok(match dsa {
                    DsaEncoding::P1363 => signature.to_bytes().to_vec(),
                    DsaEncoding::Der => signature.to_der().as_bytes().to_vec(),
                })
            }
            _ => Err(KeyError::Unsupported),
        }
    }

    /// Whether `signature` is `data`'s, hashed with `digest`, for this key (or its public half).
    pub(crate) fn verify(
        &self,
        digest: Algorithm,
        data: &[u8],
        signature: &[u8],
        padding: Padding,
        dsa: DsaEncoding,
    ) -> Result<bool, KeyError> {
        let hashed = digest.digest(data);
        Ok(match self.public() {
            AsymmetricKey::RsaPublic(key) => match padding {
                Padding::Pkcs1v15 => key.verify(pkcs1v15_scheme(digest)?, &hashed, signature).is_ok(),
                Padding::Pss(salt) => {
                    let salt_len = match salt {
                        SaltLength::Digest => Some(hashed.len()),
                        SaltLength::Bytes(n) => Some(n),
                        SaltLength::MaxOrAuto => pss_salt_length(&key, digest, signature),
                    };
                    match salt_len {
                        Some(len) => key.verify(pss_scheme(digest, len)?, &hashed, signature).is_ok(),
                        None => false,
                    }
                }
            },
            AsymmetricKey::EcPublic(key) => {
                let verifying = p256::ecdsa::VerifyingKey::from(key);
                let parsed = match dsa {
                    DsaEncoding::P1363 => p256::ecdsa::Signature::from_slice(signature).ok(),
                    DsaEncoding::Der => p256::ecdsa::Signature::from_der(signature).ok(),
                };
                parsed.is_some_and(|s| verifying.verify_prehash(&hashed, &s).is_ok())
            }
            _ => unreachable!("public() returns a public key"),
        })
    }
}

fn container_name(container: Container) -> &'static str {
    match container {
        Container::Pkcs1 => "pkcs1",
        Container::Pkcs8 => "pkcs8",
        Container::Spki => "spki",
        Container::Sec1 => "sec1",
    }
}

/// SEC1 `ECPrivateKey` with the named curve, as OpenSSL writes it (elliptic-curve leaves the
/// curve out).
fn sec1_with_curve(key: &p256::SecretKey) -> Vec<u8> {
    use sec1::der::Encode;
    let private = key.to_bytes();
    let public = key.public_key().to_encoded_point(false);
    let oid = sec1::der::asn1::ObjectIdentifier::new_unwrap(PRIME256V1);
    sec1::EcPrivateKey {
        private_key: &private,
        parameters: Some(sec1::EcParameters::NamedCurve(oid)),
        public_key: Some(public.as_bytes()),
    }
    .to_der()
    .expect("a P-256 key encodes")
}

fn ec_jwk(key: &p256::PublicKey, d: Option<String>) -> Value {
    let point = key.to_encoded_point(false);
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let mut jwk = json!({
        "kty": "EC",
        "x": b64(point.x().expect("an uncompressed point has x")),
        "y": b64(point.y().expect("an uncompressed point has y")),
        "crv": "P-256",
    });
    if let Some(d) = d {
        jwk["d"] = Value::String(d);
    }
    jwk
}

/// PEM as OpenSSL writes it: 64-character lines, a final newline.
fn pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn base64url(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

fn pkcs1v15_scheme(digest: Algorithm) -> Result<rsa::Pkcs1v15Sign, KeyError> {
    Ok(match digest {
        Algorithm::Md5 => rsa::Pkcs1v15Sign::new::<md5::Md5>(),
        Algorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        Algorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        Algorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Algorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Algorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    })
}

fn pss_scheme(digest: Algorithm, salt_len: usize) -> Result<rsa::Pss, KeyError> {
    Ok(match digest {
        Algorithm::Md5 => rsa::Pss::new_with_salt::<md5::Md5>(salt_len),
        Algorithm::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt_len),
        Algorithm::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(salt_len),
        Algorithm::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt_len),
        Algorithm::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt_len),
        Algorithm::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt_len),
    })
}

/// The salt length a PSS signature was made with (Node's `RSA_PSS_SALTLEN_AUTO` on verify): the
/// encoded message is opened with the public key and its data block unmasked (RFC 8017 9.1.2
/// steps 1-10); `None` when it is not a PSS encoding at all. rsa 0.9 verifies one given salt
/// length only, and the verification proper is still its own.
fn pss_salt_length(key: &RsaPublicKey, digest: Algorithm, signature: &[u8]) -> Option<usize> {
    let s = BigUint::from_bytes_be(signature);
    if &s >= key.n() {
        return None;
    }
    let em_bits = key.n().bits() - 1;
    let em_len = em_bits.div_ceil(8);
    let m = rsa::hazmat::rsa_encrypt(key, &s).ok()?.to_bytes_be();
    if m.len() > em_len {
        return None;
    }
    let mut em = vec![0u8; em_len - m.len()];
    em.extend_from_slice(&m);
    let h_len = digest.digest(b"").len();
    if em_len < h_len + 2 || em[em_len - 1] != 0xbc {
        return None;
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    // MGF1(H, len): digest(H || counter) blocks.
    let mut mask = Vec::with_capacity(masked_db.len() + h_len);
    let mut counter = 0u32;
    while mask.len() < masked_db.len() {
        let mut block = h.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        mask.extend_from_slice(&digest.digest(&block));
        counter += 1;
    }
    let mut db: Vec<u8> = masked_db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let separator = db.iter().position(|&b| b != 0)?;
    (db[separator] == 0x01).then(|| db.len() - separator - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A 1024-bit test key (small keeps the debug-build tests fast).
    const RSA_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAJ4opbGeLkJZjQXy
E3ehKmUSdOjrBvm+pIFLkMXhQTRSGXONhkpNgHD+CeDvjG9zjl/fe+s8gBngNG43
opuuqOLcTBxkN2qNy/1PykAldZDT87GIAHVKmXqnvaApPuwIACN71xEZAMB6dz/C
ddkBTHcA8u3A2xDXQJRfBRYseNLXAgMBAAECgYAkYU8z2yHi6zxwKK3nr6/TzfoM
dbuGCR9ICnzDt7vK8DOgi+ZfAxLPavAUyKVyIY+XaA3WH3WL/jGxRKTn0LZSFCGX
hRiCgyvOL3CdWcJy66QOu5J6+VoIq0h6p2xFfFNWTmoKFQDQ14rUDiNKK61io3WF
A2Vwq9ilzl7P6tjY0QJBAM/wNxP9UpwBEi071BL0FqktPHY4yH+yxe6tDjDyYVOF
cOQOhqlTNlqwayndcLDzBf7vr3jG0KElfPw2eKX6jQkCQQDCtvU2r5R6JpjR+zX6
ogCx7vPT3GIpHaiXsWwnOInymgBSmAP0/IY6rm87h4oS/B8OeX8I0Hm5RHtXHPba
7jjfAkEAq4LPa0V/Zf3cKEM44YlDR7dwL3MWrX2flQZYtja14FYoj3MLz447PwJU
4esskEdjoqvAaDZUzxZEySOE0CKhQQJAYaQdky645gg02hd/Gg/jCVcqLjN1hei5
glgWRBS2GFHhl4ljcpavOP4ACXoOYzbK3BdQ/LqOT7lnoGeF4oNTQQJAftAvQw/i
XqQQDfIJBnZbwWr0LmQEmMMs0E/aG3M6WbccOC4QWphLRdggLk2BV5dIcd78Nc0C
qj13lOdDAV8GlA==
-----END PRIVATE KEY-----
";

    fn rsa_key() -> AsymmetricKey {
        AsymmetricKey::from_pem(RSA_PKCS8, Wanted::Private).expect("test key")
    }

    #[test]
    fn pem_keys_round_trip_through_node_encodings() {
        let key = rsa_key();
        assert_eq!(key.description()["modulusLength"], 1024);
        let Exported::Text(pkcs8) = key.export("pem", Some("pkcs8")).unwrap() else { panic!("text") };
        assert_eq!(pkcs8, RSA_PKCS8);
        let Exported::Text(pkcs1) = key.export("pem", Some("pkcs1")).unwrap() else { panic!("text") };
        assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let again = AsymmetricKey::from_pem(&pkcs1, Wanted::Public).unwrap();
        assert!(!again.is_private());
        assert_eq!(again.to_der(), key.public().to_der());
    }

    #[test]
    fn openssl_finds_a_block_after_text_but_not_an_indented_one() {
        assert!(AsymmetricKey::from_pem(&format!("note\n{RSA_PKCS8}"), Wanted::Private).is_ok());
        assert!(AsymmetricKey::from_pem(&RSA_PKCS8.replace('\n', "\r\n"), Wanted::Private).is_ok());
        assert_eq!(
            AsymmetricKey::from_pem(&format!("  {RSA_PKCS8}"), Wanted::Private).unwrap_err(),
            KeyError::Unsupported
        );
        assert_eq!(
            AsymmetricKey::from_pem(&RSA_PKCS8.replace('\n', "\\n"), Wanted::Private).unwrap_err(),
            KeyError::Unsupported
        );
        let public = match rsa_key().public().export("pem", Some("spki")).unwrap() {
            Exported::Text(t) => t,
            Exported::Bytes(_) => panic!("text"),
        };
        // A public key where a private one is needed: OpenSSL's decoder error, as in Node.
        assert_eq!(AsymmetricKey::from_pem(&public, Wanted::Private).unwrap_err(), KeyError::Unsupported);
    }

    #[test]
    fn rsa_signatures_verify_and_a_changed_message_does_not() {
        let key = rsa_key();
        let sig = key.sign(Algorithm::Sha256, b"payload", Padding::Pkcs1v15, DsaEncoding::Der).unwrap();
        assert_eq!(sig.len(), 128);
        let public = key.public();
        assert!(public.verify(Algorithm::Sha256, b"payload", &sig, Padding::Pkcs1v15, DsaEncoding::Der).unwrap());
        assert!(!public.verify(Algorithm::Sha256, b"payloaD", &sig, Padding::Pkcs1v15, DsaEncoding::Der).unwrap());
        assert!(!public.verify(Algorithm::Sha384, b"payload", &sig, Padding::Pkcs1v15, DsaEncoding::Der).unwrap());
    }

    #[test]
    fn pss_salt_length_is_recovered_for_auto_verification() {
        let key = rsa_key();
        for salt in [SaltLength::Digest, SaltLength::MaxOrAuto, SaltLength::Bytes(0), SaltLength::Bytes(5)] {
            let sig = key.sign(Algorithm::Sha256, b"m", Padding::Pss(salt), DsaEncoding::Der).unwrap();
            let auto = Padding::Pss(SaltLength::MaxOrAuto);
            assert!(key.verify(Algorithm::Sha256, b"m", &sig, auto, DsaEncoding::Der).unwrap(), "{salt:?}");
            assert!(!key.verify(Algorithm::Sha256, b"n", &sig, auto, DsaEncoding::Der).unwrap(), "{salt:?}");
        }
        let max = key.sign(Algorithm::Sha256, b"m", Padding::Pss(SaltLength::MaxOrAuto), DsaEncoding::Der).unwrap();
        let digest_len = Padding::Pss(SaltLength::Digest);
        assert!(!key.verify(Algorithm::Sha256, b"m", &max, digest_len, DsaEncoding::Der).unwrap());
    }

    #[test]
    fn ecdsa_p256_signs_in_both_encodings() {
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": "UgRQRLHLR75l1jxlu5kJVPdRMzOBrQKYa2QqRYTMLsg",
            "y": "z3B-szeAxxq2B4eqLcKArf0mReSJ0eQxTuSxDORJFY4",
            "d": "jeOuaVVNK0VraDeI3M063Jiuc_AWrh0d_wvbq1X7bno",
        });
        let key = AsymmetricKey::from_jwk(&jwk, Wanted::Private).unwrap();
        assert_eq!(
            key.to_jwk(),
            jwk.as_object()
                .map(|o| {
                    // Node's member order: kty, x, y, crv, d.
                    json!({ "kty": o["kty"], "x": o["x"], "y": o["y"], "crv": o["crv"], "d": o["d"] })
                })
                .unwrap()
        );
        let p1363 = key.sign(Algorithm::Sha256, b"x", Padding::Pkcs1v15, DsaEncoding::P1363).unwrap();
        assert_eq!(p1363.len(), 64);
        let der = key.sign(Algorithm::Sha256, b"x", Padding::Pkcs1v15, DsaEncoding::Der).unwrap();
        assert_eq!(der[0], 0x30);
        assert!(key.verify(Algorithm::Sha256, b"x", &p1363, Padding::Pkcs1v15, DsaEncoding::P1363).unwrap());
        assert!(key.verify(Algorithm::Sha256, b"x", &der, Padding::Pkcs1v15, DsaEncoding::Der).unwrap());
        assert!(!key.verify(Algorithm::Sha256, b"x", &p1363, Padding::Pkcs1v15, DsaEncoding::Der).unwrap());
        // Node's sec1 encoding names the curve; the PKCS #8 one leaves it to the algorithm.
        let Exported::Bytes(sec1) = key.export("der", Some("sec1")).unwrap() else { panic!("bytes") };
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(sec1),
            "MHcCAQEEII3jrmlVTStFa2g3iNzNOtyYrnPwFq4dHf8L26tV+256oAoGCCqGSM49AwEHoUQDQgAEUgRQRLHLR75l1jxlu5kJVPdRMzOBrQKYa2QqRYTMLsjPcH6zN4DHGrYHh6otwoCt/SZF5InR5DFO5LEM5EkVjg=="
        );
        let Exported::Bytes(pkcs8) = key.export("der", Some("pkcs8")).unwrap() else { panic!("bytes") };
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(pkcs8),
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjeOuaVVNK0VraDeI3M063Jiuc/AWrh0d/wvbq1X7bnqhRANCAARSBFBEsctHvmXWPGW7mQlU91EzM4GtAphrZCpFhMwuyM9wfrM3gMcatgeHqi3CgK39JkXkidHkMU7ksQzkSRWO"
        );
        assert_eq!(
            key.export("pem", Some("pkcs1")).unwrap_err().to_string(),
            "The selected key encoding pkcs1 can only be used for RSA keys."
        );
    }
}
