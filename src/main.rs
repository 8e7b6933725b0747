//! `actionkit`: generate, test and deploy Auth0 post-login Actions.
//!
//! This binary is orchestration only: clap definitions, reading inputs, calling the libraries
//! (`codegen`, `harness`, `action-core`), rendering diagnostics and mapping results to exit
//! codes. Each subcommand lives in `cmd/<verb>.rs` as `XArgs` plus `run(&XArgs, &Printer)`.

mod cmd;
mod engine_wasm;
mod inputs;
mod junit;
mod printer;
mod suite;
mod tenant;
mod trace;

use std::process::ExitCode;

/// Meters what Actions allocate in the harness, so a runaway one meets `Limits::heap_bytes`
/// instead of the operating system's OOM killer.
#[global_allocator]
static ALLOCATOR: harness::BoundedAllocator = harness::BoundedAllocator;

use clap::{Parser, Subcommand};

use crate::printer::{ColorChoice, ErrorFormat, Printer};

/// Generate, test and deploy Auth0 post-login Actions for Okta Express Configuration.
#[derive(Debug, Parser)]
#[command(name = "actionkit", version, about, arg_required_else_help = true)]
struct Cli {
    /// When to use colours on stderr.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto", env = "ACTIONKIT_COLOR")]
    color: ColorChoice,
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// How policy and manifest problems are printed.
    #[arg(long, global = true, value_name = "FORMAT", default_value = "human", env = "ACTIONKIT_ERROR_FORMAT")]
    error_format: ErrorFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    // Subcommands are added here, one per file in `cmd/`.
    /// Create a project from a preset.
    Init(cmd::init::InitArgs),
    /// Build the deployable Action file and its deploy artifacts.
    Build(cmd::build::BuildArgs),
    /// Run the built Action on every fixture (WASM included) and compare with the snapshots.
    Test(cmd::test::TestArgs),
    /// Check a policy file and run its inline tests.
    Check(cmd::check::CheckArgs),
    /// Show what a policy decides for one event, and why.
    Explain(cmd::explain::ExplainArgs),
    /// Plan or apply the Action's deploy to an Auth0 tenant (create/update, build, deploy, bind).
    Deploy(cmd::deploy::DeployArgs),
    /// Check a tenant for the Express Configuration prerequisites (the `oauth_error` 403).
    Doctor(cmd::doctor::DoctorArgs),
    /// Run an Action file (or several, as a flow) on one event and print what it did.
    Run(cmd::run::RunArgs),
}

/// Process exit codes, defined once: 0 ok, 1 a check/test/plan found problems, 2 usage or
/// unexpected error (clap uses 2 for usage errors too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything went as asked.
    Success,
    /// The command ran, and what it checked failed (policy errors, failed tests, denied plan).
    Failure,
    /// The command could not run (bad input, I/O, unexpected error).
    Error,
    /// An exit code of another tool's convention the user asked for (`deploy
    /// --detailed-exitcode`: Terraform's 0 no changes, 2 changes, 1 error).
    Detailed(u8),
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(match exit {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Error => 2,
            Exit::Detailed(code) => code,
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let printer = Printer::new(cli.color, cli.quiet).with_error_format(cli.error_format);
    let result: anyhow::Result<Exit> = match &cli.command {
        Command::Init(args) => cmd::init::run(args, &printer),
        Command::Build(args) => cmd::build::run(args, &printer),
        Command::Test(args) => cmd::test::run(args, &printer),
        Command::Check(args) => cmd::check::run(args, &printer),
        Command::Explain(args) => cmd::explain::run(args, &printer),
        Command::Deploy(args) => cmd::deploy::run(args, &printer),
        Command::Doctor(args) => cmd::doctor::run(args, &printer),
        Command::Run(args) => cmd::run::run(args, &printer),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            printer.fatal(&err);
            Exit::Error.into()
        }
    }
}
