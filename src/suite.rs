//! The snapshot suite of a project, shared by `actionkit test` and `actionkit init` (which
//! records a fresh project's snapshots): the Action rendered in memory exactly as `build` would,
//! run in the harness on every fixture (alone, or in the manifest's `[[flow]]` with hand-written
//! Actions and their npm packages; fresh instances, fixtures in parallel, results in the
//! fixtures' order), each Outcome compared with its insta-format snapshot, plus the policy's
//! inline `[[test]]`s.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use harness::snapshot::{self, Comparison};
use harness::{Action, Fixture, Harness, Packages};

use codegen::project::Project;

use crate::engine_wasm::ENGINE_WASM;
use crate::printer::{plural, Printer};
use crate::CommandError;

/// What became of one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseStatus {
    /// The outcome matched its snapshot, or the inline test's expectation.
    Passed,
    /// The outcome differs from its snapshot, or the inline test's expectation.
    Failed,
    /// The test could not run: a malformed fixture, a harness or I/O error.
    Errored,
    /// A fixture without a snapshot yet (fails until accepted with `--update` or `--review`).
    New,
    /// A snapshot whose fixture is gone (deleted or renamed); `--update` removes it.
    Orphaned,
}

impl CaseStatus {
    /// The word the result line starts with, and the JSON `status`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            CaseStatus::Passed => "ok",
            CaseStatus::Failed => "FAILED",
            CaseStatus::Errored => "ERROR",
            CaseStatus::New => "NEW",
            CaseStatus::Orphaned => "ORPHANED",
        }
    }

    /// Whether the suite fails because of it. An orphaned snapshot tests nothing, so it is
    /// reported, not failed.
    pub(crate) fn fails(self) -> bool {
        matches!(self, CaseStatus::Failed | CaseStatus::Errored | CaseStatus::New)
    }
}

/// Where a test comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseKind {
    /// A policy's `[[test]]`, decided natively.
    Inline,
    /// A fixture run on the built Action and compared with its snapshot.
    Fixture,
}

/// One test's result.
#[derive(Debug, Clone)]
pub(crate) struct CaseResult {
    pub(crate) name: String,
    pub(crate) kind: CaseKind,
    pub(crate) status: CaseStatus,
    pub(crate) summary: String,
    /// Why it did not pass: the compact diff and trace, or the error.
    pub(crate) failure: Option<String>,
    /// The file that defines the test (the policy or the fixture), for reports.
    pub(crate) file: PathBuf,
    pub(crate) millis: f64,
    /// What makes the test's event one Auth0 would not send (fields it always sends, missing).
    pub(crate) warnings: Vec<String>,
}

impl CaseResult {
    pub(crate) fn passed(&self) -> bool {
        !self.status.fails()
    }
}

/// How a suite treats snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SnapshotMode {
    /// Compare; write each new or changed outcome next to its snapshot as `.snap.new` for review
    /// (not on CI, where nothing is written).
    Compare { write_pending: bool },
    /// Compare and accept every new or changed outcome; remove orphaned snapshots.
    Update,
    /// Compare only, write nothing (before shipping).
    ReadOnly,
}

impl SnapshotMode {
    /// `Compare`, writing pending files unless `CI` is set.
    pub(crate) fn compare() -> SnapshotMode {
        SnapshotMode::Compare { write_pending: std::env::var_os("CI").is_none() }
    }
}

/// Fixtures run at once unless `-j` says otherwise: one per CPU.
pub(crate) fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Records the snapshots of a fresh project (`actionkit init`): runs the suite with `--update`.
/// Returns whether every test passed.
pub(crate) fn record_snapshots(project: &Path) -> Result<bool, CommandError> {
    let printer = Printer::quiet();
    let Some(project) = crate::inputs::load_project(project, &printer)? else { return Ok(false) };
    let Some(action) = render(&project, &printer) else { return Ok(false) };
    let results = run_cases(&project, &action, SnapshotMode::Update, default_jobs(), &printer, &mut |_| {})?;
    Ok(results.iter().all(CaseResult::passed))
}

/// The project's Action rendered in memory exactly as `build` writes it; `None` when it cannot
/// be rendered (the diagnostic is printed).
pub(crate) fn render(project: &Project, printer: &Printer) -> Option<String> {
    match project.render(&ENGINE_WASM) {
        Ok((artifacts, _)) => artifacts.into_iter().next().map(|a| a.contents),
        Err(err) => {
            printer.diagnostic(&err);
            None
        }
    }
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
             `actionkit test --review`, or pass --allow-failing-tests to ship anyway",
        );
        false
    }
}

/// Runs the suite of `project` on its rendered Action before it ships, printing failures as
/// `actionkit test` does. Writes no snapshot file.
pub(crate) fn ship_gate(project: &Project, action_source: &str, printer: &Printer) -> Result<ShipGate, CommandError> {
    let mut on_result = |result: &CaseResult| {
        if !result.passed() {
            print_result(result, 0, printer);
        }
    };
    let results = run_cases(project, action_source, SnapshotMode::ReadOnly, default_jobs(), printer, &mut on_result)?;
    let failed = results.iter().filter(|r| !r.passed()).count();
    if failed == 0 {
        return Ok(ShipGate::Pass);
    }
    let total = results.iter().filter(|r| r.status != CaseStatus::Orphaned).count();
    Ok(ShipGate::Fail(format!("{failed} of {total} test{} fail{}", plural(total), if failed == 1 { "s" } else { "" })))
}

/// Runs the inline tests natively and every fixture on the rendered Action; `on_result` sees
/// each result as soon as it and every result before it are known (the fixtures' order, streamed
/// while later fixtures still run). Orphaned snapshots come last.
pub(crate) fn run_cases(
    project: &Project,
    action_source: &str,
    mode: SnapshotMode,
    jobs: usize,
    printer: &Printer,
    on_result: &mut dyn FnMut(&CaseResult),
) -> Result<Vec<CaseResult>, CommandError> {
    let actions = flow_actions(project, action_source)?;
    let mut results = Vec::new();
    for (test, inline) in project.compiled.run_tests().into_iter().zip(&project.compiled.tests) {
        // The same compact diff and trace as `actionkit check`.
        let failure =
            (!test.passed).then(|| format!("at {}\n{}", test.location, crate::trace::test_diff(&test).trim_end()));
        let result = CaseResult {
            name: format!("policy: {}", test.name),
            kind: CaseKind::Inline,
            status: if test.passed { CaseStatus::Passed } else { CaseStatus::Failed },
            summary: {
                let n = test.actual.decisions.len();
                format!("{n} decision{}", plural(n))
            },
            failure,
            file: project.policy_path.clone(),
            millis: 0.0,
            warnings: unsent_warning(&policy::event::unsent_fields_read(&project.compiled.policy, &inline.event), true)
                .into_iter()
                .collect(),
        };
        on_result(&result);
        results.push(result);
    }

    // A missing directory is an error: a typo'd path must not pass by running nothing.
    let fixtures_dir = project.manifest.fixtures_dir(&project.dir).map_err(CommandError::input)?;
    let fixtures = list_fixtures(&fixtures_dir)?;
    if fixtures.is_empty() {
        printer.warn(format_args!("no fixtures in `{}`", fixtures_dir.display()));
    }
    let progress = progress_bar(fixtures.len());
    let harness = Harness::new();
    // Fixtures are independent (fresh instances, one snapshot file each), so they run on `jobs`
    // threads; results are handed on in the fixtures' order as soon as they are known.
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, CaseResult)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, fixtures.len().max(1)) {
            let sender = sender.clone();
            let (next, fixtures, harness, actions) = (&next, &fixtures, &harness, &actions);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(fixture_path) = fixtures.get(index) else {
                    break;
                };
                let result = run_fixture(harness, actions, fixture_path, &project.dir, mode);
                if sender.send((index, result)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut next_to_report = 0;
        for (index, result) in receiver {
            progress.inc(1);
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&next_to_report) {
                progress.set_message(result.name.clone());
                progress.suspend(|| on_result(&result));
                results.push(result);
                next_to_report += 1;
            }
        }
    });
    progress.finish_and_clear();
    for orphan in orphaned_snapshots(&fixtures_dir, &fixtures)? {
        let result = orphan_result(&orphan, &fixtures_dir, mode);
        on_result(&result);
        results.push(result);
    }
    Ok(results)
}

/// The Actions the fixtures run through, in bound order: the rendered Action alone, or the
/// manifest's `[[flow]]` with hand-written Actions around it. Each finds the npm packages it
/// declares in the project's `node_modules` (and only those, as in Auth0); those of hand-written
/// Actions must be installed with the declared versions before anything runs. The rendered
/// Action requires only Node's built-ins, so its `[action] dependencies` are sent to Auth0 but
/// not needed here.
fn flow_actions(project: &Project, action_source: &str) -> Result<Vec<Action>, CommandError> {
    let packages = |dependencies: &BTreeMap<String, String>| {
        Packages::walking_up_from(&project.dir).declared(dependencies.clone())
    };
    let manifest = &project.manifest;
    let generated = Action::from_source(manifest.action.name.clone(), action_source.to_string())
        .with_packages(packages(&manifest.action.dependencies));
    if manifest.flow.is_empty() {
        return Ok(vec![generated]);
    }
    let node_modules = project.dir.join("node_modules");
    let mut actions = Vec::with_capacity(manifest.flow.len());
    for entry in &manifest.flow {
        let Some(path) = entry.path.as_ref().filter(|_| !entry.generated) else {
            actions.push(generated.clone());
            continue;
        };
        let file = project.dir.join(path);
        let action = Action::from_file(&file)
            .map_err(|e| anyhow::anyhow!("the `[[flow]]` Action `{}` cannot be loaded: {e}", path.display()))?;
        harness::check_installed(&node_modules, &entry.dependencies)
            .map_err(|e| anyhow::anyhow!("the `[[flow]]` Action `{}` cannot run as in Auth0: {e}", path.display()))?;
        actions.push(action.with_packages(packages(&entry.dependencies)));
    }
    Ok(actions)
}

fn run_fixture(
    harness: &Harness,
    actions: &[Action],
    fixture_path: &Path,
    project_dir: &Path,
    mode: SnapshotMode,
) -> CaseResult {
    let name = file_name(fixture_path);
    let started = Instant::now();
    let errored = |summary: &str, failure: String| CaseResult {
        name: name.clone(),
        kind: CaseKind::Fixture,
        status: CaseStatus::Errored,
        summary: summary.to_string(),
        failure: Some(failure),
        file: fixture_path.to_path_buf(),
        millis: started.elapsed().as_secs_f64() * 1000.0,
        warnings: Vec::new(),
    };
    let fixture = match Fixture::from_file(fixture_path) {
        Ok(fixture) => fixture,
        Err(err) => return errored("bad fixture", err.to_string()),
    };
    let event = policy::event::from_json(&serde_json::Value::Object(fixture.event().clone()));
    let warnings: Vec<String> = unsent_warning(&policy::event::unsent_fields(&event), false).into_iter().collect();
    let outcome = match harness.run_flow(actions, &fixture) {
        Ok(outcome) => outcome,
        Err(err) => return errored("harness error", err.to_string()),
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
        Err(err) => return errored("bad snapshot", format!("cannot read `{}`: {err}", snap_path.display())),
    };
    let comparison = snapshot::compare(stored.as_deref(), &body);
    let file = snapshot::render_snapshot(&body, &input_file, &format!("outcome of {name}"));
    let write = |path: &Path| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &file)
    };
    let result = |status: CaseStatus, failure: Option<String>| CaseResult {
        name: name.clone(),
        kind: CaseKind::Fixture,
        status,
        summary: summary.clone(),
        failure,
        file: fixture_path.to_path_buf(),
        millis,
        warnings: warnings.clone(),
    };
    let write_pending = matches!(mode, SnapshotMode::Compare { write_pending: true });
    match comparison {
        Comparison::Same => {
            if mode != SnapshotMode::ReadOnly {
                let _ = std::fs::remove_file(&pending);
            }
            result(CaseStatus::Passed, None)
        }
        _ if mode == SnapshotMode::Update => match write(&snap_path) {
            Ok(()) => {
                let _ = std::fs::remove_file(&pending);
                result(CaseStatus::Passed, None)
            }
            Err(err) => errored("io error", format!("cannot write `{}`: {err}", snap_path.display())),
        },
        Comparison::New => {
            if write_pending {
                let _ = write(&pending);
            }
            let hint = if write_pending {
                format!("no snapshot yet; this run's outcome is in `{}`", pending.display())
            } else {
                "no snapshot yet (nothing written)".to_string()
            };
            result(CaseStatus::New, Some(hint))
        }
        Comparison::Changed(diff) => {
            if write_pending {
                let _ = write(&pending);
            }
            result(CaseStatus::Failed, Some(format!("the outcome changed:\n{diff}")))
        }
    }
}

/// Snapshots (`snapshots/NAME.snap`) whose fixture `NAME.json` is not among `fixtures`.
fn orphaned_snapshots(fixtures_dir: &Path, fixtures: &[PathBuf]) -> Result<Vec<PathBuf>, CommandError> {
    let dir = fixtures_dir.join(snapshot::SNAPSHOT_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(anyhow::anyhow!("cannot read the snapshots directory `{}`: {e}", dir.display()).into()),
    };
    let live: Vec<PathBuf> = fixtures.iter().map(|f| snapshot::snapshot_path(f)).collect();
    let mut orphans: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "snap") && !live.contains(p))
        .collect();
    orphans.sort();
    Ok(orphans)
}

fn orphan_result(snapshot: &Path, fixtures_dir: &Path, mode: SnapshotMode) -> CaseResult {
    let stem = snapshot.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let fixture = fixtures_dir.join(format!("{stem}.json"));
    let (summary, failure) = if mode == SnapshotMode::Update {
        let _ = std::fs::remove_file(snapshot::pending_path(snapshot));
        match std::fs::remove_file(snapshot) {
            Ok(()) => ("removed".to_string(), None),
            Err(err) => ("not removed".to_string(), Some(format!("cannot remove `{}`: {err}", snapshot.display()))),
        }
    } else {
        (
            "no fixture".to_string(),
            Some(format!(
                "`{}` has no fixture `{}` (deleted or renamed); `--update` removes it",
                snapshot.display(),
                fixture.display()
            )),
        )
    };
    CaseResult {
        name: format!("{stem}.json"),
        kind: CaseKind::Fixture,
        status: CaseStatus::Orphaned,
        summary,
        failure,
        file: snapshot.to_path_buf(),
        millis: 0.0,
        warnings: Vec::new(),
    }
}

/// The warning for an event that lacks fields Auth0 always sends, if it does; `read_by_policy`
/// when they are the ones the policy reads (an inline test's event, which is partial on purpose).
pub(crate) fn unsent_warning(fields: &[&str], read_by_policy: bool) -> Option<String> {
    if fields.is_empty() {
        return None;
    }
    let list = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    let why =
        if read_by_policy { " and the policy reads" } else { " (`actionkit fixtures new` writes complete events)" };
    Some(format!("the event lacks {list}, which Auth0 always sends{why}"))
}

/// One result line (aligned under the status words), with its failure indented below.
pub(crate) fn print_result(result: &CaseResult, width: usize, printer: &Printer) {
    let timing = if result.millis > 0.0 { format!("  {:.1} ms", result.millis) } else { String::new() };
    let line = format!("{:<width$}  {}{timing}", result.name, result.summary);
    match result.status {
        CaseStatus::Passed => printer.status(result.status.word(), line),
        CaseStatus::Orphaned => printer.warn(format_args!("orphaned snapshot: {line}")),
        _ => printer.failed(result.status.word(), line),
    }
    if result.status != CaseStatus::Passed {
        if let Some(failure) = &result.failure {
            printer.detail(failure);
        }
    }
    for warning in &result.warnings {
        printer.warn(format_args!("{}: {warning}", result.name));
    }
}

/// The counts of a finished suite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) passed: usize,
    pub(crate) failed: usize,
    pub(crate) new: usize,
    pub(crate) orphaned: usize,
}

impl Counts {
    pub(crate) fn of(results: &[CaseResult]) -> Counts {
        let mut counts = Counts::default();
        for r in results {
            match r.status {
                CaseStatus::Passed => counts.passed += 1,
                CaseStatus::Failed | CaseStatus::Errored => counts.failed += 1,
                CaseStatus::New => counts.new += 1,
                CaseStatus::Orphaned => counts.orphaned += 1,
            }
        }
        counts
    }
}

impl std::fmt::Display for Counts {
    /// `3 passed, 1 failed` and, when there are any, `, 2 new, 1 orphaned`: the form CI tools read.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)?;
        if self.new > 0 {
            write!(f, ", {} new", self.new)?;
        }
        if self.orphaned > 0 {
            write!(f, ", {} orphaned", self.orphaned)?;
        }
        Ok(())
    }
}

/// The fixtures in `dir` (its `*.json` files), sorted by name.
pub(crate) fn list_fixtures(dir: &Path) -> Result<Vec<PathBuf>, CommandError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot read the fixtures directory `{}`: {e}", dir.display()))?;
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
    // Only drawn for long suites on a terminal; results stream as lines either way.
    if len < 20 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}
