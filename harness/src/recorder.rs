//! The one place every effect of a run is written to, numbered in the order it happened.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use crate::outcome::{Call, FetchRecord, LogLine};

pub(crate) use auth0_platform::action::LOG_LIMIT_BYTES as LOG_LIMIT;

/// The recorder of one run, shared by the natives on the worker thread and the flow's watchdog,
/// which keeps what was recorded when it has to abandon a runaway instance.
#[derive(Debug, Clone, Default)]
pub(crate) struct SharedRecorder(Arc<Mutex<Recorder>>);

impl SharedRecorder {
    /// The recorder; a panic on another thread while it was held leaves consistent data (each
    /// method finishes its push), so poisoning is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Recorder> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Recorder {
    next: u64,
    pub(crate) calls: Vec<Call>,
    pub(crate) logs: Vec<LogLine>,
    pub(crate) fetches: Vec<FetchRecord>,
    log_bytes: usize,
    pub(crate) logs_truncated: bool,
    /// The factor each MFA command's simulated step passed with, by the command's `seq`: decided
    /// once, by the flow, where the step happens.
    pub(crate) mfa_passed: BTreeMap<u64, Value>,
}

impl Recorder {
    fn seq(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    pub(crate) fn call(&mut self, action: &str, method: String, args: Vec<Value>, threw: Option<String>, late: bool) {
        let seq = self.seq();
        self.calls.push(Call { seq, action: action.to_string(), method, args, threw, discarded: false, late });
    }

    /// An execution starts: it gets a log allowance of its own, as in Auth0's loader.
    pub(crate) fn start_execution(&mut self) {
        self.log_bytes = 0;
    }

    pub(crate) fn log(&mut self, action: &str, level: &str, mut message: String) {
        if self.log_bytes >= LOG_LIMIT {
            self.logs_truncated = true;
            return;
        }
        let room = LOG_LIMIT - self.log_bytes;
        if message.len() > room {
            let mut cut = room;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
            self.logs_truncated = true;
        }
        self.log_bytes += message.len();
        let seq = self.seq();
        self.logs.push(LogLine { seq, action: action.to_string(), level: level.to_string(), message });
    }

    pub(crate) fn fetch(&mut self, mut record: FetchRecord) {
        record.seq = self.seq();
        self.fetches.push(record);
    }

    /// Marks the calls of `action` made from index `from` on as discarded (the Action failed).
    pub(crate) fn discard_from(&mut self, from: usize) {
        for call in &mut self.calls[from..] {
            call.discarded = true;
        }
    }
}
