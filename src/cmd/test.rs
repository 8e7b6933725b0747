//! `actionkit test [PROJECT]`: builds the project's Action in memory, runs it on every fixture
//! in the harness (WASM included), compares each outcome with its snapshot, and runs the
//! policy's inline `[[test]]`s.

use std::path::PathBuf;

use clap::Args;

use crate::junit::{JunitCase, JunitReport};
use crate::printer::Printer;
use crate::suite::{default_jobs, report, run_suite};
use crate::Exit;

/// Arguments of `actionkit test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// The project directory (holding `actionkit.toml`).
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Accept new and changed outcomes as the snapshots.
    #[arg(long)]
    pub update: bool,
    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Fixtures run at once, each on fresh Action instances [default: the number of CPUs].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Runs `actionkit test`.
pub fn run(args: &TestArgs, printer: &Printer) -> anyhow::Result<Exit> {
    let jobs = args.jobs.map_or_else(default_jobs, usize::from);
    let Some((suite, results)) = run_suite(&args.project, args.update, jobs, printer)? else {
        return Ok(Exit::Failure);
    };
    let (passed, failed) = report(&results, printer);
    if let Some(path) = &args.junit {
        let report = JunitReport {
            suite: &suite,
            cases: results
                .iter()
                .map(|r| JunitCase { name: &r.name, millis: r.millis, failure: r.failure.as_deref() })
                .collect(),
        };
        std::fs::write(path, report.to_xml())
            .map_err(|e| anyhow::anyhow!("cannot write the JUnit report `{}`: {e}", path.display()))?;
    }
    // The closing line, alone on stdout, in the form CI tools read.
    printer.out(format_args!("{passed} passed, {failed} failed"));
    if failed > 0 && !args.update {
        printer.status("Next", "review the diffs above; `actionkit test --update` accepts new outcomes");
    }
    Ok(if failed == 0 { Exit::Success } else { Exit::Failure })
}
