//! `actionkit build [PROJECT] [-o DIR]`: the deployable Action and its deploy artifacts.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use codegen::project::Project;
use codegen::render::ACTION_SIZE_WARNING;

use crate::engine::ENGINE;
use crate::printer::Printer;
use crate::Exit;

/// Arguments of `actionkit build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The project directory (holding `actionkit.toml`).
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Where to write the Action and the deploy artifacts [default: PROJECT/dist].
    #[arg(short, long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Runs `actionkit build`.
pub fn run(args: &BuildArgs, printer: &Printer) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let project = match Project::load(&args.project) {
        Ok(project) => project,
        Err(err) => {
            printer.diagnostic(err);
            return Ok(Exit::Failure);
        }
    };
    printer.policy_warnings(&project.compiled);
    let built = match project.build(&ENGINE, args.out_dir.as_deref()) {
        Ok(built) => built,
        Err(err) => {
            printer.diagnostic(err);
            return Ok(Exit::Failure);
        }
    };
    let total = built.sizes.total();
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
    if total > ACTION_SIZE_WARNING {
        printer.warn(format_args!(
            "the Action is {total} bytes; Auth0 refuses Actions over 100 kB, so little room is left"
        ));
    }
    Ok(Exit::Success)
}
