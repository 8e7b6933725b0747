//! The project manifest, `actionkit.toml`: what the Action is called, where its policy and
//! fixtures are, and how it is deployed.
//!
//! ```toml
//! [action]
//! name = "express-configure"      # the Auth0 Action name; also the file names in dist/
//! policy = "policy.toml"          # default
//! fixtures = "fixtures"           # default
//! runtime = "node22"              # the only runtime actionkit generates for
//! dependencies = { "jose" = "5.9.6" }   # npm packages sent with the Action (optional)
//!
//! [deploy]
//! secrets_env_file = ".env"       # where `actionkit deploy` reads secret values (optional)
//! binding = "last"                # "first" | "last" | { after = "name" } | { before = "name" }
//!
//! # The post-login flow `actionkit test` runs the fixtures through, in bound order (optional;
//! # without it, the Action alone): the project's Action and hand-written Actions beside it.
//! [[flow]]
//! path = "actions/enrich.js"                 # a hand-written Action, relative to the project
//! dependencies = { "lodash" = "4.17.21" }    # its npm packages, as declared in Auth0 (optional)
//!
//! [[flow]]
//! generated = true                           # this project's Action
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;

/// The manifest's file name inside a project directory.
pub const MANIFEST_FILE: &str = "actionkit.toml";

/// A parsed and validated manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The `[action]` table.
    pub action: ActionSection,
    /// The `[deploy]` table.
    #[serde(default)]
    pub deploy: DeploySection,
    /// The optional `[express_configuration]` table: the tenant setup around the Action that
    /// `actionkit deploy` creates or updates (resource server, role, OIN client, grant, flag).
    #[serde(default)]
    pub express_configuration: Option<ExpressConfigurationSection>,
    /// `[environments.NAME]`: per-tenant values chosen with `--env NAME` (see
    /// [`Manifest::for_environment`]).
    #[serde(default)]
    pub environments: std::collections::BTreeMap<String, EnvironmentSection>,
    /// `[[flow]]`: the post-login flow the fixtures run through, in bound order; empty when the
    /// Action runs alone. When present, exactly one entry is the project's Action.
    #[serde(default)]
    pub flow: Vec<FlowEntry>,
}

/// One Action of `[[flow]]`: the project's own Action (`generated = true`), or a hand-written
/// Action file with the npm packages it declares in Auth0. Deploy sends only the project's Action
/// (with `[action] dependencies`); the others are in the tenant already and here to test with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowEntry {
    /// A hand-written Action file, relative to the project directory.
    pub path: Option<PathBuf>,
    /// Marks the project's own (generated) Action.
    #[serde(default)]
    pub generated: bool,
    /// The hand-written Action's npm packages, name → exact version.
    #[serde(default)]
    pub dependencies: std::collections::BTreeMap<String, String>,
}

/// `[environments.NAME]`: the values that differ between tenants (dev, staging, prod). Each
/// replaces the manifest's own when `--env NAME` is given.
///
/// ```toml
/// [environments.staging]
/// secrets_env_file = ".env.staging"
/// binding = "first"
/// sp_client_id = "stg_abc123"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSection {
    /// Replaces `[deploy] secrets_env_file`.
    pub secrets_env_file: Option<PathBuf>,
    /// Replaces `[deploy] binding`.
    pub binding: Option<Binding>,
    /// Replaces `[express_configuration] sp_client_id`.
    pub sp_client_id: Option<String>,
}

/// `[express_configuration]`: which public recipe to follow and its few free values.
///
/// ```toml
/// [express_configuration]
/// recipe = "okta"                          # "auth0" (urn:auth0:express-configure) | "okta"
/// sp_client_id = "abc123"                  # the SaaS app's client id (client_metadata; okta recipe)
/// public_key = "okta-public-key.pem"       # the OIN's key for private_key_jwt (optional)
/// scim = true                              # also the SCIM permission and grant scopes
/// role = "EXPRESS_CONFIGURE_ADMIN_ROLE"    # default
/// oin_client_name = "Okta OIN Integration Client"   # default
/// organization_require_behavior = "post_login_prompt"  # default: the recipe's
/// use_scope_descriptions_for_consent = true            # default
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpressConfigurationSection {
    /// The recipe: the Auth0 doc's or the Okta guide's (they differ in identifier and scopes).
    pub recipe: ExpressRecipe,
    /// Also set up SCIM (the `…:scim` permission and the SCIM Management API scopes).
    #[serde(default)]
    pub scim: bool,
    /// The role holding the Express Configuration permissions.
    #[serde(default = "default_role")]
    pub role: String,
    /// The OIN client's name (its identity: clients are found by name).
    #[serde(default = "default_oin_client")]
    pub oin_client_name: String,
    /// The SaaS application's client id, stored in the OIN client's `client_metadata`.
    pub sp_client_id: Option<String>,
    /// A PEM public key file (relative to the project) for the OIN client's `private_key_jwt`.
    pub public_key: Option<PathBuf>,
    /// `organization_require_behavior` of the OIN client; by default the recipe's own
    /// (`pre_login_prompt` in Auth0's doc, `post_login_prompt` in Okta's guide).
    pub organization_require_behavior: Option<String>,
    /// The tenant flag `use_scope_descriptions_for_consent` (readable consent screen).
    #[serde(default = "default_true")]
    pub use_scope_descriptions_for_consent: bool,
    /// `[express_configuration.saas_app]`: the SaaS application's own `express_configuration`
    /// object (Auth0's recipe).
    #[serde(default)]
    pub saas_app: Option<SaasAppSection>,
}

/// `[express_configuration.saas_app]`: what Auth0's Express Configuration wizard sets on the
/// SaaS application itself (`PATCH /clients/{id}` `express_configuration`). The profiles are
/// named, not given by id, and must exist on the tenant (create them from Auth0's templates).
///
/// ```toml
/// [express_configuration.saas_app]
/// client_id = "abc123"
/// initiate_login_uri_template = "https://{organization_name}.app.example.com/login?connection={connection_name}"
/// admin_login_domain = "login.example.com"
/// user_attribute_profile = "Default User Attribute Profile"
/// connection_profile = "Default Connection Profile"
/// # enable_client = true, enable_organization = true   (defaults)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaasAppSection {
    /// The SaaS application's client id.
    pub client_id: String,
    /// Where Okta starts an admin's login; `{organization_name}` and `{connection_name}` are
    /// filled in by Okta.
    pub initiate_login_uri_template: String,
    /// The domain the SaaS app's admins log in on.
    pub admin_login_domain: String,
    /// The user attribute profile, by name.
    pub user_attribute_profile: String,
    /// The connection profile, by name.
    pub connection_profile: String,
    /// `enable_client`.
    #[serde(default = "default_true")]
    pub enable_client: bool,
    /// `enable_organization`.
    #[serde(default = "default_true")]
    pub enable_organization: bool,
}

/// Which public Express Configuration recipe to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpressRecipe {
    /// Auth0's doc: API `urn:auth0:express-configure`, permissions `express_configure:sso`
    /// and `express_configure:scim`, OIN client `app_type = "express_configuration"`.
    Auth0,
    /// Okta's guide: API `https://system.okta.com/actions/express-configure/v1`, permission
    /// `expressconfigure:sso` (and `:scim`), OIN client `regular_web` with `client_metadata`.
    Okta,
}

fn default_role() -> String {
    String::from("EXPRESS_CONFIGURE_ADMIN_ROLE")
}

fn default_oin_client() -> String {
    String::from("Okta OIN Integration Client")
}

fn default_true() -> bool {
    true
}

/// `[action]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSection {
    /// The Auth0 Action name.
    pub name: String,
    /// The policy file, relative to the project directory.
    #[serde(default = "default_policy")]
    pub policy: PathBuf,
    /// The fixtures directory, relative to the project directory.
    #[serde(default = "default_fixtures")]
    pub fixtures: PathBuf,
    /// The Auth0 runtime.
    #[serde(default = "default_runtime")]
    pub runtime: String,
    /// npm packages the Action is sent with, name → exact version (`"lodash" = "4.17.21"`).
    /// Auth0 installs them when it builds the draft.
    #[serde(default)]
    pub dependencies: std::collections::BTreeMap<String, String>,
}

/// `[deploy]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySection {
    /// A dotenv file with secret values, relative to the project directory.
    pub secrets_env_file: Option<PathBuf>,
    /// Where the Action goes in the post-login flow.
    #[serde(default)]
    pub binding: Binding,
}

/// Where the Action is bound in the post-login flow, relative to the bindings already there.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Before every other Action.
    First,
    /// After every other Action.
    #[default]
    Last,
    /// Right after the named Action.
    After(String),
    /// Right before the named Action.
    Before(String),
}

fn default_policy() -> PathBuf {
    PathBuf::from("policy.toml")
}

fn default_fixtures() -> PathBuf {
    PathBuf::from("fixtures")
}

fn default_runtime() -> String {
    String::from("node22")
}

/// Whether `version` is one exact npm version (`1.2.3`, `1.2.3-beta.1`, `1.2.3+build`), not a range.
fn is_exact_version(version: &str) -> bool {
    let (core, rest) = match version.find(['-', '+']) {
        Some(i) => (&version[..i], &version[i + 1..]),
        None => (version, ""),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers.iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        && (version.len() == core.len() || !rest.is_empty())
}

/// Why a manifest could not be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ManifestError {
    /// The directory has no manifest.
    #[error("no `{MANIFEST_FILE}` in `{}`", dir.display())]
    #[diagnostic(code("manifest::missing"), help("pass a project directory, or create one with `actionkit init DIR`"))]
    Missing {
        /// The directory searched.
        dir: PathBuf,
    },
    /// The manifest could not be read.
    #[error("cannot read `{}`", path.display())]
    #[diagnostic(code("manifest::io"))]
    Io {
        /// The manifest path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is not valid TOML or does not have the manifest's shape.
    #[error("invalid manifest: {message}")]
    #[diagnostic(code("manifest::invalid"))]
    Invalid {
        /// What is wrong.
        message: String,
        /// The manifest text.
        #[source_code]
        source_code: Arc<NamedSource<String>>,
        /// Where.
        #[label("here")]
        span: Option<SourceSpan>,
    },
    /// The fixtures directory the manifest names (or the default `fixtures/`) does not exist: a
    /// typo must not turn into a suite that passes because it ran nothing.
    #[error("the fixtures directory `{}` does not exist", dir.display())]
    #[diagnostic(
        code("manifest::fixtures-missing"),
        help("fix `fixtures` in `[action]`, or create the directory (a project without fixtures keeps an empty one)")
    )]
    FixturesMissing {
        /// The directory looked for.
        dir: PathBuf,
        /// The manifest text.
        #[source_code]
        source_code: Arc<NamedSource<String>>,
        /// The `fixtures` value, when the manifest sets one.
        #[label("named here")]
        span: Option<SourceSpan>,
    },
    /// A value is well-formed TOML but not allowed.
    /// `--env NAME` names no `[environments.NAME]` table, or one that cannot apply.
    #[error("{message}")]
    #[diagnostic(code("manifest::environment"), help("{help}"))]
    Environment {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    #[error("invalid manifest: {message}")]
    #[diagnostic(code("manifest::invalid-value"), help("{help}"))]
    InvalidValue {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
        /// The manifest text.
        #[source_code]
        source_code: Arc<NamedSource<String>>,
    },
}

impl Manifest {
    /// Reads `actionkit.toml` from the project directory `dir`.
    ///
    /// # Errors
    ///
    /// [`ManifestError`] when the file is missing, unreadable, malformed or has invalid values.
    pub fn load(dir: &Path) -> Result<Manifest, ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ManifestError::Missing { dir: dir.to_path_buf() })
            }
            Err(source) => return Err(ManifestError::Io { path, source }),
        };
        Manifest::parse(&text, &path.display().to_string())
    }

    /// The fixtures directory of the project in `project_dir`, which must exist.
    ///
    /// # Errors
    ///
    /// [`ManifestError::FixturesMissing`], pointing at the manifest's `fixtures` value.
    pub fn fixtures_dir(&self, project_dir: &Path) -> Result<PathBuf, ManifestError> {
        let dir = project_dir.join(&self.action.fixtures);
        if dir.is_dir() {
            return Ok(dir);
        }
        /// Only the span of `[action] fixtures`, read again from the file for the diagnostic.
        #[derive(Deserialize)]
        struct FixturesKey {
            action: Option<ActionKey>,
        }
        #[derive(Deserialize)]
        struct ActionKey {
            fixtures: Option<toml::Spanned<String>>,
        }
        let path = project_dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let span = toml::from_str::<FixturesKey>(&text)
            .ok()
            .and_then(|key| key.action?.fixtures)
            .map(|value| SourceSpan::from(value.span()));
        Err(ManifestError::FixturesMissing {
            dir,
            source_code: Arc::new(NamedSource::new(path.display().to_string(), text)),
            span,
        })
    }

    /// Parses manifest text; `file_name` is used in diagnostics.
    ///
    /// # Errors
    ///
    /// [`ManifestError::Invalid`] or [`ManifestError::InvalidValue`].
    /// The manifest as the environment `name` sees it: its `[environments.NAME]` values in
    /// place of the manifest's own.
    ///
    /// # Errors
    ///
    /// [`ManifestError::Environment`] if there is no such environment, or if it sets
    /// `sp_client_id` without an `[express_configuration]` table to set it in.
    pub fn for_environment(&self, name: &str) -> Result<Manifest, ManifestError> {
        let Some(env) = self.environments.get(name) else {
            return Err(ManifestError::Environment {
                message: format!("no environment `{name}` in the manifest"),
                help: format!(
                    "the manifest's environments: [{}]; add `[environments.{name}]` to `actionkit.toml`",
                    self.environments.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        };
        let mut manifest = self.clone();
        if let Some(file) = &env.secrets_env_file {
            manifest.deploy.secrets_env_file = Some(file.clone());
        }
        if let Some(binding) = &env.binding {
            manifest.deploy.binding = binding.clone();
        }
        if let Some(sp) = &env.sp_client_id {
            let Some(ec) = manifest.express_configuration.as_mut() else {
                return Err(ManifestError::Environment {
                    message: format!(
                        "environment `{name}` sets `sp_client_id`, but the manifest has no `[express_configuration]`"
                    ),
                    help: "add the `[express_configuration]` table, or remove `sp_client_id` from the environment"
                        .into(),
                });
            };
            ec.sp_client_id = Some(sp.clone());
        }
        Ok(manifest)
    }

    pub fn parse(text: &str, file_name: &str) -> Result<Manifest, ManifestError> {
        let source = || Arc::new(NamedSource::new(file_name, text.to_string()));
        let manifest: Manifest = toml::from_str(text).map_err(|e| ManifestError::Invalid {
            message: e.message().to_string(),
            source_code: source(),
            span: e.span().map(SourceSpan::from),
        })?;
        let name = &manifest.action.name;
        let name_ok = !name.is_empty()
            && name.len() <= 100
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !name.starts_with('.');
        if !name_ok {
            return Err(ManifestError::InvalidValue {
                message: format!("action name `{name}` is not usable as a file name"),
                help: "use 1 to 100 letters, digits, `-`, `_` or `.`, not starting with `.`".into(),
                source_code: source(),
            });
        }
        let all_dependencies =
            manifest.action.dependencies.iter().chain(manifest.flow.iter().flat_map(|entry| &entry.dependencies));
        if let Some((name, version)) = all_dependencies.into_iter().find(|(n, v)| n.is_empty() || !is_exact_version(v))
        {
            return Err(ManifestError::InvalidValue {
                message: format!("dependency `{name}` = `{version}` is not an npm package and exact version"),
                help:
                    "write `dependencies = { \"package\" = \"1.2.3\" }`: Auth0 installs that exact version (no ranges)"
                        .into(),
                source_code: source(),
            });
        }
        if !manifest.flow.is_empty() {
            let generated = manifest.flow.iter().filter(|entry| entry.generated).count();
            let problem = if generated != 1 {
                Some(format!("`[[flow]]` has {generated} entries with `generated = true`; it needs exactly one"))
            } else {
                manifest.flow.iter().find_map(|entry| match (entry.generated, &entry.path) {
                    (true, Some(path)) => Some(format!(
                        "the `[[flow]]` entry of the project's Action also names `path = \"{}\"`",
                        path.display()
                    )),
                    (true, None) if !entry.dependencies.is_empty() => Some(
                        "the `[[flow]]` entry of the project's Action declares `dependencies`; they belong in `[action]`"
                            .into(),
                    ),
                    (false, None) => Some("a `[[flow]]` entry has neither `path` nor `generated = true`".into()),
                    _ => None,
                })
            };
            if let Some(message) = problem {
                return Err(ManifestError::InvalidValue {
                    message,
                    help: "list the flow in bound order: `[[flow]] generated = true` for this project's Action, \
                           `[[flow]] path = \"actions/x.js\"` for each hand-written one"
                        .into(),
                    source_code: source(),
                });
            }
        }
        if manifest.action.runtime != "node22" {
            return Err(ManifestError::InvalidValue {
                message: format!("runtime `{}` is not supported", manifest.action.runtime),
                help: "actionkit generates Actions for Auth0's `node22` runtime".into(),
                source_code: source(),
            });
        }
        if let Some(ec) = &manifest.express_configuration {
            let behavior = ec.organization_require_behavior.as_deref().unwrap_or("post_login_prompt");
            if !matches!(behavior, "no_prompt" | "pre_login_prompt" | "post_login_prompt") {
                return Err(ManifestError::InvalidValue {
                    message: format!("organization_require_behavior `{behavior}` is not known"),
                    help: "use `no_prompt`, `pre_login_prompt` or `post_login_prompt`".into(),
                    source_code: source(),
                });
            }
            if let Some(app) = &ec.saas_app {
                if ec.recipe != ExpressRecipe::Auth0 {
                    return Err(ManifestError::InvalidValue {
                        message: "`[express_configuration.saas_app]` belongs to the auth0 recipe".into(),
                        help: "the Okta guide does not set the SaaS app's express_configuration; remove the table or use recipe = \"auth0\"".into(),
                        source_code: source(),
                    });
                }
                if !app.initiate_login_uri_template.starts_with("https://") {
                    return Err(ManifestError::InvalidValue {
                        message: format!(
                            "initiate_login_uri_template `{}` is not an https URL",
                            app.initiate_login_uri_template
                        ),
                        help: "e.g. \"https://{organization_name}.app.example.com/login?connection={connection_name}\""
                            .into(),
                        source_code: source(),
                    });
                }
            }
            if ec.recipe == ExpressRecipe::Okta && ec.sp_client_id.as_deref().is_none_or(str::is_empty) {
                return Err(ManifestError::InvalidValue {
                    message: "the okta recipe needs `sp_client_id` in `[express_configuration]`".into(),
                    help: "set it to the client id of the SaaS application Express Configuration is for".into(),
                    source_code: source(),
                });
            }
        }
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn environments_replace_the_deploy_values() {
        let text = "[action]\nname = \"a\"\n[deploy]\nbinding = \"last\"\nsecrets_env_file = \".env\"\n\
                    [express_configuration]\nrecipe = \"okta\"\nsp_client_id = \"dev\"\n\
                    [environments.prod]\nsp_client_id = \"prod\"\nbinding = { after = \"audit\" }\nsecrets_env_file = \".env.prod\"\n\
                    [environments.dev]\n";
        let m = super::Manifest::parse(text, "actionkit.toml").unwrap();
        let prod = m.for_environment("prod").unwrap();
        assert_eq!(prod.deploy.binding, super::Binding::After("audit".into()));
        assert_eq!(prod.deploy.secrets_env_file.as_deref(), Some(std::path::Path::new(".env.prod")));
        assert_eq!(prod.express_configuration.unwrap().sp_client_id.as_deref(), Some("prod"));
        assert_eq!(m.for_environment("dev").unwrap().deploy, m.deploy, "an empty environment changes nothing");
        let err = m.for_environment("qa").unwrap_err();
        assert_eq!(err.to_string(), "no environment `qa` in the manifest");
    }

    use super::*;

    #[test]
    fn a_flow_places_the_project_action_among_hand_written_ones_with_their_dependencies() {
        let text = "[action]\nname = \"ec\"\ndependencies = { \"jose\" = \"5.9.6\" }\n\
                    [[flow]]\npath = \"actions/enrich.js\"\ndependencies = { \"lodash\" = \"4.17.21\", \"@scope/p\" = \"1.0.0-rc.1\" }\n\
                    [[flow]]\ngenerated = true\n";
        let m = Manifest::parse(text, "actionkit.toml").unwrap();
        assert_eq!(m.flow.len(), 2);
        assert_eq!(m.flow[0].path.as_deref(), Some(Path::new("actions/enrich.js")));
        assert_eq!(m.flow[0].dependencies["lodash"], "4.17.21");
        assert!(m.flow[1].generated && m.flow[1].path.is_none());
        assert!(Manifest::parse("[action]\nname = \"ec\"\n", "actionkit.toml").unwrap().flow.is_empty());
        for (flow, message) in [
            ("[[flow]]\npath = \"a.js\"\n", "`[[flow]]` has 0 entries with `generated = true`; it needs exactly one"),
            ("[[flow]]\ngenerated = true\n[[flow]]\ngenerated = true\n", "`[[flow]]` has 2 entries"),
            ("[[flow]]\ngenerated = true\npath = \"a.js\"\n", "also names `path = \"a.js\"`"),
            ("[[flow]]\ngenerated = true\ndependencies = { \"ms\" = \"2.1.3\" }\n", "they belong in `[action]`"),
            ("[[flow]]\ngenerated = true\n[[flow]]\n", "neither `path` nor `generated = true`"),
            (
                "[[flow]]\ngenerated = true\n[[flow]]\npath = \"a.js\"\ndependencies = { \"ms\" = \"^2.1.3\" }\n",
                "`ms` = `^2.1.3` is not an npm package and exact version",
            ),
        ] {
            let err = Manifest::parse(&format!("[action]\nname = \"ec\"\n{flow}"), "actionkit.toml").unwrap_err();
            assert!(err.to_string().contains(message), "{flow}: {err}");
        }
    }

    #[test]
    fn dependencies_are_exact_versions() {
        for good in ["1.2.3", "10.0.0-beta.1", "1.0.0+build.5", "1.0.0-rc.1+b"] {
            assert!(is_exact_version(good), "{good}");
        }
        for bad in ["", "1.2", "^1.2.3", "~1.2.3", "1.2.x", "latest", ">=1.0.0", "1.2.3 - 2.0.0", "1.2.3-", "01.2.3x"] {
            assert!(!is_exact_version(bad), "{bad}");
        }
    }

    #[test]
    fn defaults() {
        let m = Manifest::parse("[action]\nname = \"ec\"\n", "actionkit.toml").unwrap();
        assert_eq!(m.action.policy, PathBuf::from("policy.toml"));
        assert_eq!(m.action.fixtures, PathBuf::from("fixtures"));
        assert_eq!(m.deploy.binding, Binding::Last);
    }

    #[test]
    fn bindings() {
        let m =
            Manifest::parse("[action]\nname = \"ec\"\n[deploy]\nbinding = { after = \"audit\" }\n", "actionkit.toml")
                .unwrap();
        assert_eq!(m.deploy.binding, Binding::After("audit".into()));
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let err = Manifest::parse("[action]\nname = \"ec\"\npolicyy = \"x\"\n", "m.toml").unwrap_err();
        match err {
            ManifestError::Invalid { message, span, .. } => {
                assert!(message.contains("unknown field `policyy`"), "{message}");
                let span = span.unwrap();
                assert_eq!(span.offset(), "[action]\nname = \"ec\"\n".len());
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn express_configuration() {
        let base = "[action]\nname = \"ec\"\n[express_configuration]\n";
        let m = Manifest::parse(&format!("{base}recipe = \"auth0\"\n"), "m.toml").unwrap();
        let ec = m.express_configuration.unwrap();
        assert_eq!(
            (ec.recipe, ec.role.as_str(), ec.use_scope_descriptions_for_consent),
            (ExpressRecipe::Auth0, "EXPRESS_CONFIGURE_ADMIN_ROLE", true)
        );
        assert!(matches!(
            Manifest::parse(&format!("{base}recipe = \"okta\"\n"), "m.toml"),
            Err(ManifestError::InvalidValue { message, .. }) if message.contains("sp_client_id")
        ));
        assert!(Manifest::parse(&format!("{base}recipe = \"okta\"\nsp_client_id = \"x\"\n"), "m.toml").is_ok());
        assert!(matches!(
            Manifest::parse(&format!("{base}recipe = \"auth0\"\norganization_require_behavior = \"x\"\n"), "m.toml"),
            Err(ManifestError::InvalidValue { .. })
        ));
        assert!(matches!(
            Manifest::parse(&format!("{base}recipe = \"auth0\"\nrol = \"x\"\n"), "m.toml"),
            Err(ManifestError::Invalid { .. })
        ));
    }

    #[test]
    fn bad_names_and_runtimes() {
        for bad in ["", "a/b", ".hidden", "with space"] {
            let text = format!("[action]\nname = \"{bad}\"\n");
            assert!(matches!(Manifest::parse(&text, "m.toml"), Err(ManifestError::InvalidValue { .. })));
        }
        let text = "[action]\nname = \"ec\"\nruntime = \"node18\"\n";
        assert!(matches!(Manifest::parse(text, "m.toml"), Err(ManifestError::InvalidValue { .. })));
    }
}
