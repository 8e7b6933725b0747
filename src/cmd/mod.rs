//! One module per subcommand: `XArgs` (clap) plus `run(&XArgs, &Printer) -> CommandResult`.
//! A command never imports another: what two commands share lives in a module of the crate root
//! (`inputs`, `suite`, `tenant`, `trace`, `printer`).

pub mod build;
pub mod check;
pub mod completions;
pub mod deploy;
pub mod diff;
pub mod doctor;
pub mod explain;
pub mod fixtures;
pub mod init;
pub mod man;
pub mod run;
pub mod test;
