//! What a flow's worker thread is doing, as far as the watchdog on the caller's thread needs to
//! know: the current deadline, and which executions started with how many calls recorded before
//! them. The worker writes it ([`crate::trigger`]); the watchdog reads it ([`crate::flow`]).

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::recorder::SharedRecorder;

/// What the worker is doing, as far as the watchdog needs to know.
#[derive(Debug, Default)]
pub(crate) struct Progress(Mutex<ProgressState>);

#[derive(Debug, Default)]
pub(crate) struct ProgressState {
    pub(crate) recorder: Option<SharedRecorder>,
    /// Real-time deadline of the current trigger execution.
    pub(crate) deadline: Option<Instant>,
    /// Executions started in this run, in order.
    pub(crate) entered: Vec<Entered>,
}

#[derive(Debug)]
pub(crate) struct Entered {
    /// Index of the Action in bound order.
    pub(crate) action: usize,
    pub(crate) entry: String,
    /// Number of calls recorded before the Action's first execution.
    pub(crate) first_call: usize,
}

impl Progress {
    pub(crate) fn lock(&self) -> MutexGuard<'_, ProgressState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Clears the previous run before the next fixture is sent, so its deadline is not mistaken
    /// for the new one's.
    pub(crate) fn reset(&self) {
        *self.lock() = ProgressState::default();
    }

    /// A run starts recording into `recorder`.
    pub(crate) fn begin(&self, recorder: SharedRecorder) {
        let mut state = self.lock();
        state.recorder = Some(recorder);
        state.entered.clear();
    }

    /// Execution `entry` of Action `action` starts and must end by `deadline` (`None`: a budget
    /// too large to be a point in time).
    pub(crate) fn enter(&self, action: usize, entry: &str, deadline: Option<Instant>, first_call: usize) {
        let mut state = self.lock();
        state.deadline = deadline;
        let first_call = state.entered.iter().find(|e| e.action == action).map_or(first_call, |e| e.first_call);
        state.entered.push(Entered { action, entry: entry.to_string(), first_call });
    }

    pub(crate) fn overdue(&self, grace: Duration) -> bool {
        let deadline = self.lock().deadline.and_then(|deadline| deadline.checked_add(grace));
        deadline.is_some_and(|deadline| Instant::now() > deadline)
    }
}
