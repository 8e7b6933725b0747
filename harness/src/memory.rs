//! A bound on the memory an Action may allocate, for binaries that install [`BoundedAllocator`].
//!
//! Boa has no heap limit, and `const a = []; for (;;) a.push({ ... })` would otherwise grow until
//! the operating system kills the process (or the machine swaps). The allocator meters the bytes
//! allocated, net of frees, on a thread that asked for it (the flow's worker thread, per
//! execution); everything else is untouched. Past the limit the next deadline check (every
//! host call, promise job, and about every millisecond of budgeted JS) stops the Action with an
//! error JS cannot catch, reported as a `limit` failure. A single step that allocates
//! faster than that (a native call filling gigabytes at once) meets a hard cap at twice the
//! limit plus 256 MiB, where the allocation fails and the process aborts with a message: there
//! is no way to unwind out of an allocation.
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
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// The hard cap was hit (guards the abort message against re-entry).
    failing: Cell<bool>,
}

thread_local! {
    static METER: Meter = const {
        Meter {
            used: Cell::new(0),
            limit: Cell::new(isize::MAX),
            hard_cap: Cell::new(isize::MAX),
            over: Cell::new(false),
            failing: Cell::new(false),
        }
    };
}

/// The system allocator, metered on threads that asked for it. See the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct BoundedAllocator;

/// Whether an allocation of `bytes` more may proceed on this thread.
fn charge(bytes: usize) -> bool {
    METER.with(|m| {
        let used = m.used.get().saturating_add(bytes as isize);
        m.used.set(used);
        if used > m.limit.get() {
            m.over.set(true);
        }
        if used > m.hard_cap.get() {
            if !m.failing.replace(true) {
                // No allocation here: the message is static and stderr is unbuffered.
                use std::io::Write as _;
                let _ = std::io::stderr().write_all(
                    b"actionkit harness: an Action allocated past the hard memory cap in one step; the process stops\n",
                );
            }
            return false;
        }
        true
    })
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
        INSTALLED.store(true, Ordering::Relaxed);
        if !charge(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        INSTALLED.store(true, Ordering::Relaxed);
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
        m.failing.set(false);
    });
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
