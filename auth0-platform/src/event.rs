//! The post-login `event` as Auth0 hands it to an Action.

/// Objects Auth0 always supplies, as `{}` when there is nothing in them, wherever their parent
/// object is present (the empty path is the event itself). A fixture written by hand often leaves
/// them out; every reader of fixtures (the harness, `explain`, inline tests) adds them, so a
/// policy sees the same event on every path, and the event Auth0 would send.
pub const ALWAYS_PRESENT_OBJECTS: &[(&[&str], &str)] = &[
    (&[], "secrets"),
    (&["request"], "query"),
    (&["request"], "body"),
    (&["user"], "app_metadata"),
    (&["user"], "user_metadata"),
    (&["transaction"], "metadata"),
];

/// Fields Auth0 sends in every post-login event, as dotted paths. A path applies where its
/// parent is present (`transaction.metadata` only when there is a `transaction`); the top-level
/// ones always. A fixture missing one is not an event Auth0 would send, and a rule reading it can
/// fail in a test where it never fails in production.
pub const ALWAYS_SENT: &[&str] = &[
    "client",
    "client.client_id",
    "client.metadata",
    "client.name",
    "connection",
    "connection.id",
    "connection.name",
    "connection.strategy",
    "request",
    "request.body",
    "request.geoip",
    "request.ip",
    "request.method",
    "request.query",
    "secrets",
    "stats",
    "stats.logins_count",
    "tenant",
    "tenant.id",
    "transaction.metadata",
    "user",
    "user.app_metadata",
    "user.created_at",
    "user.email_verified",
    "user.identities",
    "user.updated_at",
    "user.user_id",
    "user.user_metadata",
];

/// A complete post-login event: every field of Auth0's event (the reference's section 4 and
/// Auth0's own type definitions), with realistic, fixed values (`actionkit fixtures new` starts
/// from it, so its output is deterministic). Optional objects are present (organization, session,
/// refresh token, ...); documentation IP addresses and example domains only.
pub const SAMPLE_EVENT_JSON: &str = include_str!("sample_event.json");

/// Event keys whose string values identify a person (wherever they appear: `user.email`,
/// `user.identities[].user_id`, `session.device.last_ip`, ...). A capture replaces them by
/// stable pseudonyms unless the author reveals the path; strings that look like an email
/// address or an IP address are treated the same under any key.
pub const PERSONAL_KEYS: &[&str] = &[
    "email",
    "family_name",
    "given_name",
    "initial_ip",
    "initial_user_agent",
    "ip",
    "last_ip",
    "last_user_agent",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "user_agent",
    "user_id",
    "username",
];
