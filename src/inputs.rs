//! What commands read, loaded one way for all of them: a project (manifest + compiled policy),
//! or a policy named by a file or a project directory. Problems are printed as diagnostics here,
//! so every command reports a broken input alike.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use codegen::project::BuildError;
use codegen::project::Project;
use policy::{compile, Compiled, Diagnostics};

use crate::printer::{plural, Printer};
use crate::CommandError;

/// Reads a fixture for a native decision (`explain`): the same reader, validation and errors as
/// `run` and `test` (a bare event or `{"event": ...}`), and the event as the engine's value,
/// numbers typed by the engine's one rule.
pub fn load_event(path: &Path) -> anyhow::Result<action_core::value::Value> {
    let fixture =
        harness::Fixture::from_file(path).with_context(|| format!("failed to read event `{}`", path.display()))?;
    Ok(policy::event::from_json(&serde_json::Value::Object(fixture.event().clone())))
}

/// Loads the project in `dir` for a subcommand, printing its policy warnings. `Ok(None)` when the
/// policy has errors (printed: findings, exit 1); an unusable manifest or policy file is an input
/// error (exit 2).
pub fn load_project(dir: &Path, printer: &Printer) -> Result<Option<Project>, CommandError> {
    match Project::load(dir) {
        Ok(project) => {
            printer.policy_warnings(&project.compiled);
            Ok(Some(project))
        }
        Err(BuildError::Policy(diags)) => {
            print_diagnostics(printer, &dir.display().to_string(), &diags);
            Ok(None)
        }
        Err(err) => Err(CommandError::input(err)),
    }
}

/// The policy file named by `path`: the path itself; for a project directory, the policy its
/// `actionkit.toml` names, or `policy.toml` inside it when there is no manifest.
pub fn policy_path(path: &Path) -> Result<PathBuf, CommandError> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    if path.join(manifest::MANIFEST_FILE).is_file() {
        let manifest = manifest::Manifest::load(path).map_err(CommandError::input)?;
        return Ok(path.join(manifest.action.policy));
    }
    Ok(path.join("policy.toml"))
}

/// Reads a policy file with context for the error.
pub fn read_policy(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read policy `{}`", path.display()))
}

/// Prints every error and warning of a policy that failed to compile, then a count.
pub fn print_diagnostics(printer: &Printer, name: &str, diags: &Diagnostics) {
    for d in diags.iter() {
        printer.diagnostic(d);
    }
    let (e, w) = (diags.errors().len(), diags.warnings().len());
    printer.error(format_args!(
        "{name}: {e} error{}{}",
        plural(e),
        if w > 0 { format!(", {w} warning{}", plural(w)) } else { String::new() }
    ));
}

/// Reads and compiles the policy named by a `POLICY|DIR` argument, printing its diagnostics and
/// warnings. `None` when it has errors.
pub fn load_compiled(arg: &Path, printer: &Printer) -> Result<Option<(PathBuf, Compiled)>, CommandError> {
    let path = policy_path(arg)?;
    let text = read_policy(&path)?;
    let name = path.display().to_string();
    match compile(&text, &name) {
        Ok(compiled) => {
            printer.policy_warnings(&compiled);
            Ok(Some((path, compiled)))
        }
        Err(diags) => {
            print_diagnostics(printer, &name, &diags);
            Ok(None)
        }
    }
}
