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
