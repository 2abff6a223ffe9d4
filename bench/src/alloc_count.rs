//! A counting global allocator: how many heap allocations (and bytes) one
//! operation makes, on either side of a comparison.
//!
//! Counting is off except inside [`measure`], so the timing loops pay only
//! a thread-local flag test per allocation. Only the measuring thread's
//! allocations count; the bench drives both sides on that thread (a
//! current-thread tokio runtime for aws-sdk).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

thread_local! {
    // `const` and no destructor: native TLS that never allocates itself,
    // so it is usable from inside the allocator.
    static ON: Cell<bool> = const { Cell::new(false) };
    static CALLS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

#[inline]
fn note(size: usize) {
    if ON.try_with(Cell::get).unwrap_or(false) {
        let _ = CALLS.try_with(|c| c.set(c.get() + 1));
        let _ = BYTES.try_with(|b| b.set(b.get() + size as u64));
    }
}

// SAFETY: every call forwards to `System` with the caller's arguments; the
// counters do not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growing realloc is an allocation as far as cost goes (it may
        // copy); counted with the bytes it adds.
        note(new_size.saturating_sub(layout.size()));
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocation calls (alloc, alloc_zeroed, realloc) and bytes requested.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Allocs {
    pub calls: u64,
    pub bytes: u64,
}

/// Counts the allocations of one run of `f`.
pub fn measure(f: &mut dyn FnMut()) -> Allocs {
    let (c0, b0) = (CALLS.get(), BYTES.get());
    ON.set(true);
    f();
    ON.set(false);
    Allocs {
        calls: CALLS.get() - c0,
        bytes: BYTES.get() - b0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_the_closure_allocates() {
        let mut keep = Vec::new();
        let a = measure(&mut || {
            for i in 0..10 {
                keep.push(std::hint::black_box(vec![i as u8; 100]));
            }
        });
        // Ten 100-byte vectors plus the growth of `keep` itself.
        assert!(a.calls >= 10, "{a:?}");
        assert!(a.bytes >= 1000, "{a:?}");
        let none = measure(&mut || {
            std::hint::black_box(1 + 1);
        });
        assert_eq!(none, Allocs::default());
    }
}
