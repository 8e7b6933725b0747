//! `actionkit completions SHELL`: the shell completion script, generated from the same clap
//! definitions the binary parses with (clap_complete), so it never lags behind a new flag.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::printer::Printer;
use crate::{Cli, CommandResult, Exit};

/// Arguments of `actionkit completions`.
#[derive(Debug, Args)]
#[command(after_help = "Install, for example:
  bash: actionkit completions bash > ~/.local/share/bash-completion/completions/actionkit
  zsh:  actionkit completions zsh > \"${fpath[1]}/_actionkit\"
  fish: actionkit completions fish > ~/.config/fish/completions/actionkit.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

/// Runs `actionkit completions`.
pub fn run(args: &CompletionsArgs, _printer: &Printer) -> CommandResult {
    let mut command = Cli::command();
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "actionkit", &mut stdout);
    Ok(Exit::Success)
}
