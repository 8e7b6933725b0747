//! How a fake tenant behaves: its machine-to-machine credentials, the scopes its tokens carry,
//! how long builds take and its rate limit.

/// How the fake tenant behaves.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// The machine-to-machine application's client id.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: String,
    /// The scopes its tokens carry.
    pub scopes: Vec<String>,
    /// GETs an Action stays `building` before it is `built`.
    pub build_polls: u32,
    /// A token bucket: `(burst, per_second)`; `None` for no limit.
    pub rate_limit: Option<(u32, u32)>,
    /// The PEM public key registered for Private Key JWT authentication; token requests with a
    /// client assertion are checked against it (signature, `iss`/`sub`, `aud`, expiry).
    pub client_public_key_pem: Option<String>,
}

impl FakeConfig {
    /// The test key pair of the fake's application for Private Key JWT (test data only).
    pub const CLIENT_SIGNING_KEY_PEM: &str = include_str!("../data/client-signing-key.pem");
    /// Its public key, as registered on the application.
    pub const CLIENT_PUBLIC_KEY_PEM: &str = include_str!("../data/client-signing-key.pub.pem");
}

impl FakeConfig {
    /// Every scope a route of the fake checks.
    pub const ALL_SCOPES: [&str; 31] = [
        "read:actions",
        "create:actions",
        "update:actions",
        "delete:actions",
        "read:resource_servers",
        "create:resource_servers",
        "update:resource_servers",
        "delete:resource_servers",
        "read:roles",
        "create:roles",
        "update:roles",
        "delete:roles",
        "read:clients",
        "create:clients",
        "update:clients",
        "delete:clients",
        "read:client_credentials",
        "create:client_credentials",
        "read:client_grants",
        "create:client_grants",
        "update:client_grants",
        "delete:client_grants",
        "read:tenant_settings",
        "update:tenant_settings",
        "read:prompts",
        "read:users",
        "read:organizations",
        "read:organization_members",
        "read:organization_member_roles",
        "read:user_attribute_profiles",
        "read:connection_profiles",
    ];
}

impl Default for FakeConfig {
    fn default() -> FakeConfig {
        FakeConfig {
            client_id: "fake-client-id".into(),
            client_secret: "fake-client-secret".into(),
            scopes: FakeConfig::ALL_SCOPES.map(String::from).to_vec(),
            build_polls: 2,
            rate_limit: None,
            client_public_key_pem: Some(FakeConfig::CLIENT_PUBLIC_KEY_PEM.into()),
        }
    }
}
