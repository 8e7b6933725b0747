//! `actionkit`: generate, test and deploy Auth0 post-login Actions.
//!
//! This binary is orchestration only: clap definitions, reading inputs, calling the libraries
//! (`codegen`, `harness`, `action-core`), rendering diagnostics and mapping results to exit
//! codes. Each subcommand lives in `cmd/<verb>.rs` as `XArgs` plus `run(&XArgs, &Printer)`.

mod cmd;
mod engine_wasm;
mod exit;
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

pub use crate::exit::{CommandError, CommandResult, Exit};
use crate::printer::{ColorChoice, ErrorFormat, FormatArg, Printer};

/// Generate, test and deploy Auth0 post-login Actions for Okta Express Configuration.
#[derive(Debug, Parser)]
#[command(name = "actionkit", version, about, arg_required_else_help = true, after_help = exit::EXIT_CODES_HELP)]
pub struct Cli {
    /// How results are printed on stdout: text, one JSON document (docs/cli.md), or Markdown
    /// (`diff` only).
    #[arg(
        long,
        global = true,
        value_name = "FORMAT",
        default_value = "text",
        env = "ACTIONKIT_FORMAT",
        help_heading = "Global options"
    )]
    format: FormatArg,
    /// How diagnostics, warnings and status lines are printed on stderr.
    #[arg(
        long,
        global = true,
        value_name = "FORMAT",
        default_value = "human",
        env = "ACTIONKIT_ERROR_FORMAT",
        help_heading = "Global options"
    )]
    error_format: ErrorFormat,
    /// When to use colours (NO_COLOR, CLICOLOR and CLICOLOR_FORCE are honoured with `auto`).
    #[arg(
        long,
        global = true,
        value_name = "WHEN",
        default_value = "auto",
        env = "ACTIONKIT_COLOR",
        help_heading = "Global options"
    )]
    color: ColorChoice,
    /// Print only results and errors: no status lines, no warnings.
    #[arg(short, long, global = true, help_heading = "Global options")]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    // Subcommands are added here, one per file in `cmd/`.
    /// Create a project from a preset.
    Init(cmd::init::InitArgs),
    /// Check a policy file and run its inline tests.
    Check(cmd::check::CheckArgs),
    /// Show what a policy decides for one event, and why.
    Explain(cmd::explain::ExplainArgs),
    /// Create fixtures: complete post-login events, as Auth0 sends them.
    Fixtures(cmd::fixtures::FixturesArgs),
    /// Show which recorded logins a policy change grants, denies or challenges differently.
    Diff(cmd::diff::DiffArgs),
    /// Run the built Action on every fixture (WASM included) and compare with the snapshots.
    Test(cmd::test::TestArgs),
    /// Build the deployable Action file and its deploy artifacts.
    Build(cmd::build::BuildArgs),
    /// Run an Action file (or several, as a flow) on one event and print what it did.
    Run(cmd::run::RunArgs),
    /// Plan or apply the Action's deploy to an Auth0 tenant (create/update, build, deploy, bind).
    Deploy(cmd::deploy::DeployArgs),
    /// Check a tenant for the Express Configuration prerequisites (the `oauth_error` 403).
    Doctor(cmd::doctor::DoctorArgs),
    /// Print the shell completion script for SHELL on stdout.
    Completions(cmd::completions::CompletionsArgs),
    /// Print the man page (roff) on stdout, or write one per command into a directory.
    Man(cmd::man::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.format == FormatArg::Markdown && !matches!(cli.command, Command::Diff(_)) {
        use clap::CommandFactory as _;
        Cli::command()
            .error(
                clap::error::ErrorKind::InvalidValue,
                "`--format markdown` is for `actionkit diff` only; use text or json",
            )
            .exit();
    }
    let printer = Printer::new(cli.color, cli.quiet).with_formats(cli.format, cli.error_format);
    let result: CommandResult = match &cli.command {
        Command::Init(args) => cmd::init::run(args, &printer),
        Command::Build(args) => cmd::build::run(args, &printer),
        Command::Test(args) => cmd::test::run(args, &printer),
        Command::Check(args) => cmd::check::run(args, &printer),
        Command::Explain(args) => cmd::explain::run(args, &printer),
        Command::Deploy(args) => cmd::deploy::run(args, &printer),
        Command::Doctor(args) => cmd::doctor::run(args, &printer),
        Command::Run(args) => cmd::run::run(args, &printer),
        Command::Fixtures(args) => cmd::fixtures::run(args, &printer),
        Command::Diff(args) => cmd::diff::run(args, &printer),
        Command::Completions(args) => cmd::completions::run(args, &printer),
        Command::Man(args) => cmd::man::run(args, &printer),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            if !err.reported() {
                printer.diagnostic(err.diagnostic());
            }
            err.exit().into()
        }
    }
}
