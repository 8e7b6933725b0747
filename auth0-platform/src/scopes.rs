//! Access-token scopes (`api.accessToken.addScope` / `removeScope`).

/// Longest scope, in characters.
pub const MAX_SCOPE_CHARS: usize = 280;

/// Most scopes one login may add.
pub const MAX_ADDED_SCOPES: usize = 1000;

/// Whether Auth0 accepts `scope` (already trimmed, as Auth0 trims it): 1 to
/// [`MAX_SCOPE_CHARS`] characters without whitespace.
pub fn is_valid_scope(scope: &str) -> bool {
    !scope.is_empty() && scope.chars().count() <= MAX_SCOPE_CHARS && !scope.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_syntax() {
        assert!(is_valid_scope("express_configure:sso"));
        assert!(!is_valid_scope(""));
        assert!(!is_valid_scope("a b"));
        assert!(is_valid_scope(&"é".repeat(MAX_SCOPE_CHARS)));
        assert!(!is_valid_scope(&"a".repeat(MAX_SCOPE_CHARS + 1)));
    }
}
