//! The WASM engine's allocator: a bump arena that starts over once everything allocated since
//! its mark has been freed.
//!
//! Why not std's dlmalloc: it is 7.5 KB of the engine's code (a tenth of the module every Action
//! ships, compiled by V8 on every cold start) for a workload that needs none of it. A decision
//! allocates while it runs and frees everything before the next one: wasm-bindgen's glue
//! allocates the input, `decide` frees it and returns its answer, the glue copies the answer
//! out and frees it. So the arena hands out memory by bumping a cursor and moves the cursor back
//! to the mark when the count of live allocations above the mark drops to zero. The compiled
//! policy, decoded once by `load`, lies below the mark ([`Arena::keep_all`]) and is never
//! reused.
//!
//! Soundness rests on one invariant: every live allocation at or above `mark` lies inside
//! `[mark, cursor)`, and `live` counts them.
//! - `alloc` places a block at `cursor` (aligned) and moves `cursor` past it: the invariant holds.
//! - `dealloc` of a block below `mark` does nothing (the memory is simply not reused). Above the
//!   mark it decrements `live`; at zero no live block is in `[mark, cursor)`, so `cursor = mark`
//!   is safe. If the freed block ends at `cursor` it is the topmost, every other live block lies
//!   below its start, so `cursor` may move back to it.
//! - `keep_all` moves `mark` up to `cursor` and sets `live` to zero: blocks now below the mark are
//!   never handed out again, whether or not they are freed.
//!
//! The memory a long-lived Action instance uses is therefore the policy plus the largest single
//! decision, and a leak (an allocation never freed) only stops the reset, never corrupts memory.
//! `tests` below check the invariant on random sequences against a shadow model.

/// Bump arena state over a linear memory that only grows. Addresses are plain `usize`s so the
/// logic can be tested natively; [`WasmAllocator`] runs it over the WASM memory.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    /// Next free address (before alignment).
    cursor: usize,
    /// End of the memory obtained so far.
    end: usize,
    /// Blocks below this address are never reused.
    mark: usize,
    /// Live blocks at or above `mark`.
    live: usize,
}

/// Where an [`Arena`] gets memory: `grow(bytes)` makes at least `bytes` more available after the
/// current end and returns the new end, or `None` when the memory cannot grow.
pub(crate) trait Memory {
    fn end(&mut self) -> usize;
    fn grow(&mut self, bytes: usize) -> Option<usize>;
}

impl Arena {
    /// A block of `size` bytes aligned to `align` (a power of two), or `None` when out of memory.
    pub(crate) fn alloc(&mut self, size: usize, align: usize, memory: &mut impl Memory) -> Option<usize> {
        if self.end == 0 {
            // First use: start after whatever the module's memory already holds (data, stack).
            self.end = memory.end();
            self.cursor = self.end;
            self.mark = self.end;
        }
        let start = self.cursor.checked_add(align - 1)? & !(align - 1);
        let stop = start.checked_add(size)?;
        self.reserve(stop, memory)?;
        self.cursor = stop;
        self.live += 1;
        Some(start)
    }

    /// Frees the block at `ptr` of `size` bytes.
    pub(crate) fn dealloc(&mut self, ptr: usize, size: usize) {
        if ptr < self.mark {
            return;
        }
        self.live -= 1;
        if self.live == 0 {
            self.cursor = self.mark;
        } else if ptr + size == self.cursor {
            self.cursor = ptr;
        }
    }

    /// Resizes the block at `ptr` from `old_size` to `new_size` bytes: in place when it is the
    /// topmost block, else `None` (the caller allocates, copies and frees).
    pub(crate) fn resize_in_place(
        &mut self,
        ptr: usize,
        old_size: usize,
        new_size: usize,
        memory: &mut impl Memory,
    ) -> Option<()> {
        if ptr < self.mark || ptr + old_size != self.cursor {
            return None;
        }
        let stop = ptr.checked_add(new_size)?;
        self.reserve(stop, memory)?;
        self.cursor = stop;
        Some(())
    }

    /// Everything allocated so far stays where it is for good (the decoded policy).
    pub(crate) fn keep_all(&mut self) {
        self.mark = self.cursor;
        self.live = 0;
    }

    fn reserve(&mut self, stop: usize, memory: &mut impl Memory) -> Option<()> {
        if stop > self.end {
            self.end = memory.grow(stop - self.end)?;
        }
        Some(())
    }
}

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
pub(crate) use wasm::{keep_all, Global};

// The only unsafe code of the engine: a global allocator cannot be written without it.
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
#[allow(unsafe_code)]
mod wasm {
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32;
    use core::cell::UnsafeCell;

    use super::{Arena, Memory};

    const PAGE: usize = 65_536;

    struct LinearMemory;

    impl Memory for LinearMemory {
        fn end(&mut self) -> usize {
            wasm32::memory_size(0) * PAGE
        }

        fn grow(&mut self, bytes: usize) -> Option<usize> {
            let pages = bytes.div_ceil(PAGE);
            let before = wasm32::memory_grow(0, pages);
            if before == usize::MAX {
                return None;
            }
            Some((before + pages) * PAGE)
        }
    }

    /// The global allocator of the WASM engine.
    pub(crate) struct WasmAllocator(UnsafeCell<Arena>);

    // SAFETY: wasm32-unknown-unknown without the `atomics` feature has one thread, so the arena
    // is never touched concurrently.
    #[cfg(not(target_feature = "atomics"))]
    unsafe impl Sync for WasmAllocator {}

    impl WasmAllocator {
        pub(crate) const fn new() -> Self {
            WasmAllocator(UnsafeCell::new(Arena { cursor: 0, end: 0, mark: 0, live: 0 }))
        }

        #[allow(clippy::mut_from_ref)]
        fn arena(&self) -> &mut Arena {
            // SAFETY: one thread, and no arena method allocates or calls back into the
            // allocator, so this is the only reference while it lives (a RefCell would add a
            // panic path to every allocation).
            unsafe { &mut *self.0.get() }
        }
    }

    // SAFETY: the arena never hands out overlapping live blocks (module docs), blocks are aligned
    // as asked, and they lie inside memory obtained from `memory.grow`.
    unsafe impl GlobalAlloc for WasmAllocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            match self.arena().alloc(layout.size(), layout.align(), &mut LinearMemory) {
                Some(address) => address as *mut u8,
                None => core::ptr::null_mut(),
            }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            self.arena().dealloc(ptr as usize, layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if self.arena().resize_in_place(ptr as usize, layout.size(), new_size, &mut LinearMemory).is_some() {
                return ptr;
            }
            // SAFETY: `new_size` with the old alignment is a valid layout (GlobalAlloc's contract).
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            // SAFETY: as `GlobalAlloc::realloc`'s default: a fresh block, disjoint from `ptr`.
            unsafe {
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }

    #[global_allocator]
    static ALLOCATOR: WasmAllocator = WasmAllocator::new();

    /// A value shared by the engine's calls for the instance's life (the decoded policy): a
    /// `static` needs `Sync`, which std's `thread_local!` provided before the engine dropped std.
    pub(crate) struct Global<T>(pub(crate) T);

    // SAFETY: as for `WasmAllocator`: wasm32-unknown-unknown without `atomics` has one thread.
    #[cfg(not(target_feature = "atomics"))]
    unsafe impl<T> Sync for Global<T> {}

    /// See [`Arena::keep_all`].
    pub(crate) fn keep_all() {
        ALLOCATOR.arena().keep_all();
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Arena, Memory};

    struct Fake {
        end: usize,
        limit: usize,
    }

    impl Memory for Fake {
        fn end(&mut self) -> usize {
            self.end
        }
        fn grow(&mut self, bytes: usize) -> Option<usize> {
            let pages = bytes.div_ceil(65_536);
            (self.end + pages * 65_536 <= self.limit).then(|| {
                self.end += pages * 65_536;
                self.end
            })
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Alloc { size: usize, align_log2: u32 },
        Free { pick: usize },
        Grow { pick: usize, size: usize },
        KeepAll,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (1usize..5000, 0u32..5).prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
            4 => any::<usize>().prop_map(|pick| Op::Free { pick }),
            2 => (any::<usize>(), 1usize..9000).prop_map(|(pick, size)| Op::Grow { pick, size }),
            1 => Just(Op::KeepAll),
        ]
    }

    proptest! {
        /// Live blocks never overlap, are aligned and lie in obtained memory; once everything above
        /// the mark is freed the cursor is back at the mark (memory is reused).
        #[test]
        fn live_blocks_never_overlap(ops in proptest::collection::vec(op(), 1..300)) {
            let mut memory = Fake { end: 3 * 65_536, limit: 64 * 65_536 };
            let mut arena = Arena::default();
            // (start, size, above the mark when allocated or kept)
            let mut live: Vec<(usize, usize)> = Vec::new();
            for op in ops {
                match op {
                    Op::Alloc { size, align_log2 } => {
                        let align = 1 << align_log2;
                        if let Some(start) = arena.alloc(size, align, &mut memory) {
                            prop_assert_eq!(start % align, 0);
                            prop_assert!(start >= 3 * 65_536 && start + size <= memory.end);
                            live.push((start, size));
                        }
                    }
                    Op::Free { pick } if !live.is_empty() => {
                        let (start, size) = live.swap_remove(pick % live.len());
                        arena.dealloc(start, size);
                    }
                    Op::Grow { pick, size } if !live.is_empty() => {
                        let i = pick % live.len();
                        let (start, old) = live[i];
                        if arena.resize_in_place(start, old, size, &mut memory).is_some() {
                            live[i] = (start, size);
                        } else if let Some(new) = arena.alloc(size, 1, &mut memory) {
                            arena.dealloc(start, old);
                            live[i] = (new, size);
                        }
                    }
                    Op::KeepAll => arena.keep_all(),
                    Op::Free { .. } | Op::Grow { .. } => {}
                }
                let mut sorted = live.clone();
                sorted.sort_unstable();
                for pair in sorted.windows(2) {
                    prop_assert!(pair[0].0 + pair[0].1 <= pair[1].0, "overlap: {:?}", pair);
                }
                if arena.live == 0 {
                    prop_assert_eq!(arena.cursor, arena.mark);
                }
                for &(start, size) in &live {
                    prop_assert!(start < arena.mark || start + size <= arena.cursor);
                }
            }
        }
    }

    #[test]
    fn a_decision_cycle_reuses_the_same_memory() {
        let mut memory = Fake { end: 65_536, limit: 16 * 65_536 };
        let mut arena = Arena::default();
        let policy = arena.alloc(1000, 8, &mut memory).unwrap();
        arena.keep_all();
        let mut first_input = None;
        for _ in 0..1000 {
            let input = arena.alloc(300, 1, &mut memory).unwrap();
            let scratch = arena.alloc(5000, 8, &mut memory).unwrap();
            let answer = arena.alloc(200, 1, &mut memory).unwrap();
            arena.dealloc(scratch, 5000);
            arena.dealloc(input, 300);
            arena.dealloc(answer, 200);
            assert_eq!(*first_input.get_or_insert(input), input);
        }
        assert!(policy < first_input.unwrap());
        assert_eq!(memory.end, 2 * 65_536);
    }
}
