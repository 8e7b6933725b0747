//! The public [`Flow`]: the Action instances live on a worker thread of their own, watched from
//! the caller's thread, so that the time budget holds even where Boa cannot be interrupted.
//!
//! Inside the engine the deadline is checked between promise jobs, in every host function and,
//! for top-level code and handlers, every few hundred thousand instructions (Boa's budgeted
//! evaluation). What that cannot reach is CPU-bound JS inside *one* promise job or timer callback
//! that never calls the host (`await x; for (;;) f();` with `f` below the per-frame loop limit):
//! Boa 0.22 runs a job to completion. The watchdog sees the worker past its deadline, answers
//! with the timeout Outcome built from what the run recorded so far (the same Outcome the engine
//! would have produced), and abandons the worker: its instances are never used again, the next
//! run starts cold ones (as after any cut-off), and the detached thread ends as soon as its JS
//! reaches a host call or a job boundary, which fail once the deadline passed.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::fixture::Fixture;
use crate::memory::MeterState;
use crate::outcome::{ActionError, ActionStatus, ActionSummary, ErrorKind, Outcome, Stats, Status};
use crate::progress::Progress;
use crate::trigger::{assemble, Ending, Instances};
use crate::{Action, Limits, RunError};

/// How often the caller looks at the worker's progress while it waits for the Outcome.
const POLL: Duration = Duration::from_millis(20);

/// How long a worker may stay over its memory limit before the watchdog gives up on it.
const MEMORY_GRACE: Duration = Duration::from_millis(100);

/// Native stack of the worker thread. Boa nests native frames when JS calls back into JS through
/// a builtin (`array.map(f)`, a getter, a sort comparator): up to the recursion limit (about a third
/// of it in native re-entries, a few KiB each) with room to spare. Untouched pages cost nothing.
const WORKER_STACK_BYTES: usize = 128 * 1024 * 1024;

/// Instantiated Actions in bound order. Instances persist across [`Flow::run`] calls, so
/// module-level state behaves like a warm Auth0 instance.
#[derive(Debug)]
pub struct Flow {
    actions: Vec<Action>,
    limits: Limits,
    /// `None` after the watchdog abandoned a worker; the next run starts a fresh one.
    worker: Option<Worker>,
}

#[derive(Debug)]
struct Worker {
    fixtures: mpsc::Sender<Fixture>,
    outcomes: mpsc::Receiver<Result<Outcome, RunError>>,
    progress: Arc<Progress>,
    /// The worker thread's memory metering (see [`crate::memory`]).
    meter: &'static MeterState,
    thread: Option<JoinHandle<()>>,
}

/// Why the watchdog gave up on a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runaway {
    /// Past the trigger execution's deadline.
    Time,
    /// Over the memory limit, and the engine did not stop it in time.
    Memory,
}

impl Flow {
    pub(crate) fn new(actions: &[Action], limits: Limits) -> Result<Flow, RunError> {
        let worker = Worker::spawn(actions, &limits)?;
        Ok(Flow { actions: actions.to_vec(), limits, worker: Some(worker) })
    }

    /// Runs the flow for one login.
    ///
    /// # Errors
    /// [`RunError::Engine`] when the JS engine breaks; the Actions' failures are in the Outcome.
    pub fn run(&mut self, fixture: &Fixture) -> Result<Outcome, RunError> {
        let started = Instant::now();
        let worker = match &mut self.worker {
            Some(worker) => worker,
            None => self.worker.insert(Worker::spawn(&self.actions, &self.limits)?),
        };
        worker.progress.reset();
        worker.meter.clear_over();
        if worker.fixtures.send(fixture.clone()).is_err() {
            return Err(worker.died());
        }
        // A runaway is stopped by the engine within a millisecond or so of the deadline; the
        // grace keeps the watchdog from racing a worker that is just finishing that Outcome.
        let grace = Duration::from_millis(100) + self.limits.time_budget / 100;
        let mut over_since: Option<Instant> = None;
        loop {
            match worker.outcomes.recv_timeout(POLL) {
                Ok(result) => return result,
                Err(RecvTimeoutError::Disconnected) => return Err(worker.died()),
                Err(RecvTimeoutError::Timeout) => {
                    if worker.progress.overdue(grace) {
                        return Ok(self.abandon(fixture, started, Runaway::Time));
                    }
                    // The engine stops a thread over its memory limit at its next check; only
                    // when none comes (CPU-bound JS in one promise job) does the watchdog step in.
                    if worker.meter.is_over() {
                        let since = *over_since.get_or_insert_with(Instant::now);
                        if since.elapsed() > MEMORY_GRACE {
                            return Ok(self.abandon(fixture, started, Runaway::Memory));
                        }
                    } else {
                        over_since = None;
                    }
                }
            }
        }
    }

    /// The limits of this flow.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The Outcome of a run whose worker is stuck past its deadline: the Action that was running
    /// failed with the timeout and its commands are discarded, the ones before it completed, the
    /// ones after it were skipped — what the engine reports when it stops a runaway itself.
    fn abandon(&mut self, fixture: &Fixture, started: Instant, runaway: Runaway) -> Outcome {
        let worker = self.worker.take().expect("a worker was running");
        let progress = worker.progress.lock();
        let mut recorded = progress.recorder.as_ref().map(|r| r.lock().clone()).unwrap_or_default();
        let current = progress.entered.last().map_or(0, |e| e.action);
        let first_call = |action: usize| progress.entered.iter().find(|e| e.action == action).map(|e| e.first_call);
        let mut actions = Vec::with_capacity(self.actions.len());
        for (index, action) in self.actions.iter().enumerate() {
            let entries: Vec<String> =
                progress.entered.iter().filter(|e| e.action == index).map(|e| e.entry.clone()).collect();
            let from = first_call(index).unwrap_or(recorded.calls.len());
            let to = first_call(index + 1).unwrap_or(recorded.calls.len());
            let status = match index.cmp(&current) {
                std::cmp::Ordering::Less => ActionStatus::Completed,
                std::cmp::Ordering::Equal => ActionStatus::Failed,
                std::cmp::Ordering::Greater => ActionStatus::Skipped,
            };
            let calls = if status == ActionStatus::Skipped { 0 } else { to.saturating_sub(from) };
            actions.push(ActionSummary {
                name: action.name().to_string(),
                entries,
                status,
                calls,
                persisted_log: None,
            });
        }
        if let Some(from) = first_call(current) {
            recorded.discard_from(from.min(recorded.calls.len()));
        }
        let budget_ms = u64::try_from(self.limits.time_budget.as_millis()).unwrap_or(u64::MAX);
        let (kind, message) = match runaway {
            Runaway::Time => (ErrorKind::Timeout, format!("the execution exceeded the {budget_ms} ms time budget")),
            Runaway::Memory => (ErrorKind::Limit, crate::memory::limit_message(self.limits.heap_bytes)),
        };
        let error = ActionError {
            location: None,
            kind,
            action: self.actions.get(current).map(|a| a.name().to_string()),
            name: None,
            message,
        };
        let executions = progress.entered.len();
        drop(progress);
        // Only now, with nothing more to read from it: the worker's next allocation sleeps for
        // good. Dropping the sender ends its loop should its JS return first; nobody waits.
        worker.meter.abandon();
        drop(worker);
        let mut outcome = assemble(
            fixture,
            recorded,
            Ending { status: Status::Failed, error: Some(error), actions, redirect: None, prompt: None },
        );
        outcome.stats = Stats {
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            executions,
            virtual_time_ms: 0,
            wasm_fuel: 0,
        };
        outcome
    }
}

impl Worker {
    /// Starts the thread and instantiates the Actions on it.
    fn spawn(actions: &[Action], limits: &Limits) -> Result<Worker, RunError> {
        let (fixtures, fixture_rx) = mpsc::channel::<Fixture>();
        let (outcome_tx, outcomes) = mpsc::channel();
        let (ready_tx, ready) = mpsc::channel();
        let progress = Arc::new(Progress::default());
        let worker_progress = progress.clone();
        let (actions, limits) = (actions.to_vec(), limits.clone());
        let thread = thread::Builder::new()
            .name("actionkit-flow".into())
            .stack_size(WORKER_STACK_BYTES)
            .spawn(move || {
                let meter = MeterState::attach();
                match Instances::new(&actions, limits) {
                    Ok(mut instances) => {
                        let _ = ready_tx.send(Ok(meter));
                        for fixture in fixture_rx {
                            let result = instances.run(&fixture, &worker_progress);
                            if outcome_tx.send(result).is_err() {
                                break;
                            }
                        }
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
                MeterState::detach();
            })
            .map_err(|e| RunError::Engine(format!("cannot start a worker thread: {e}")))?;
        match ready.recv() {
            Ok(Ok(meter)) => Ok(Worker { fixtures, outcomes, progress, meter, thread: Some(thread) }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(died(Some(thread))),
        }
    }

    /// The worker hung up without answering: it panicked (a harness bug), so the panic goes on
    /// on the caller's thread.
    fn died(&mut self) -> RunError {
        died(self.thread.take())
    }
}

/// The error for a worker thread that hung up: its panic goes on on the caller's thread.
fn died(thread: Option<JoinHandle<()>>) -> RunError {
    if let Some(thread) = thread {
        if let Err(panic) = thread.join() {
            std::panic::resume_unwind(panic);
        }
    }
    RunError::Engine("the worker thread stopped unexpectedly".into())
}
