//! Deterministic time for the JS engine: a virtual clock that only moves when the run waits for a
//! timer, and a job executor that runs microtasks first and timers in due order. A
//! `setTimeout(f, 5000)` therefore completes instantly with `Date.now()` 5 s later, and the time
//! budget counts virtual time as well as real time.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use boa_engine::context::time::{Clock, JsInstant};
use boa_engine::job::{GenericJob, IntervalJob, Job, JobExecutor, NativeAsyncJob, PromiseJob, TimeoutJob};
use boa_engine::{Context, JsNativeError, JsResult};

use crate::host::Host;

/// A clock that starts at the fixture's time and advances only through [`Jobs::fire_next_timer`].
#[derive(Debug, Default)]
pub(crate) struct VirtualClock {
    /// Epoch milliseconds at offset 0.
    epoch_ms: Cell<i64>,
    /// Milliseconds since the engine was created; monotonic.
    offset_ms: Cell<u64>,
}

impl VirtualClock {
    /// Makes `Date.now()` read `now_ms` without moving the monotonic clock backwards.
    pub(crate) fn set_wall_clock(&self, now_ms: u64) {
        self.epoch_ms.set(now_ms as i64 - self.offset_ms.get() as i64);
    }

    pub(crate) fn offset_ms(&self) -> u64 {
        self.offset_ms.get()
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.epoch_ms.get() + self.offset_ms.get() as i64
    }

    fn advance_to(&self, offset_ms: u64) {
        if offset_ms > self.offset_ms.get() {
            self.offset_ms.set(offset_ms);
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> JsInstant {
        let ms = self.offset_ms.get();
        JsInstant::new(ms / 1000, ((ms % 1000) * 1_000_000) as u32)
    }

    fn system_time_millis(&self) -> i64 {
        self.now_ms()
    }
}

enum Timer {
    Timeout(TimeoutJob),
    Interval(IntervalJob),
}

/// The job queues of one engine.
pub(crate) struct Jobs {
    clock: Rc<VirtualClock>,
    promise: RefCell<VecDeque<PromiseJob>>,
    generic: RefCell<VecDeque<GenericJob>>,
    /// Boa's module loading steps (one per imported module): the harness's loader answers
    /// synchronously, so each finishes in one poll.
    loading: RefCell<VecDeque<NativeAsyncJob>>,
    /// Timers keyed by (due offset, insertion number) so equal due times keep FIFO order.
    timers: RefCell<BTreeMap<(u64, u64), Timer>>,
    next_timer: Cell<u64>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field("promise", &self.promise.borrow().len())
            .field("timers", &self.timers.borrow().len())
            .finish()
    }
}

impl Jobs {
    pub(crate) fn new(clock: Rc<VirtualClock>) -> Jobs {
        Jobs {
            clock,
            promise: RefCell::default(),
            generic: RefCell::default(),
            loading: RefCell::default(),
            timers: RefCell::default(),
            next_timer: Cell::new(0),
        }
    }

    fn schedule(&self, due: u64, timer: Timer) {
        let n = self.next_timer.get();
        self.next_timer.set(n + 1);
        self.timers.borrow_mut().insert((due, n), timer);
    }

    /// The due offset of the earliest live timer.
    pub(crate) fn next_due(&self) -> Option<u64> {
        let mut timers = self.timers.borrow_mut();
        timers.retain(|_, t| match t {
            Timer::Timeout(t) => !t.cancelled(),
            Timer::Interval(i) => !i.cancelled(),
        });
        timers.keys().next().map(|(due, _)| *due)
    }

    /// Advances the clock to the earliest timer and runs it.
    pub(crate) fn fire_next_timer(&self, ctx: &mut Context) -> JsResult<()> {
        let next = self.timers.borrow_mut().pop_first();
        let Some(((due, _), timer)) = next else {
            return Ok(());
        };
        self.clock.advance_to(due);
        match timer {
            Timer::Timeout(job) => {
                if !job.cancelled() {
                    job.call(ctx)?;
                }
            }
            Timer::Interval(job) => {
                if !job.cancelled() {
                    job.call(ctx)?;
                    // An interval of 0 would spin forever without moving virtual time.
                    let every = job.interval().as_millis().max(1);
                    self.schedule(due + every, Timer::Interval(job));
                }
            }
        }
        Ok(())
    }

    /// Runs Boa's pending module-loading steps, and the ones they enqueue, to the end: a
    /// `require` of an ES module loads its whole graph synchronously, as Node 22's does, without
    /// running any promise job meanwhile.
    pub(crate) fn run_module_loading(&self, ctx: &mut Context) -> JsResult<()> {
        loop {
            let job = self.loading.borrow_mut().pop_front();
            let Some(job) = job else { return Ok(()) };
            run_loading_step(job, ctx)?;
        }
    }

    /// Drops pending work, between executions.
    pub(crate) fn clear(&self) {
        self.promise.borrow_mut().clear();
        self.generic.borrow_mut().clear();
        self.loading.borrow_mut().clear();
        self.timers.borrow_mut().clear();
    }
}

impl JobExecutor for Jobs {
    fn enqueue_job(self: Rc<Self>, job: Job, _ctx: &mut Context) {
        let now = self.clock.offset_ms();
        match job {
            Job::PromiseJob(job) => self.promise.borrow_mut().push_back(job),
            Job::GenericJob(job) => self.generic.borrow_mut().push_back(job),
            Job::TimeoutJob(job) => {
                let due = now + job.timeout().as_millis();
                self.schedule(due, Timer::Timeout(job));
            }
            Job::IntervalJob(job) => {
                let due = now + job.interval().as_millis().max(1);
                self.schedule(due, Timer::Interval(job));
            }
            // Future jobs come from Boa's module loading (boa_runtime's fetch, the other source,
            // is replaced by the harness); finalization callbacks are not observable within one
            // login.
            Job::AsyncJob(job) => self.loading.borrow_mut().push_back(job),
            _ => {}
        }
    }

    /// Runs every queued microtask (and generic job) until none is left; timers are not run here.
    ///
    /// The deadline is checked before each job: a chain of promise jobs that keeps scheduling the
    /// next one (`const spin = () => Promise.resolve().then(spin)`) never empties the queue.
    fn run_jobs(self: Rc<Self>, ctx: &mut Context) -> JsResult<()> {
        let host = Host::of(ctx)?;
        loop {
            host.check_limits()?;
            let job = self.promise.borrow_mut().pop_front();
            if let Some(job) = job {
                job.call(ctx)?;
                continue;
            }
            // A dynamic `import()` loads its module graph between promise jobs.
            let job = self.loading.borrow_mut().pop_front();
            if let Some(job) = job {
                run_loading_step(job, ctx)?;
                continue;
            }
            let job = self.generic.borrow_mut().pop_front();
            match job {
                Some(job) => {
                    job.call(ctx)?;
                }
                None => return Ok(()),
            }
        }
    }
}

/// Polls one module-loading step once: it must be done, since the harness's module loader never
/// waits (a step that is not would be a loader bug, reported rather than dropped).
fn run_loading_step(job: NativeAsyncJob, ctx: &mut Context) -> JsResult<()> {
    use std::future::Future;
    let cell = RefCell::new(ctx);
    let mut future = job.call(&cell);
    let mut poll = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::Pin::new(&mut future).poll(&mut poll) {
        std::task::Poll::Ready(result) => result.map(|_| ()),
        std::task::Poll::Pending => {
            Err(JsNativeError::error().with_message("module loading did not finish synchronously").into())
        }
    }
}
