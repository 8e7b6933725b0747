//! How a command ends, one scheme for all of them: the process exit code ([`Exit`]) and the
//! error that stopped a command ([`CommandError`]), printed once by `main` as a diagnostic.

use std::process::ExitCode;

/// Process exit codes, the same for every command (also in `actionkit --help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything went as asked.
    Success,
    /// 1: the command ran and found problems: policy errors, failing tests, missing tenant
    /// prerequisites; with `deploy --detailed-exitcode`, see there.
    Failure,
    /// 2: the command could not run on its input: a usage error (clap's), a missing or invalid
    /// file, a manifest error.
    Input,
    /// 3: the tenant or the network failed: Management API errors, timeouts, a failed build on
    /// Auth0.
    Tenant,
    /// An exit code of another tool's convention the user asked for (`deploy
    /// --detailed-exitcode`: Terraform's 0 no changes, 2 changes, 1 error).
    Detailed(u8),
}

impl Exit {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Input => 2,
            Exit::Tenant => 3,
            Exit::Detailed(code) => code,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// The exit codes as `--help` prints them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes (every command):
  0  success
  1  problems found: policy errors, failing tests, missing tenant prerequisites
  2  usage or input error: bad arguments, a missing or invalid file or manifest
  3  tenant or network error: the Management API failed or could not be reached";

/// Why a command stopped before finishing: printed by `main` through the one diagnostic path
/// (`--error-format` applies), then the process exits with [`CommandError::exit`].
#[derive(Debug)]
pub struct CommandError {
    exit: Exit,
    report: Box<dyn miette::Diagnostic + Send + Sync>,
    reported: bool,
}

impl CommandError {
    /// An input error (exit 2) with its diagnostic.
    pub fn input(diagnostic: impl miette::Diagnostic + Send + Sync + 'static) -> CommandError {
        CommandError { exit: Exit::Input, report: Box::new(diagnostic), reported: false }
    }

    /// A tenant or network error (exit 3) with its diagnostic.
    pub fn tenant(diagnostic: impl miette::Diagnostic + Send + Sync + 'static) -> CommandError {
        CommandError { exit: Exit::Tenant, report: Box::new(diagnostic), reported: false }
    }

    /// An error already reported (a diagnostic printed by the command) that only sets the exit
    /// code: `deploy --detailed-exitcode` prints the tenant's error, then exits with Terraform's 1.
    pub fn silent(exit: Exit) -> CommandError {
        CommandError { exit, report: Box::new(Reported), reported: true }
    }

    /// Whether the diagnostic was already printed.
    pub fn reported(&self) -> bool {
        self.reported
    }

    /// The exit code this error ends the process with.
    pub fn exit(&self) -> Exit {
        self.exit
    }

    /// What is printed.
    pub fn diagnostic(&self) -> &(dyn miette::Diagnostic + Send + Sync) {
        self.report.as_ref()
    }
}

/// An `anyhow` error (reading a file, a bad argument combination) is an input error; its chain
/// of contexts becomes the diagnostic's causes.
impl From<anyhow::Error> for CommandError {
    fn from(err: anyhow::Error) -> CommandError {
        CommandError::input(Chain(err))
    }
}

/// An `anyhow::Error` as a diagnostic: the outermost context is the message, the rest its causes.
#[derive(Debug)]
struct Chain(anyhow::Error);

impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `{}` of an anyhow::Error is its outermost message only.
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for Chain {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl miette::Diagnostic for Chain {}

/// The marker of [`CommandError::silent`].
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("(already reported)")]
struct Reported;

/// What every command returns.
pub type CommandResult = Result<Exit, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anyhow_chain_keeps_every_cause() {
        let err = anyhow::anyhow!("no such file").context("failed to read event `e.json`");
        let error = CommandError::from(err);
        assert_eq!(error.exit(), Exit::Input);
        let mut out = String::new();
        miette::JSONReportHandler::new().render_report(&mut out, error.diagnostic()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["message"], "failed to read event `e.json`");
        assert_eq!(json["causes"], serde_json::json!(["no such file"]));
    }
}
