//! `actionkit man [--out-dir DIR]`: the man page (roff, clap_mangen), generated from the clap
//! definitions: `actionkit(1)` on stdout, or one page per command (`actionkit-test.1`, ...) in
//! a directory for packagers.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, CommandFactory};

use crate::printer::Printer;
use crate::{Cli, CommandResult, Exit};

/// Arguments of `actionkit man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `actionkit.1` and one `actionkit-COMMAND.1` per command into DIR instead.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Runs `actionkit man`.
pub fn run(args: &ManArgs, printer: &Printer) -> CommandResult {
    let command = Cli::command();
    let Some(dir) = &args.out_dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page).context("rendering the man page")?;
        printer.out(String::from_utf8_lossy(&page).trim_end());
        return Ok(Exit::Success);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let written = write_pages(command, dir)?;
    printer.status("Wrote", format_args!("{written} man pages into `{}`", dir.display()));
    Ok(Exit::Success)
}

fn write_pages(command: clap::Command, dir: &Path) -> anyhow::Result<usize> {
    // clap_mangen names subcommand pages `actionkit-test.1` when the command's name says so.
    clap_mangen::generate_to(command.clone(), dir).with_context(|| format!("cannot write into `{}`", dir.display()))?;
    Ok(1 + command.get_subcommands().count())
}
