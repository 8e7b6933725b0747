//! One module per subcommand: `XArgs` (clap) plus `run(&XArgs, &Printer) -> anyhow::Result<Exit>`.

pub mod build;
pub mod check;
pub mod deploy;
pub mod doctor;
pub mod explain;
pub mod init;
pub mod run;
pub mod test;
