//! One module per subcommand: `XArgs` (clap) plus `run(&XArgs, &Printer) -> anyhow::Result<Exit>`.

use std::path::Path;

use codegen::project::Project;

use crate::printer::Printer;

/// Loads the project in `dir` for a subcommand, printing its policy warnings; on error prints
/// the diagnostic and returns `None` (the subcommand then exits with `Exit::Failure`).
pub fn load_project(dir: &Path, printer: &Printer) -> Option<Project> {
    match Project::load(dir) {
        Ok(project) => {
            printer.policy_warnings(&project.compiled);
            Some(project)
        }
        Err(err) => {
            printer.diagnostic(err);
            None
        }
    }
}

pub mod build;
pub mod check;
pub mod deploy;
pub mod doctor;
pub mod explain;
pub mod init;
pub mod run;
pub mod test;
