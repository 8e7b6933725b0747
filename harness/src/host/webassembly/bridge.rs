//! The one place with `unsafe` code: re-entrancy between Boa and wasmi.
//!
//! wasmi host functions must be `Send + Sync + 'static` and get only a `Caller`; Boa natives get
//! only `&mut Context`. A wasm import has to call JS (needs the `Context`), and JS called from an
//! import may touch wasm again (`memory.buffer`, `table.set`, another export), which needs the
//! store that wasmi is currently executing with, reachable only through that import's `Caller`.
//! Both are therefore lent through thread-local stacks of raw pointers for exactly the duration
//! of the nested call:
//!
//! * `CONTEXTS`: pushed by [`with_store`] around code that may run wasm; read by [`enter_import`].
//! * `CALLERS`: pushed by [`enter_import`] around the JS call; read by [`with_store`].
//!
//! Calls are strictly nested on one thread (Boa and wasmi are both single-threaded here), every
//! push is popped by a guard (also on unwinding), and the lender never touches the lent value
//! while the borrower runs.

use std::cell::RefCell;

use boa_engine::{Context, JsNativeError, JsResult};
use wasmi::{AsContextMut, Caller, Store, StoreContextMut};

use super::StoreData;

thread_local! {
    static CONTEXTS: RefCell<Vec<*mut Context>> = const { RefCell::new(Vec::new()) };
    static CALLERS: RefCell<Vec<*mut Caller<'static, StoreData>>> = const { RefCell::new(Vec::new()) };
}

/// Pops the top of a pointer stack when dropped, so a panic cannot leave a dangling entry.
struct PopGuard(fn());

impl Drop for PopGuard {
    fn drop(&mut self) {
        (self.0)();
    }
}

fn pop_context() {
    CONTEXTS.with(|s| s.borrow_mut().pop());
}

fn pop_caller() {
    CALLERS.with(|s| s.borrow_mut().pop());
}

/// Number of wasm imports currently executing JS (0 = no wasm on the stack).
pub(crate) fn depth() -> usize {
    CALLERS.with(|s| s.borrow().len())
}

/// Runs `f` with the store wasm code must use right now: the store wasmi is executing with when
/// called from inside an import, else `owned` (the instance's own store, taken out of the host
/// state by the caller for the duration).
#[expect(unsafe_code, reason = "re-borrows the Caller lent by enter_import; see the module docs")]
pub(crate) fn with_store<R>(
    ctx: &mut Context,
    owned: Option<&mut Store<StoreData>>,
    f: impl FnOnce(StoreContextMut<'_, StoreData>, &mut Context) -> R,
) -> JsResult<R> {
    let caller = CALLERS.with(|s| s.borrow().last().copied());
    CONTEXTS.with(|s| s.borrow_mut().push(ctx as *mut Context));
    let _guard = PopGuard(pop_context);
    match (caller, owned) {
        (Some(caller), _) => {
            // SAFETY: the pointer was pushed by `enter_import` from a `&mut Caller` that stays
            // alive (and untouched) until its guard pops it, which happens only after the JS call
            // that led here returned. Calls are strictly nested, so no other `&mut` to that
            // caller is in use while this one exists.
            let caller = unsafe { &mut *caller };
            Ok(f(caller.as_context_mut(), ctx))
        }
        (None, Some(store)) => Ok(f(store.as_context_mut(), ctx)),
        (None, None) => Err(JsNativeError::error().with_message("the WebAssembly store is busy").into()),
    }
}

/// Runs the JS side of a wasm import: lends `caller` to nested [`with_store`] calls and gives
/// `f` the `Context` of the export call that is running wasm.
#[expect(unsafe_code, reason = "lends the Caller and re-borrows the Context; see the module docs")]
pub(crate) fn enter_import<R>(caller: &mut Caller<'_, StoreData>, f: impl FnOnce(&mut Context) -> R) -> Option<R> {
    let ctx = CONTEXTS.with(|s| s.borrow().last().copied())?;
    // Only the lifetime is erased; the pointer is popped before `caller` goes out of scope.
    let lent: *mut Caller<'static, StoreData> = (caller as *mut Caller<'_, StoreData>).cast();
    CALLERS.with(|s| s.borrow_mut().push(lent));
    let _guard = PopGuard(pop_caller);
    // SAFETY: `ctx` was pushed by `with_store` from the `&mut Context` of the native that is
    // running wasm right now; that native does not use its context until wasm returns, and this
    // import returns before it does (strict nesting on one thread).
    let ctx = unsafe { &mut *ctx };
    Some(f(ctx))
}
