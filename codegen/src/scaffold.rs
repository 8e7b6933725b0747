//! `actionkit init`: a new project from a preset that builds and tests out of the box.
//!
//! The presets' policies and fixtures are the bundled examples (`examples/<preset>/`), embedded
//! at compile time, so an example and the project `init` creates can never drift apart; the
//! manifest, README and `.gitignore` come from `templates/init/`.

use std::path::{Path, PathBuf};

use miette::Diagnostic;

const MANIFEST: &str = include_str!("../../templates/init/actionkit.toml.tera");
const README: &str = include_str!("../../templates/init/README.md.tera");
const GITIGNORE: &str = include_str!("../../templates/init/gitignore.tera");

/// A ready-made project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Auth0's guide: home-realm discovery domains, scopes from user attributes, MFA
    /// (API `urn:auth0:express-configure`).
    ExpressConfigure,
    /// Okta's guide: the `sp_client_id`, `management_api_audience` and `init_login_uri` claims
    /// (API `https://system.okta.com/actions/express-configure/v1`).
    OktaExpressConfigure,
}

struct PresetFiles {
    name: &'static str,
    description: &'static str,
    action_name: &'static str,
    policy: &'static str,
    fixtures: &'static [(&'static str, &'static str)],
}

macro_rules! fixture {
    ($example:literal, $name:literal) => {
        ($name, include_str!(concat!("../../examples/", $example, "/fixtures/", $name)))
    };
}

impl Preset {
    /// Every preset, for listings.
    pub const ALL: [Preset; 2] = [Preset::ExpressConfigure, Preset::OktaExpressConfigure];

    /// The preset's name on the command line.
    pub fn name(self) -> &'static str {
        self.files().name
    }

    /// A one-line description.
    pub fn description(self) -> &'static str {
        self.files().description
    }

    /// The preset with this name.
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    fn files(self) -> PresetFiles {
        match self {
            Preset::ExpressConfigure => PresetFiles {
                name: "express-configure",
                description:
                    "Express Configuration as in Auth0's guide: home-realm discovery, scopes from user attributes, MFA",
                action_name: "express-configure",
                policy: include_str!("../../examples/express-configure/policy.toml"),
                fixtures: &[
                    fixture!("express-configure", "admin.json"),
                    fixture!("express-configure", "non-admin.json"),
                    fixture!("express-configure", "other-api.json"),
                ],
            },
            Preset::OktaExpressConfigure => PresetFiles {
                name: "okta-express-configure",
                description:
                    "Express Configuration as in Okta's guide: sp_client_id claims for the Express Configure API",
                action_name: "express_configure_postlogin_action",
                policy: include_str!("../../examples/okta-express-configure/policy.toml"),
                fixtures: &[
                    fixture!("okta-express-configure", "express-configure-request.json"),
                    fixture!("okta-express-configure", "missing-organization.json"),
                    fixture!("okta-express-configure", "other-api.json"),
                ],
            },
        }
    }
}

/// Why a project could not be created.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ScaffoldError {
    /// The directory exists and is not empty.
    #[error("`{}` already exists and is not empty", path.display())]
    #[diagnostic(code("init::not-empty"), help("choose a new directory; actionkit never overwrites files"))]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// The action name is not usable.
    #[error("`{name}` is not a usable Action name")]
    #[diagnostic(code("init::bad-name"), help("use 1 to 100 letters, digits, `-`, `_` or `.`, not starting with `.`"))]
    BadName {
        /// The name.
        name: String,
    },
    /// Writing failed; nothing was left behind.
    #[error("cannot write `{}`", path.display())]
    #[diagnostic(code("init::io"))]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A template failed (a bug: templates are fixed at build time).
    #[error("rendering the project templates failed")]
    #[diagnostic(code("init::template"))]
    Template(#[from] tera::Error),
}

/// Creates a project from `preset` in `dir` (which must not exist or be empty). `name` overrides
/// the preset's Action name. Returns the files written, relative to `dir`.
///
/// # Errors
///
/// [`ScaffoldError`]; on error nothing is left in `dir`.
pub fn scaffold(dir: &Path, preset: Preset, name: Option<&str>) -> Result<Vec<PathBuf>, ScaffoldError> {
    let files = preset.files();
    let name = name.unwrap_or(files.action_name);
    let manifest_probe = format!("[action]\nname = {}\n", toml_string(name));
    if manifest::Manifest::parse(&manifest_probe, "actionkit.toml").is_err() {
        return Err(ScaffoldError::BadName { name: name.to_string() });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(ScaffoldError::NotEmpty { path: dir.to_path_buf() });
    }
    let secrets = policy::compile(files.policy, "policy.toml").map(|c| c.policy.secrets).unwrap_or_default();

    let mut tera = tera::Tera::default();
    tera.autoescape_on(Vec::new());
    tera.add_raw_template("actionkit.toml", MANIFEST)?;
    tera.add_raw_template("README.md", README)?;
    let mut context = tera::Context::new();
    context.insert("name", name);
    context.insert("preset", files.name);
    context.insert("description", files.description);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    context.insert("secrets", &secrets);
    context.insert("first_fixture", files.fixtures.first().map_or("event.json", |f| f.0));

    let mut out: Vec<(PathBuf, String)> = vec![
        ("actionkit.toml".into(), tera.render("actionkit.toml", &context)?),
        ("policy.toml".into(), files.policy.to_string()),
        ("README.md".into(), tera.render("README.md", &context)?),
        (".gitignore".into(), GITIGNORE.to_string()),
    ];
    for (fixture, text) in files.fixtures {
        out.push((Path::new("fixtures").join(fixture), (*text).to_string()));
    }

    // Write into a sibling staging directory, then rename: all or nothing.
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let leaf = dir.file_name().map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{leaf}.init-{}", std::process::id()));
    let result = (|| {
        for (path, text) in &out {
            let full = staging.join(path);
            if let Some(d) = full.parent() {
                std::fs::create_dir_all(d).map_err(io(d))?;
            }
            std::fs::write(&full, text).map_err(io(&dir.join(path)))?;
        }
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(io(dir))?;
        }
        std::fs::rename(&staging, dir).map_err(io(dir))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result?;
    Ok(out.into_iter().map(|(p, _)| p).collect())
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_compiles_with_its_tests_passing_and_builds_a_manifest() {
        for preset in Preset::ALL {
            let tmp = tempfile_dir();
            let dir = tmp.join(preset.name());
            let files = scaffold(&dir, preset, None).unwrap();
            assert!(files.contains(&PathBuf::from("policy.toml")));
            let manifest = manifest::Manifest::load(&dir).unwrap();
            assert_eq!(manifest.action.name, preset.files().action_name);
            let text = std::fs::read_to_string(dir.join("policy.toml")).unwrap();
            let compiled = policy::compile(&text, "policy.toml").unwrap();
            assert!(compiled.run_tests().iter().all(|t| t.passed));
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }

    #[test]
    fn refuses_non_empty_directories_and_bad_names() {
        let tmp = tempfile_dir();
        std::fs::write(tmp.join("keep.txt"), "x").unwrap();
        assert!(matches!(scaffold(&tmp, Preset::ExpressConfigure, None), Err(ScaffoldError::NotEmpty { .. })));
        assert_eq!(std::fs::read_to_string(tmp.join("keep.txt")).unwrap(), "x");
        assert!(matches!(
            scaffold(&tmp.join("new"), Preset::ExpressConfigure, Some("a/b")),
            Err(ScaffoldError::BadName { .. })
        ));
        assert!(!tmp.join("new").exists());
        let _ = std::fs::remove_dir_all(&tmp);
    }

    fn tempfile_dir() -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "actionkit-scaffold-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
