//! The one place every effect of a run is written to, numbered in the order it happened.

use serde_json::Value;

use crate::outcome::{Call, FetchRecord, LogLine};

/// Console output kept per run, like the Auth0 loader's `LOG_LIMIT` (256 KiB per execution).
pub(crate) const LOG_LIMIT: usize = 256 * 1024;

#[derive(Debug, Default)]
pub(crate) struct Recorder {
    next: u64,
    pub(crate) calls: Vec<Call>,
    pub(crate) logs: Vec<LogLine>,
    pub(crate) fetches: Vec<FetchRecord>,
    log_bytes: usize,
    pub(crate) logs_truncated: bool,
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
