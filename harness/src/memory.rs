//! A bound on the memory an Action may allocate, for binaries that install [`BoundedAllocator`].
//!
//! Boa has no heap limit, and `const a = []; for (;;) a.push({ ... })` would otherwise grow until
//! the operating system kills the process (or the machine swaps). The allocator meters the bytes
//! allocated, net of frees, on a thread that asked for it (a flow's worker thread, per
//! execution); everything else is untouched. Past the limit:
//!
//! - the next deadline check (every host call, promise job, and about every millisecond of
//!   budgeted JS) stops the Action with an error JS cannot catch, reported as a `limit` failure;
//! - where no check comes (CPU-bound JS inside one promise job), the flow's watchdog sees the
//!   worker over its limit, answers with the same failure and abandons the worker, whose next
//!   allocation then sleeps forever: the runaway neither grows nor burns CPU any more.
//!
//! One allocation that would take the thread past twice the limit plus 256 MiB is refused (not
//! counted): a fallible one (an `ArrayBuffer`) becomes a catchable `RangeError` in JS, an
//! infallible one aborts the process, after a line on stderr saying why.
//!
//! The metering needs the allocator to be the program's global allocator, which only a binary
//! can choose:
//!
//! ```
//! #[global_allocator]
//! static ALLOCATOR: harness::BoundedAllocator = harness::BoundedAllocator;
//! ```
//!
//! Without it the limit is not enforced ([`Limits::heap_bytes`](crate::Limits) says so).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Headroom of the hard cap over twice the limit.
const HARD_CAP_HEADROOM: usize = 256 * 1024 * 1024;

/// Set by the first allocation through [`BoundedAllocator`]: the metering is live.
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Per-thread metering state. Const-initialised `Cell`s without destructors, so using them
/// from inside the allocator never allocates and never fails.
struct Meter {
    /// Bytes allocated minus bytes freed on this thread since [`meter`]; negative when this
    /// thread frees memory another thread allocated.
    used: Cell<isize>,
    /// The soft limit; `isize::MAX` when this thread is not metered.
    limit: Cell<isize>,
    hard_cap: Cell<isize>,
    /// The soft limit was passed.
    over: Cell<bool>,
    /// A refusal was reported on stderr since [`meter`] (one line per execution is enough).
    refused: Cell<bool>,
    /// What this thread shares with its watchdog, once [`MeterState::attach`] ran on it.
    shared: Cell<Option<&'static MeterState>>,
}

thread_local! {
    static METER: Meter = const {
        Meter {
            used: Cell::new(0),
            limit: Cell::new(isize::MAX),
            hard_cap: Cell::new(isize::MAX),
            over: Cell::new(false),
            refused: Cell::new(false),
            shared: Cell::new(None),
        }
    };
}

const NORMAL: u8 = 0;
const OVER: u8 = 1;
const ABANDONED: u8 = 2;

/// The part of a metered thread's state its watchdog reads and writes.
#[derive(Debug, Default)]
pub(crate) struct MeterState(AtomicU8);

/// States of threads that ended, for reuse: a worker thread per flow would otherwise leak one.
static SPARE: Mutex<Vec<&'static MeterState>> = Mutex::new(Vec::new());

impl MeterState {
    /// Shares the current thread's metering with a watchdog (call once, on the worker thread).
    pub(crate) fn attach() -> &'static MeterState {
        let spare = SPARE.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let state: &'static MeterState = spare.unwrap_or_else(|| Box::leak(Box::default()));
        state.0.store(NORMAL, Ordering::SeqCst);
        METER.with(|m| m.shared.set(Some(state)));
        state
    }

    /// The thread is done with it (its flow was dropped).
    pub(crate) fn detach() {
        if let Some(state) = METER.with(|m| m.shared.take()) {
            SPARE.lock().unwrap_or_else(PoisonError::into_inner).push(state);
        }
    }

    /// The thread passed its limit in the current execution.
    pub(crate) fn is_over(&self) -> bool {
        self.0.load(Ordering::SeqCst) == OVER
    }

    /// A new run is about to start: the previous run's verdict no longer stands. (The worker
    /// resets it too when its execution starts, but the watchdog must not read a stale `OVER`
    /// while a loaded machine has not yet scheduled the worker.)
    pub(crate) fn clear_over(&self) {
        let _ = self.0.compare_exchange(OVER, NORMAL, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// The watchdog gave up on the thread: its next allocation sleeps forever.
    pub(crate) fn abandon(&self) {
        self.0.store(ABANDONED, Ordering::SeqCst);
    }
}

/// Where an abandoned runaway ends: no more memory, no more CPU. `sleep` does not allocate.
fn sleep_forever() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(86_400));
    }
}

/// The system allocator, metered on threads that asked for it. See the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct BoundedAllocator;

/// Whether an allocation of `bytes` more may proceed on this thread; counts it when it may.
fn charge(bytes: usize) -> bool {
    METER.with(|m| {
        let shared = m.shared.get();
        if shared.is_some_and(|s| s.0.load(Ordering::Relaxed) == ABANDONED) {
            sleep_forever();
        }
        let used = m.used.get().saturating_add(bytes as isize);
        if used > m.hard_cap.get() {
            if !m.refused.replace(true) {
                // No allocation here: the message is static and stderr is unbuffered.
                use std::io::Write as _;
                let _ = std::io::stderr().write_all(
                    b"actionkit harness: refused an Action's allocation past the hard memory cap \
                      (twice the memory limit + 256 MiB)\n",
                );
            }
            return false;
        }
        m.used.set(used);
        if used > m.limit.get() && !m.over.replace(true) {
            if let Some(shared) = shared {
                let _ = shared.0.compare_exchange(NORMAL, OVER, Ordering::SeqCst, Ordering::SeqCst);
            }
        }
        true
    })
}

/// Records that the program uses this allocator; a load first, so that threads allocating at
/// once do not all write the same cache line.
fn mark_installed() {
    if !INSTALLED.load(Ordering::Relaxed) {
        INSTALLED.store(true, Ordering::Relaxed);
    }
}

fn credit(bytes: usize) {
    METER.with(|m| m.used.set(m.used.get().saturating_sub(bytes as isize)));
}

// The one exception to the workspace's `unsafe_code = "deny"`: `GlobalAlloc` is an unsafe
// trait, and no maintained crate meters per thread.
// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the metering
// only decides whether to forward at all, and a refused allocation returns null as the
// `GlobalAlloc` contract allows.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for BoundedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        mark_installed();
        if !charge(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        mark_installed();
        if !charge(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.dealloc(ptr, layout) };
        credit(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && !charge(new_size - layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged (see the impl).
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if new_size < layout.size() && !moved.is_null() {
            credit(layout.size() - new_size);
        } else if new_size > layout.size() && moved.is_null() {
            credit(new_size - layout.size());
        }
        moved
    }
}

/// Meters the current thread from now on: `limit` bytes (net of frees) before [`over_limit`].
pub(crate) fn meter(limit: usize) {
    let limit = isize::try_from(limit).unwrap_or(isize::MAX);
    let hard_cap = limit.saturating_mul(2).saturating_add(HARD_CAP_HEADROOM as isize);
    METER.with(|m| {
        m.used.set(0);
        m.limit.set(limit);
        m.hard_cap.set(hard_cap);
        m.over.set(false);
        m.refused.set(false);
        if let Some(shared) = m.shared.get() {
            let _ = shared.0.compare_exchange(OVER, NORMAL, Ordering::SeqCst, Ordering::SeqCst);
        }
    });
}

/// The failure message of an Action stopped at the memory limit.
pub(crate) fn limit_message(limit: usize) -> String {
    format!("the Action allocated more than {} MiB of memory (the harness's limit)", limit / (1024 * 1024))
}

/// Whether the current thread allocated past its limit since [`meter`].
pub(crate) fn over_limit() -> bool {
    METER.with(|m| m.over.get())
}

/// Whether [`BoundedAllocator`] is the program's global allocator (it has allocated at least
/// once, which any program has done by the time a harness exists).
pub fn bounded_allocator_installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}
