//! Multi-factor authentication: the providers of `api.multifactor.enable`, the factor types of
//! `api.authentication.challengeWith`/`enrollWith`, and how many such commands a login may run.

/// Providers `api.multifactor.enable` accepts.
pub const PROVIDERS: &[&str] = &["none", "guardian", "google-authenticator", "duo", "any"];

/// Factor types of Auth0's factor selectors.
pub const FACTORS: &[&str] =
    &["otp", "email", "recovery-code", "phone", "push-notification", "webauthn-platform", "webauthn-roaming"];

/// Aliases a factor selector may use, and the factor type each stands for.
pub const FACTOR_ALIASES: &[(&str, &str)] = &[("push", "push-notification")];

/// At most this many `challengeWith`/`challengeWithAny`/`enrollWith`/`enrollWithAny` commands per
/// login, all Actions together; one more fails the login.
pub const MAX_COMMANDS: usize = 4;

/// The factor type a selector's `type` names, aliases resolved; `None` for an unknown type.
pub fn factor_type(selector_type: &str) -> Option<&'static str> {
    FACTORS
        .iter()
        .copied()
        .find(|f| *f == selector_type)
        .or_else(|| FACTOR_ALIASES.iter().find(|(alias, _)| *alias == selector_type).map(|(_, factor)| *factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_factors() {
        assert_eq!(factor_type("push"), Some("push-notification"));
        assert_eq!(factor_type("otp"), Some("otp"));
        assert_eq!(factor_type("sms"), None);
        for (_, factor) in FACTOR_ALIASES {
            assert!(FACTORS.contains(factor));
        }
    }
}
