//! The snapshot suite of a project, shared by `actionkit test` and `actionkit init` (which
//! records a fresh project's snapshots): the Action rendered in memory exactly as `build` would,
//! run in the harness on every fixture (fresh instances, fixtures in parallel, results in the
//! fixtures' order), each Outcome compared with its insta-format snapshot, plus the policy's
//! inline `[[test]]`s.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use harness::snapshot::{self, Comparison};
use harness::{Action, Fixture, Harness};

use codegen::project::Project;

use crate::engine_wasm::ENGINE_WASM;
use crate::printer::{plural, Printer};

/// One test's result.
#[derive(Debug, Clone)]
pub(crate) struct CaseResult {
    pub(crate) name: String,
    pub(crate) passed: bool,
    pub(crate) summary: String,
    pub(crate) failure: Option<String>,
    pub(crate) millis: f64,
}

/// Fixtures run at once unless `-j` says otherwise: one per CPU.
pub(crate) fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Records the snapshots of a fresh project (`actionkit init`): runs the suite with `--update`.
/// Returns whether every test passed.
pub(crate) fn record_snapshots(project: &Path, printer: &Printer) -> anyhow::Result<bool> {
    Ok(run_suite(project, true, default_jobs(), printer)?.is_some_and(|(_, results)| results.iter().all(|r| r.passed)))
}

/// Builds the Action in memory and runs the inline tests and every fixture. `None` when the
/// project did not load or render (the diagnostic is printed).
pub(crate) fn run_suite(
    project_dir: &Path,
    update: bool,
    jobs: usize,
    printer: &Printer,
) -> anyhow::Result<Option<(String, Vec<CaseResult>)>> {
    let Some(project) = crate::inputs::load_project(project_dir, printer) else {
        return Ok(None);
    };
    let (artifacts, _) = match project.render(&ENGINE_WASM) {
        Ok(rendered) => rendered,
        Err(err) => {
            printer.diagnostic(err);
            return Ok(None);
        }
    };
    let write_pending = std::env::var_os("CI").is_none();
    let results = run_cases(&project, &artifacts[0].contents, update, write_pending, jobs, printer)?;
    Ok(Some((project.manifest.action.name.clone(), results)))
}

/// What the suite says before anything ships (`build`, `deploy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShipGate {
    /// Every inline test and fixture snapshot passed.
    Pass,
    /// Some failed (already printed); e.g. `2 of 5 tests fail`.
    Fail(String),
}

impl ShipGate {
    /// Whether the caller may ship: yes on a pass; on a failure only with `allow_failing`, said
    /// loudly. `what` is the verb refused (`build`, `deploy`).
    pub(crate) fn allows(&self, allow_failing: bool, what: &str, printer: &Printer) -> bool {
        let ShipGate::Fail(count) = self else { return true };
        if allow_failing {
            printer.warn(format_args!("{what}ing although {count} (--allow-failing-tests)"));
            return true;
        }
        printer.error(format_args!("refusing to {what}: {count}"));
        printer.status(
            "Next",
            "fix the policy or the fixtures (`actionkit test` shows each failure), accept new outcomes with \
             `actionkit test --update`, or pass --allow-failing-tests to ship anyway",
        );
        false
    }
}

/// Runs the suite of `project` on its rendered Action before it ships, printing failures as
/// `actionkit test` does. Writes no snapshot file.
pub(crate) fn ship_gate(project: &Project, action_source: &str, printer: &Printer) -> anyhow::Result<ShipGate> {
    let results = run_cases(project, action_source, false, false, default_jobs(), printer)?;
    let failing: Vec<CaseResult> = results.iter().filter(|r| !r.passed).cloned().collect();
    if failing.is_empty() {
        return Ok(ShipGate::Pass);
    }
    report(&failing, printer);
    let (failed, total) = (failing.len(), results.len());
    Ok(ShipGate::Fail(format!("{failed} of {total} test{} fail{}", plural(total), if failed == 1 { "s" } else { "" })))
}

/// Runs the inline tests natively and every fixture on the rendered Action.
fn run_cases(
    project: &Project,
    action_source: &str,
    update: bool,
    write_pending: bool,
    jobs: usize,
    printer: &Printer,
) -> anyhow::Result<Vec<CaseResult>> {
    let action = Action::from_source(project.manifest.action.name.clone(), action_source.to_string());
    let mut results = Vec::new();
    for test in project.compiled.run_tests() {
        // The same compact diff and trace as `actionkit check`.
        let failure =
            (!test.passed).then(|| format!("at {}\n{}", test.location, crate::trace::test_diff(&test).trim_end()));
        results.push(CaseResult {
            name: format!("policy: {}", test.name),
            passed: test.passed,
            summary: {
                let n = test.actual.decisions.len();
                format!("{n} decision{}", plural(n))
            },
            failure,
            millis: 0.0,
        });
    }

    let fixtures_dir = project.dir.join(&project.manifest.action.fixtures);
    let fixtures = list_fixtures(&fixtures_dir)?;
    if fixtures.is_empty() {
        printer.warn(format_args!("no fixtures in `{}`", fixtures_dir.display()));
    }
    let progress = progress_bar(fixtures.len());
    let harness = Harness::new();
    // Fixtures are independent (fresh instances, one snapshot file each), so they run on `jobs`
    // threads; results keep the fixtures' order.
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<CaseResult>>> = Mutex::new(fixtures.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, fixtures.len().max(1)) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(fixture_path) = fixtures.get(index) else {
                    break;
                };
                progress.set_message(file_name(fixture_path));
                let result = run_fixture(&harness, &action, fixture_path, &project.dir, update, write_pending);
                done.lock().unwrap_or_else(PoisonError::into_inner)[index] = Some(result);
                progress.inc(1);
            });
        }
    });
    progress.finish_and_clear();
    results.extend(done.into_inner().unwrap_or_else(PoisonError::into_inner).into_iter().flatten());
    Ok(results)
}

fn run_fixture(
    harness: &Harness,
    action: &Action,
    fixture_path: &Path,
    project_dir: &Path,
    update: bool,
    write_pending: bool,
) -> CaseResult {
    let name = file_name(fixture_path);
    let started = Instant::now();
    let fail = |summary: &str, failure: String| CaseResult {
        name: name.clone(),
        passed: false,
        summary: summary.to_string(),
        failure: Some(failure),
        millis: started.elapsed().as_secs_f64() * 1000.0,
    };
    let fixture = match Fixture::from_file(fixture_path) {
        Ok(fixture) => fixture,
        Err(err) => return fail("bad fixture", err.to_string()),
    };
    let outcome = match harness.run(action, &fixture) {
        Ok(outcome) => outcome,
        Err(err) => return fail("harness error", err.to_string()),
    };
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let status =
        serde_json::to_value(outcome.status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let calls = outcome.calls.len();
    let summary = format!("{status}, {calls} call{}", plural(calls));

    let snap_path = snapshot::snapshot_path(fixture_path);
    let pending = snapshot::pending_path(&snap_path);
    let body = snapshot::snapshot_body(&outcome);
    let input_file = fixture_path.strip_prefix(project_dir).unwrap_or(fixture_path).display().to_string();
    let stored = match snapshot::read_snapshot_body(&snap_path) {
        Ok(stored) => stored,
        Err(err) => return fail("bad snapshot", format!("cannot read `{}`: {err}", snap_path.display())),
    };
    let comparison = snapshot::compare(stored.as_deref(), &body);
    let file = snapshot::render_snapshot(&body, &input_file, &format!("outcome of {name}"));
    let write = |path: &Path| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &file)
    };
    let result = |passed: bool, failure: Option<String>| CaseResult {
        name: name.clone(),
        passed,
        summary: summary.clone(),
        failure,
        millis,
    };
    match comparison {
        Comparison::Same => {
            let _ = std::fs::remove_file(&pending);
            result(true, None)
        }
        _ if update => match write(&snap_path) {
            Ok(()) => {
                let _ = std::fs::remove_file(&pending);
                result(true, None)
            }
            Err(err) => fail("io error", format!("cannot write `{}`: {err}", snap_path.display())),
        },
        Comparison::New => {
            if write_pending {
                let _ = write(&pending);
            }
            let hint = if write_pending {
                format!("no snapshot yet; this run's outcome is in `{}`", pending.display())
            } else {
                "no snapshot yet (CI: nothing written)".to_string()
            };
            result(false, Some(hint))
        }
        Comparison::Changed(diff) => {
            if write_pending {
                let _ = write(&pending);
            }
            result(false, Some(format!("the outcome changed:\n{diff}")))
        }
    }
}

pub(crate) fn report(results: &[CaseResult], printer: &Printer) -> (usize, usize) {
    let width = results.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut failed = 0;
    for r in results {
        let timing = if r.millis > 0.0 { format!("  {:.1} ms", r.millis) } else { String::new() };
        if r.passed {
            printer.status("ok", format_args!("{:<width$}  {}{timing}", r.name, r.summary));
        } else {
            failed += 1;
            printer.error(format_args!("{:<width$}  {}{timing}", r.name, r.summary));
            if let Some(failure) = &r.failure {
                for line in failure.lines() {
                    eprintln!("    {line}");
                }
            }
        }
    }
    (results.len() - failed, failed)
}

fn list_fixtures(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(anyhow::anyhow!("cannot read the fixtures directory `{}`: {e}", dir.display())),
    };
    let mut fixtures: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    fixtures.sort();
    Ok(fixtures)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

fn progress_bar(len: usize) -> indicatif::ProgressBar {
    // Only worth drawing for long suites on a terminal; CI logs stay clean.
    if len < 20 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}
