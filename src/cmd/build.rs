//! `actionkit build [PROJECT] [-o DIR]`: the deployable Action and its deploy artifacts.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use codegen::project::Project;
use codegen::render::{Capture, ACTION_SIZE_WARNING};
use deploy::SecretValues;

use crate::engine_wasm::ENGINE_WASM;
use crate::printer::{OutputFormat, Printer};
use crate::{CommandError, CommandResult, Exit};

/// Arguments of `actionkit build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The project directory (holding `actionkit.toml`).
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Where to write the Action and the deploy artifacts [default: PROJECT/dist].
    #[arg(short, long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Build even though inline tests or fixture snapshots fail (says so loudly).
    #[arg(long)]
    pub allow_failing_tests: bool,
    /// Make an Action that also logs, at each login for its API, the event as the policy sees it
    /// (pseudonymized; no secrets) for `actionkit fixtures import` (docs/recorded-logins.md).
    #[arg(long)]
    pub capture: bool,
    /// With --capture: log the value at this dotted path as it is instead of a pseudonym.
    #[arg(long, value_name = "PATH", requires = "capture")]
    pub reveal: Vec<String>,
}

/// Runs `actionkit build`.
pub fn run(args: &BuildArgs, printer: &Printer) -> CommandResult {
    let started = Instant::now();
    let Some(project) = crate::inputs::load_project(&args.project, printer)? else {
        return Ok(Exit::Failure);
    };
    if let Some(missing) = missing_secret_values(&project)? {
        printer.error(format_args!(
            "no value for the secret{} {} in `{}` or the environment: the Action would fail every \
             Express Configure login",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            missing_file_display(&project)
        ));
        printer
            .status("Next", "add the values to that file (see dist/secrets.example.env), or remove `secrets_env_file`");
        return Ok(Exit::Failure);
    }
    let capture = args.capture.then(|| Capture { reveal: args.reveal.clone() });
    let (artifacts, sizes) = match project.render_with(&ENGINE_WASM, capture.as_ref()) {
        Ok(rendered) => rendered,
        Err(err) => {
            // The Action would be refused by Auth0 (too large): a finding, like a policy error.
            printer.diagnostic(&err);
            return Ok(Exit::Failure);
        }
    };
    // What fails its tests is not built: the tests run on exactly the Action written below (a
    // capturing Action on its twin without capture: the capture adds only its log line, which
    // the snapshots do not have).
    let gated =
        if capture.is_some() { crate::suite::render(&project, printer) } else { Some(artifacts[0].contents.clone()) };
    let Some(gated) = gated else { return Ok(Exit::Failure) };
    let gate = crate::suite::ship_gate(&project, &gated, printer)?;
    if !gate.allows(args.allow_failing_tests, "build", printer) {
        return Ok(Exit::Failure);
    }
    let built = project.write(artifacts, sizes, args.out_dir.as_deref()).map_err(CommandError::input)?;
    let total = built.sizes.total();
    if printer.format() == OutputFormat::Json {
        printer.json(&serde_json::json!({
            "action": built.action_path,
            "bytes": total,
            "files": built.files,
        }));
    }
    printer.status(
        "Built",
        format_args!(
            "`{}` ({:.1} kB) in {} ms",
            built.action_path.display(),
            total as f64 / 1000.0,
            started.elapsed().as_millis()
        ),
    );
    printer.status("Size", built.sizes);
    if let Some(capture) = &capture {
        printer.warn(format_args!(
            "this Action logs what the policy sees at every login for its API (pseudonymized{}); deploy it for the capture period only",
            if capture.reveal.is_empty() { String::new() } else { format!(", except {}", capture.reveal.join(", ")) }
        ));
    }
    if total > ACTION_SIZE_WARNING {
        printer.warn(format_args!(
            "the Action is {total} bytes; Auth0 refuses Actions over 100 kB, so little room is left"
        ));
    }
    Ok(Exit::Success)
}

/// The secrets the policy reads that have no value, when that is known: the manifest names a
/// secrets file and it exists. (Without one, values are set on the Action in Auth0 and the
/// generated Action reports a missing one clearly at login time.)
fn missing_secret_values(project: &Project) -> Result<Option<Vec<String>>, CommandError> {
    let Some(file) = &project.manifest.deploy.secrets_env_file else { return Ok(None) };
    let path = project.dir.join(file);
    if !path.is_file() {
        return Ok(None);
    }
    let names = &project.compiled.policy.secrets;
    let values =
        SecretValues::load(names, Some(&path), |name| std::env::var(name).ok()).map_err(CommandError::input)?;
    let missing: Vec<String> = names.iter().filter(|n| values.get(n).is_none()).cloned().collect();
    Ok((!missing.is_empty()).then_some(missing))
}

fn missing_file_display(project: &Project) -> String {
    project
        .manifest
        .deploy
        .secrets_env_file
        .as_ref()
        .map_or_else(String::new, |f| project.dir.join(f).display().to_string())
}
