//! Secret values: a [`Secret`] wrapper that never prints its value, and where the values come
//! from (the process environment, then the manifest's `[deploy] secrets_env_file`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::DeployError;

/// A secret value or token. `Debug` and `Display` print `[redacted]`, so a `Secret` can sit in
/// any struct that is logged or shown in an error.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Secret values by name, as found for a deploy.
#[derive(Debug, Clone, Default)]
pub struct SecretValues(BTreeMap<String, Secret>);

impl SecretValues {
    /// Values for `names`: the process environment first (so CI can inject them), then the
    /// dotenv file `env_file` if given. Names without a value are simply absent: whether that
    /// is an error depends on whether the plan has to send them.
    ///
    /// # Errors
    ///
    /// [`DeployError::Config`] if `env_file` is given but cannot be read or parsed.
    pub fn load(
        names: &[String],
        env_file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<SecretValues, DeployError> {
        let file = match env_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    DeployError::config(
                        format!("cannot read the secrets file `{}`: {e}", path.display()),
                        "the manifest's `[deploy] secrets_env_file` names it; create it from dist/secrets.example.env",
                    )
                })?;
                parse_dotenv(&text).map_err(|(line, why)| {
                    DeployError::config(
                        format!("`{}` line {line}: {why}", path.display()),
                        "write one `NAME=value` per line; quote values with spaces",
                    )
                })?
            }
            None => BTreeMap::new(),
        };
        let mut values = BTreeMap::new();
        for name in names {
            let value = env(name).filter(|v| !v.is_empty()).or_else(|| file.get(name).cloned());
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                values.insert(name.clone(), Secret::new(value));
            }
        }
        Ok(SecretValues(values))
    }

    /// Values from a map (tests and library users).
    pub fn from_map(map: BTreeMap<String, Secret>) -> SecretValues {
        SecretValues(map)
    }

    /// The value of `name`, if known.
    pub fn get(&self, name: &str) -> Option<&Secret> {
        self.0.get(name)
    }
}

/// Parses a dotenv file: `NAME=value` lines, optional `export `, `#` comments, single quotes
/// (literal) or double quotes (with `\n`, `\"`, `\\` escapes). Errors are `(line, reason)`.
fn parse_dotenv(text: &str) -> Result<BTreeMap<String, String>, (usize, String)> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            return Err((i + 1, "expected `NAME=value`".into()));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            // Never echo the line: it may hold a value.
            return Err((i + 1, "the name before `=` must be letters, digits and `_`".into()));
        }
        let value = value.trim();
        let value = if let Some(rest) = value.strip_prefix('"') {
            let Some(inner) = rest.strip_suffix('"') else {
                return Err((i + 1, "unterminated double quote".into()));
            };
            inner.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\")
        } else if let Some(rest) = value.strip_prefix('\'') {
            let Some(inner) = rest.strip_suffix('\'') else {
                return Err((i + 1, "unterminated single quote".into()));
            };
            inner.to_string()
        } else {
            // Unquoted: a ` #` starts a comment, as in most dotenv dialects.
            value.split(" #").next().unwrap_or("").trim_end().to_string()
        };
        out.insert(name.to_string(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print_their_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "[redacted] Secret([redacted])");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn dotenv_dialect() {
        let text = "# c\nexport A=1\nB = 'x y'\nC=\"a\\nb\"\nD=plain # note\n\nE=\n";
        let m = parse_dotenv(text).unwrap();
        assert_eq!(m["A"], "1");
        assert_eq!(m["B"], "x y");
        assert_eq!(m["C"], "a\nb");
        assert_eq!(m["D"], "plain");
        assert_eq!(m["E"], "");
        assert_eq!(parse_dotenv("A=\"open\n").unwrap_err().0, 1);
        assert_eq!(parse_dotenv("ok=1\nno equals\n").unwrap_err().0, 2);
    }

    #[test]
    fn environment_wins_over_the_file_and_empty_means_missing() {
        let dir = std::env::temp_dir().join(format!("ak-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(".env");
        std::fs::write(&file, "A=from-file\nB=from-file\nC=\n").unwrap();
        let names = vec!["A".to_string(), "B".to_string(), "C".to_string()];
        let values = SecretValues::load(&names, Some(&file), |n| (n == "A").then(|| "from-env".to_string())).unwrap();
        assert_eq!(values.get("A").unwrap().expose(), "from-env");
        assert_eq!(values.get("B").unwrap().expose(), "from-file");
        assert!(values.get("C").is_none());
        let err = SecretValues::load(&names, Some(&dir.join("missing.env")), |_| None).unwrap_err();
        assert!(err.to_string().contains("cannot read the secrets file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
