//! `actionkit build`: a project directory in, an output directory (default `dist/`) out.
//!
//! Everything is compiled and rendered in memory first; only then is the output written, into a
//! fresh sibling directory that replaces the old output in one rename. A failure at any point
//! leaves the previous output as it was: nothing is ever half-written. An existing output
//! directory is only replaced if actionkit made it (it holds the [`DIST_MARKER`] file).

use std::path::{Path, PathBuf};

use miette::Diagnostic;

use crate::artifacts::{render_artifacts, Artifact};
use crate::render::{render_action, ActionSource, Capture, EngineWasm, RenderError, SizeBreakdown};
use manifest::{Manifest, ManifestError};
use policy::{Compiled, Diagnostics};

/// The file that marks an output directory as actionkit's to replace.
pub const DIST_MARKER: &str = ".actionkit-dist";

/// A loaded project: manifest, policy text and compiled policy.
#[derive(Debug)]
pub struct Project {
    /// The project directory.
    pub dir: PathBuf,
    /// The manifest.
    pub manifest: Manifest,
    /// The policy file's path.
    pub policy_path: PathBuf,
    /// The policy file's text.
    pub policy_text: String,
    /// The compiled policy (with its warnings and inline tests).
    pub compiled: Compiled,
}

/// The result of a build.
#[derive(Debug)]
pub struct Built {
    /// The generated Action file.
    pub action_path: PathBuf,
    /// Its size by part.
    pub sizes: SizeBreakdown,
    /// Every file written, relative to the output directory.
    pub files: Vec<PathBuf>,
}

/// Why a project could not be built.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum BuildError {
    /// The manifest is missing or invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),
    /// The policy file could not be read.
    #[error("cannot read the policy `{}`", path.display())]
    #[diagnostic(code("build::policy-io"), help("the manifest's `action.policy` names this file"))]
    PolicyIo {
        /// The policy path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The policy has errors.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] Diagnostics),
    /// Rendering failed (e.g. the Action would be too large).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Render(#[from] RenderError),
    /// A deploy artifact template failed.
    #[error("rendering the deploy artifacts failed")]
    #[diagnostic(code("build::template"))]
    Template(#[from] tera::Error),
    /// The output directory exists and was not made by actionkit.
    #[error("refusing to replace `{}`: it exists and was not created by actionkit", path.display())]
    #[diagnostic(
        code("build::foreign-output"),
        help("choose another directory with `-o`, or remove it if its contents are not needed")
    )]
    ForeignOutput {
        /// The output directory.
        path: PathBuf,
    },
    /// Writing the output failed; the previous output is untouched.
    #[error("cannot write `{}`", path.display())]
    #[diagnostic(code("build::output-io"), help("check that the directory is writable"))]
    Output {
        /// The path that failed.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Project {
    /// Loads the manifest and compiles the policy of the project in `dir`.
    ///
    /// # Errors
    ///
    /// [`BuildError::Manifest`], [`BuildError::PolicyIo`] or [`BuildError::Policy`].
    pub fn load(dir: &Path) -> Result<Project, BuildError> {
        let manifest = Manifest::load(dir)?;
        let policy_path = dir.join(&manifest.action.policy);
        let policy_text = std::fs::read_to_string(&policy_path)
            .map_err(|source| BuildError::PolicyIo { path: policy_path.clone(), source })?;
        let compiled = policy::compile(&policy_text, &policy_path.display().to_string())?;
        Ok(Project { dir: dir.to_path_buf(), manifest, policy_path, policy_text, compiled })
    }

    /// Renders the Action and its deploy artifacts in memory.
    ///
    /// # Errors
    ///
    /// [`BuildError::Render`] or [`BuildError::Template`].
    pub fn render(&self, engine: &EngineWasm<'_>) -> Result<(Vec<Artifact>, SizeBreakdown), BuildError> {
        self.render_with(engine, None)
    }

    /// [`Project::render`], the Action capturing what its policy sees at each login when
    /// `capture` is given.
    ///
    /// # Errors
    ///
    /// As [`Project::render`].
    pub fn render_with(
        &self,
        engine: &EngineWasm<'_>,
        capture: Option<&Capture>,
    ) -> Result<(Vec<Artifact>, SizeBreakdown), BuildError> {
        let name = &self.manifest.action.name;
        let action = render_action(
            engine,
            &ActionSource {
                name,
                policy_file: &self.manifest.action.policy.display().to_string(),
                policy_text: &self.policy_text,
                policy: &self.compiled.policy,
                capture,
            },
        )?;
        let artifacts = render_artifacts(name, &self.compiled.policy.secrets, &action.code)?;
        Ok((artifacts, action.sizes))
    }

    /// Writes what [`Project::render`] made into `out_dir` (default: `dist/` inside the
    /// project), all or nothing.
    ///
    /// # Errors
    ///
    /// [`BuildError::Output`] or [`BuildError::ForeignOutput`]; on error the previous output is
    /// left as it was.
    pub fn write(
        &self,
        artifacts: Vec<Artifact>,
        sizes: SizeBreakdown,
        out_dir: Option<&Path>,
    ) -> Result<Built, BuildError> {
        let out_dir = out_dir.map_or_else(|| self.dir.join("dist"), Path::to_path_buf);
        write_output(&out_dir, &artifacts)?;
        Ok(Built {
            action_path: out_dir.join(&artifacts[0].path),
            sizes,
            files: artifacts.into_iter().map(|a| a.path).collect(),
        })
    }
}

/// Writes `artifacts` into a fresh directory next to `out_dir`, then swaps it into place.
fn write_output(out_dir: &Path, artifacts: &[Artifact]) -> Result<(), BuildError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Output { path, source }
    };
    if out_dir.exists() {
        let is_ours = out_dir.join(DIST_MARKER).is_file();
        let is_empty = std::fs::read_dir(out_dir).map_err(io(out_dir))?.next().is_none();
        if !is_ours && !is_empty {
            return Err(BuildError::ForeignOutput { path: out_dir.to_path_buf() });
        }
    }
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir_name = out_dir.file_name().map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let staging = parent.join(format!(".{dir_name}.new-{}", std::process::id()));
    let result = (|| {
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        std::fs::create_dir(&staging).map_err(io(&staging))?;
        std::fs::write(staging.join(DIST_MARKER), "generated by actionkit; replaced on every build\n")
            .map_err(io(&staging))?;
        for artifact in artifacts {
            let path = staging.join(&artifact.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            std::fs::write(&path, &artifact.contents).map_err(io(&out_dir.join(&artifact.path)))?;
        }
        swap_into_place(&staging, out_dir, &parent, &dir_name)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn swap_into_place(staging: &Path, out_dir: &Path, parent: &Path, dir_name: &str) -> Result<(), BuildError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Output { path, source }
    };
    if !out_dir.exists() {
        return std::fs::rename(staging, out_dir).map_err(io(out_dir));
    }
    let old = parent.join(format!(".{dir_name}.old-{}", std::process::id()));
    std::fs::rename(out_dir, &old).map_err(io(out_dir))?;
    if let Err(source) = std::fs::rename(staging, out_dir) {
        // Put the previous output back; the build failed as a whole.
        let _ = std::fs::rename(&old, out_dir);
        return Err(BuildError::Output { path: out_dir.to_path_buf(), source });
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}
