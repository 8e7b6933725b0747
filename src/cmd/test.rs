//! `actionkit test [PROJECT]`: builds the project's Action in memory, runs it on every fixture
//! in the harness (WASM included), compares each outcome with its snapshot, and runs the
//! policy's inline `[[test]]`s. Results stream as each fixture finishes; `--review` then walks
//! through every new or changed snapshot and accepts or rejects it, without Cargo (the files
//! stay insta's format, so `cargo insta review` works too).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use harness::snapshot;

use crate::printer::{OutputFormat, Printer};
use crate::suite::{default_jobs, print_result, run_cases, CaseKind, CaseResult, CaseStatus, Counts, SnapshotMode};
use crate::{CommandResult, Exit};

/// Arguments of `actionkit test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// The project directory (holding `actionkit.toml`).
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Accept every new and changed outcome as its snapshot, and remove orphaned snapshots.
    #[arg(long, conflicts_with = "review")]
    pub update: bool,
    /// After the run, show each new or changed snapshot and accept, reject or skip it.
    #[arg(long)]
    pub review: bool,
    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Fixtures run at once, each on fresh Action instances [default: the number of CPUs].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Runs `actionkit test`.
pub fn run(args: &TestArgs, printer: &Printer) -> CommandResult {
    let started = chrono::Local::now().fixed_offset();
    let jobs = args.jobs.map_or_else(default_jobs, usize::from);
    let Some(project) = crate::inputs::load_project(&args.project, printer)? else {
        return Ok(Exit::Failure);
    };
    let Some(action) = crate::suite::render(&project, printer) else {
        return Ok(Exit::Failure);
    };
    let mode = if args.update {
        SnapshotMode::Update
    } else if args.review {
        SnapshotMode::Compare { write_pending: true }
    } else {
        SnapshotMode::compare()
    };
    let width = name_width(&project);
    let mut on_result = |result: &CaseResult| print_result(result, width, printer);
    let mut results = run_cases(&project, &action, mode, jobs, printer, &mut on_result)?;
    if args.review {
        review(&mut results, printer)?;
    }
    let counts = Counts::of(&results);
    if let Some(path) = &args.junit {
        let report = crate::junit::report(&project.manifest.action.name, &results, started);
        let xml = report.to_string().context("rendering the JUnit report")?;
        std::fs::write(path, xml).with_context(|| format!("cannot write the JUnit report `{}`", path.display()))?;
    }
    match printer.format() {
        OutputFormat::Json => printer.json(&serde_json::json!({
            "project": project.dir,
            "passed": counts.passed,
            "failed": counts.failed,
            "new": counts.new,
            "orphaned": counts.orphaned,
            "tests": results.iter().map(|r| serde_json::json!({
                "name": r.name,
                "kind": match r.kind { CaseKind::Inline => "inline", CaseKind::Fixture => "fixture" },
                "status": r.status.word().to_lowercase(),
                "summary": r.summary,
                "failure": r.failure,
                "file": r.file,
                "millis": r.millis,
                "warnings": r.warnings,
            })).collect::<Vec<_>>(),
        })),
        // The closing line, alone on stdout, in the form CI tools read.
        OutputFormat::Text => printer.out(counts),
    }
    let snapshot_failures =
        results.iter().any(|r| r.kind == CaseKind::Fixture && matches!(r.status, CaseStatus::Failed | CaseStatus::New));
    if snapshot_failures && !args.update && !args.review {
        printer.status(
            "Next",
            "if the new outcomes are right, accept them: `actionkit test --review` (one by one) or `--update` (all)",
        );
    }
    if counts.orphaned > 0 && !args.update {
        printer.status("Next", "remove orphaned snapshots with `actionkit test --update`");
    }
    Ok(if results.iter().any(|r| !r.passed()) { Exit::Failure } else { Exit::Success })
}

/// The width of the name column: every inline test and fixture name.
fn name_width(project: &codegen::project::Project) -> usize {
    let inline = project.compiled.tests.iter().map(|t| "policy: ".len() + t.name.len());
    // The suite reports a missing directory; here it only means no fixture names.
    let fixtures = crate::suite::list_fixtures(&project.dir.join(&project.manifest.action.fixtures))
        .map(|files| files.iter().filter_map(|f| f.file_name()).map(|n| n.len()).collect::<Vec<_>>())
        .unwrap_or_default();
    inline.chain(fixtures).max().unwrap_or(0).min(48)
}

/// Walks through every new or changed fixture snapshot: shows the diff, reads `a` (accept: the
/// pending `.snap.new` becomes the `.snap`), `r` (reject: the pending file is deleted) or `s`
/// (skip) from stdin. Accepted results count as passed.
fn review(results: &mut [CaseResult], printer: &Printer) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let mut answers = stdin.lock().lines();
    let pending: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == CaseKind::Fixture && matches!(r.status, CaseStatus::Failed | CaseStatus::New))
        .map(|(i, _)| i)
        .collect();
    for (n, index) in pending.iter().enumerate() {
        let result = &mut results[*index];
        let snap = snapshot::snapshot_path(&result.file);
        let new = snapshot::pending_path(&snap);
        if !new.is_file() {
            continue;
        }
        printer.status(
            "Review",
            format_args!("{} of {}: {} ({})", n + 1, pending.len(), result.name, result.status.word()),
        );
        if result.status == CaseStatus::New {
            printer.detail(&snapshot::read_snapshot_body(&new)?.unwrap_or_default());
        } else if let Some(diff) = &result.failure {
            printer.detail(diff);
        }
        eprint!("accept (a), reject (r) or skip (s)? ");
        let _ = std::io::stderr().flush();
        let Some(answer) = answers.next().transpose().context("reading the answer from stdin")? else {
            printer.warn("no more answers on stdin; the remaining snapshots stay pending");
            break;
        };
        match answer.trim() {
            "a" | "accept" => {
                accept(&new, &snap)?;
                result.status = CaseStatus::Passed;
                printer.status("Accepted", snap.display());
            }
            "r" | "reject" => {
                std::fs::remove_file(&new).with_context(|| format!("cannot remove `{}`", new.display()))?;
                printer.status("Rejected", format_args!("{} (the snapshot is unchanged)", result.name));
            }
            _ => printer.status("Skipped", format_args!("`{}` stays pending", new.display())),
        }
    }
    Ok(())
}

fn accept(new: &Path, snap: &Path) -> anyhow::Result<()> {
    std::fs::rename(new, snap).with_context(|| format!("cannot move `{}` to `{}`", new.display(), snap.display()))
}
