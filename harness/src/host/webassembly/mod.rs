//! `WebAssembly`, backed by wasmi: a JS prelude (`webassembly.js`) over native ops named after
//! wasmi's vocabulary. Each Action instance gets its own wasmi `Store` (fresh per load), with
//! fuel metering and a memory limit. Values: i32/f32/f64 ↔ Number, i64 ↔ BigInt, externref ↔
//! any JS value through a side table, multi-value results ↔ arrays.
//!
//! Memory is bridged by lazy copy-and-detach: `memory.buffer` materializes an `ArrayBuffer` copy
//! of linear memory; at the next transition into wasm the copy is written back and detached.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::object::builtins::{AlignedVec, JsArray, JsArrayBuffer};
use boa_engine::object::FunctionObjectBuilder;
use boa_engine::{
    Context, JsArgs, JsBigInt, JsError, JsNativeError, JsObject, JsResult, JsString, JsValue, NativeFunction,
};
use serde_json::json;
use wasmi::{
    AsContext, CompilationMode, Config, Engine, ExternRef, ExternType, Func, FuncType, Global, Memory, MemoryType,
    Module, Mutability, Nullable, Ref, RefType, Store, StoreContextMut, StoreLimits, StoreLimitsBuilder, Table,
    TableType, TrapCode, Val, ValType,
};

use super::node::bytes_arg;
use super::{natives, run_prelude, uncatchable, Host};

mod bridge;

const WEBASSEMBLY_JS: &str = include_str!("webassembly.js");

/// Host data of the wasmi store.
#[derive(Debug)]
pub(crate) struct StoreData {
    limits: StoreLimits,
}

/// What the natives share, kept in the Boa context's host data.
pub(crate) struct WasmHost {
    engine: Engine,
    /// `None` while a call into wasm has lent it to wasmi.
    store: Option<Store<StoreData>>,
    modules: Vec<Module>,
    externs: Vec<wasmi::Extern>,
    /// JS functions imported by instances, by trampoline index.
    imports: Vec<JsValue>,
    /// JS values passed to wasm as externref, by slot (wasmi has no GC, so slots are never reused;
    /// a store lives as long as one Action instance).
    externrefs: Vec<JsValue>,
    /// Materialized `memory.buffer` copies, written back and detached at the next call into wasm.
    views: Vec<(Memory, JsArrayBuffer)>,
    /// A JS exception thrown by an import, carried across wasm to the export that was called.
    pending: Vec<JsError>,
    errors: Option<JsObject>,
    fuel_limit: u64,
    out_of_fuel: bool,
}

impl std::fmt::Debug for WasmHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmHost")
            .field("modules", &self.modules.len())
            .field("externs", &self.externs.len())
            .field("externrefs", &self.externrefs.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct Wasm(Rc<RefCell<WasmHost>>);

impl Wasm {
    fn of(ctx: &Context) -> JsResult<Wasm> {
        ctx.get_data::<Wasm>()
            .cloned()
            .ok_or_else(|| JsNativeError::error().with_message("WebAssembly host state is missing").into())
    }

    fn get_extern(&self, handle: &JsValue, ctx: &mut Context) -> JsResult<wasmi::Extern> {
        let index = handle.to_u32(ctx)? as usize;
        self.0
            .borrow()
            .externs
            .get(index)
            .cloned()
            .ok_or_else(|| JsNativeError::typ().with_message("invalid WebAssembly object").into())
    }
}

/// Installs `WebAssembly`.
pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let host = Host::of(ctx)?;
    let (fuel_limit, memory_limit) = {
        let state = host.0.borrow();
        (state.wasm_fuel_limit, state.wasm_memory_limit)
    };
    let mut config = Config::default();
    config.consume_fuel(true);
    // Lazy translation keeps a cold `new WebAssembly.Module` cheap; functions compile on first call.
    config.compilation_mode(CompilationMode::LazyTranslation);
    let engine = Engine::new(&config);
    let mut store =
        Store::new(&engine, StoreData { limits: StoreLimitsBuilder::new().memory_size(memory_limit).build() });
    store.limiter(|data| &mut data.limits);
    let wasm = Wasm(Rc::new(RefCell::new(WasmHost {
        engine,
        store: Some(store),
        modules: Vec::new(),
        externs: Vec::new(),
        imports: Vec::new(),
        externrefs: Vec::new(),
        views: Vec::new(),
        pending: Vec::new(),
        errors: None,
        fuel_limit,
        out_of_fuel: false,
    })));
    ctx.insert_data(wasm.clone());
    let native = natives(
        ctx,
        &[
            ("compile", compile, 1),
            ("validate", validate, 1),
            ("moduleImports", module_imports, 1),
            ("moduleExports", module_exports, 1),
            ("instantiate", instantiate, 2),
            ("exportFunction", export_function, 1),
            ("memoryNew", memory_new, 2),
            ("memoryBuffer", memory_buffer, 1),
            ("memoryGrow", memory_grow, 2),
            ("tableNew", table_new, 4),
            ("tableSize", table_size, 1),
            ("tableGet", table_get, 2),
            ("tableSet", table_set, 3),
            ("tableGrow", table_grow, 3),
            ("globalNew", global_new, 3),
            ("globalGet", global_get, 1),
            ("globalSet", global_set, 2),
        ],
    );
    run_prelude(ctx, WEBASSEMBLY_JS, native.clone())?;
    let errors = native.get(JsString::from("errors"), ctx)?.as_object();
    wasm.0.borrow_mut().errors = errors;
    Ok(())
}

/// Whether wasm ran out of fuel since the last call (reported as a limit, not a JS error);
/// clears the flag.
pub(crate) fn take_out_of_fuel(ctx: &Context) -> bool {
    Wasm::of(ctx).is_ok_and(|w| std::mem::take(&mut w.0.borrow_mut().out_of_fuel))
}

/// A `WebAssembly.CompileError`/`LinkError`/`RuntimeError` with `message`.
fn wasm_error(ctx: &mut Context, kind: &str, message: String) -> JsError {
    let errors = Wasm::of(ctx).ok().and_then(|w| w.0.borrow().errors.clone());
    let constructor = errors.and_then(|e| e.get(JsString::from(kind), ctx).ok()).and_then(|c| c.as_constructor());
    match constructor {
        Some(c) => match c.construct(&[JsString::from(message.clone()).into()], None, ctx) {
            Ok(error) => JsError::from_opaque(error.into()),
            Err(e) => e,
        },
        None => JsNativeError::error().with_message(message).into(),
    }
}

/// Runs `f` with the right store (see `bridge`), taking the owned store out while `f` runs.
fn store_op<R>(
    ctx: &mut Context,
    f: impl FnOnce(StoreContextMut<'_, StoreData>, &mut Context) -> JsResult<R>,
) -> JsResult<R> {
    if bridge::depth() > 0 {
        return bridge::with_store(ctx, None, f)?;
    }
    let wasm = Wasm::of(ctx)?;
    let taken = wasm.0.borrow_mut().store.take();
    let mut store = taken.ok_or_else(|| JsNativeError::error().with_message("the WebAssembly store is busy"))?;
    let result = bridge::with_store(ctx, Some(&mut store), f);
    wasm.0.borrow_mut().store = Some(store);
    result?
}

/// Writes materialized `memory.buffer` copies back into linear memory and detaches them: the
/// JS→wasm half of the lazy memory bridge.
fn sync_in(store: &mut StoreContextMut<'_, StoreData>, ctx: &mut Context) -> JsResult<()> {
    let views = std::mem::take(&mut Wasm::of(ctx)?.0.borrow_mut().views);
    for (memory, buffer) in views {
        let Ok(bytes) = buffer.detach(&JsValue::undefined()) else { continue };
        let data = memory.data_mut(&mut *store);
        let n = data.len().min(bytes.len());
        data[..n].copy_from_slice(&bytes[..n]);
    }
    Ok(())
}

fn type_name(ty: &ValType) -> &'static str {
    match ty {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        ValType::V128 => "v128",
        ValType::FuncRef => "anyfunc",
        ValType::ExternRef => "externref",
    }
}

fn parse_type(name: &str) -> JsResult<ValType> {
    Ok(match name {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        "externref" => ValType::ExternRef,
        "anyfunc" | "funcref" => ValType::FuncRef,
        other => {
            return Err(JsNativeError::typ().with_message(format!("invalid WebAssembly value type `{other}`")).into())
        }
    })
}

/// JS value → wasm value of type `ty` (ToWebAssemblyValue).
fn to_wasm(
    value: &JsValue,
    ty: &ValType,
    store: &mut StoreContextMut<'_, StoreData>,
    ctx: &mut Context,
) -> JsResult<Val> {
    Ok(match ty {
        ValType::I32 => Val::I32(value.to_i32(ctx)?),
        ValType::I64 => Val::I64(value.to_big_int64(ctx)?),
        ValType::F32 => Val::F32((value.to_number(ctx)? as f32).into()),
        ValType::F64 => Val::F64(value.to_number(ctx)?.into()),
        ValType::ExternRef => {
            if value.is_null() {
                Val::ExternRef(Nullable::Null)
            } else {
                let wasm = Wasm::of(ctx)?;
                let slot = {
                    let mut host = wasm.0.borrow_mut();
                    host.externrefs.push(value.clone());
                    u32::try_from(host.externrefs.len() - 1).unwrap_or(u32::MAX)
                };
                Val::ExternRef(Nullable::Val(ExternRef::new(&mut *store, slot)))
            }
        }
        ValType::FuncRef if value.is_null() => Val::FuncRef(Nullable::Null),
        ValType::FuncRef | ValType::V128 => {
            return Err(JsNativeError::typ()
                .with_message(format!("type incompatibility when transforming from/to JS ({})", type_name(ty)))
                .into())
        }
    })
}

/// wasm value → JS value (ToJSValue).
fn to_js(value: &Val, store: &StoreContextMut<'_, StoreData>, ctx: &mut Context) -> JsResult<JsValue> {
    Ok(match value {
        Val::I32(v) => JsValue::from(*v),
        Val::I64(v) => JsBigInt::new(*v).into(),
        Val::F32(v) => JsValue::from(f64::from(v.to_float())),
        Val::F64(v) => JsValue::from(v.to_float()),
        Val::ExternRef(Nullable::Null) | Val::FuncRef(Nullable::Null) => JsValue::null(),
        Val::ExternRef(Nullable::Val(r)) => {
            let slot = r.data(store.as_context()).downcast_ref::<u32>().copied();
            let wasm = Wasm::of(ctx)?;
            let host = wasm.0.borrow();
            slot.and_then(|s| host.externrefs.get(s as usize).cloned()).unwrap_or_default()
        }
        Val::FuncRef(Nullable::Val(func)) => {
            let wasm = Wasm::of(ctx)?;
            let handle = {
                let mut host = wasm.0.borrow_mut();
                host.externs.push(wasmi::Extern::Func(*func));
                host.externs.len() - 1
            };
            make_export_function(ctx, handle as u32)?
        }
        Val::V128(_) => {
            return Err(JsNativeError::typ()
                .with_message("type incompatibility when transforming from/to JS (v128)")
                .into())
        }
    })
}

fn compile(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let bytes = bytes_arg(args, 0)?;
    let wasm = Wasm::of(ctx)?;
    let engine = wasm.0.borrow().engine.clone();
    match Module::new(&engine, &bytes) {
        Ok(module) => {
            let mut host = wasm.0.borrow_mut();
            host.modules.push(module);
            Ok(JsValue::from(host.modules.len() as u32 - 1))
        }
        Err(e) => Err(wasm_error(ctx, "CompileError", format!("WebAssembly.Module(): {e}"))),
    }
}

fn validate(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let bytes = bytes_arg(args, 0)?;
    let engine = Wasm::of(ctx)?.0.borrow().engine.clone();
    Ok(JsValue::from(Module::validate(&engine, &bytes).is_ok()))
}

fn module_of(args: &[JsValue], ctx: &mut Context) -> JsResult<Module> {
    let index = args.get_or_undefined(0).to_u32(ctx)? as usize;
    Wasm::of(ctx)?
        .0
        .borrow()
        .modules
        .get(index)
        .cloned()
        .ok_or_else(|| JsNativeError::typ().with_message("invalid WebAssembly.Module").into())
}

fn kind_of(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Table(_) => "table",
        ExternType::Memory(_) => "memory",
        ExternType::Global(_) => "global",
    }
}

fn module_imports(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let module = module_of(args, ctx)?;
    let list: Vec<_> = module
        .imports()
        .map(|i| {
            let ty = match i.ty() {
                ExternType::Global(g) => Some(type_name(&g.content())),
                _ => None,
            };
            json!({ "module": i.module(), "name": i.name(), "kind": kind_of(i.ty()), "type": ty })
        })
        .collect();
    Ok(JsString::from(serde_json::Value::Array(list).to_string()).into())
}

fn module_exports(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let module = module_of(args, ctx)?;
    let list: Vec<_> = module.exports().map(|e| json!({ "name": e.name(), "kind": kind_of(e.ty()) })).collect();
    Ok(JsString::from(serde_json::Value::Array(list).to_string()).into())
}

/// The wasm→JS half: a wasm import calling its JS function.
fn call_import(
    caller: &mut wasmi::Caller<'_, StoreData>,
    index: usize,
    params: &[Val],
    results: &mut [Val],
) -> Result<(), wasmi::Error> {
    let outcome = bridge::enter_import(caller, |ctx| -> JsResult<()> {
        let wasm = Wasm::of(ctx)?;
        let function = wasm.0.borrow().imports.get(index).cloned().unwrap_or_default();
        let args =
            store_op(ctx, |store, ctx| params.iter().map(|p| to_js(p, &store, ctx)).collect::<JsResult<Vec<_>>>())?;
        let function =
            function.as_callable().ok_or_else(|| JsNativeError::typ().with_message("import is not callable"))?;
        let returned = function.call(&JsValue::undefined(), &args, ctx)?;
        store_op(ctx, |mut store, ctx| {
            let types: Vec<ValType> = results.iter().map(Val::ty).collect();
            match types.len() {
                0 => {}
                1 => results[0] = to_wasm(&returned, &types[0], &mut store, ctx)?,
                n => {
                    let object = returned
                        .as_object()
                        .ok_or_else(|| JsNativeError::typ().with_message("multi-value import must return an array"))?;
                    for (i, ty) in types.iter().enumerate().take(n) {
                        let item = object.get(i, ctx)?;
                        results[i] = to_wasm(&item, ty, &mut store, ctx)?;
                    }
                }
            }
            // Returning into wasm: JS writes into `memory.buffer` must be visible to it.
            sync_in(&mut store, ctx)
        })
    });
    match outcome {
        None => Err(wasmi::Error::new("WebAssembly import called outside of a JS call")),
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => {
            // Park the JS exception; the export that called into wasm re-throws it unchanged.
            let message = e.to_string();
            if let Some(ctx_wasm) = CURRENT_WASM.with(|w| w.borrow().clone()) {
                ctx_wasm.0.borrow_mut().pending.push(e);
            }
            Err(wasmi::Error::new(format!("JS exception in import: {message}")))
        }
    }
}

thread_local! {
    /// The `Wasm` of the export call in progress, for parking exceptions from imports (the import
    /// closure no longer has a `Context` when the JS call failed).
    static CURRENT_WASM: RefCell<Option<Wasm>> = const { RefCell::new(None) };
}

/// Converts a failed wasm call into what JS sees.
fn call_error(e: wasmi::Error, ctx: &mut Context) -> JsError {
    if let Ok(wasm) = Wasm::of(ctx) {
        if let Some(pending) = wasm.0.borrow_mut().pending.pop() {
            return pending;
        }
        if e.as_trap_code() == Some(TrapCode::OutOfFuel) {
            wasm.0.borrow_mut().out_of_fuel = true;
            return uncatchable();
        }
    }
    wasm_error(ctx, "RuntimeError", e.to_string())
}

/// Runs `run` (which calls into wasm) with fuel accounting on the outermost call.
fn with_fuel<R>(
    store: &mut StoreContextMut<'_, StoreData>,
    ctx: &mut Context,
    run: impl FnOnce(&mut StoreContextMut<'_, StoreData>) -> R,
) -> R {
    let outermost = bridge::depth() == 0;
    let wasm = Wasm::of(ctx).ok();
    let limit = wasm.as_ref().map_or(u64::MAX, |w| w.0.borrow().fuel_limit);
    if outermost {
        let _ = store.set_fuel(limit);
        CURRENT_WASM.with(|w| *w.borrow_mut() = wasm.clone());
    }
    let result = run(store);
    if outermost {
        CURRENT_WASM.with(|w| *w.borrow_mut() = None);
        let used = limit.saturating_sub(store.get_fuel().unwrap_or(0));
        if let Ok(host) = Host::of(ctx) {
            host.0.borrow_mut().wasm_fuel += used;
        }
    }
    result
}

fn instantiate(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let module = module_of(args, ctx)?;
    let resolved = args
        .get_or_undefined(1)
        .as_object()
        .ok_or_else(|| JsNativeError::typ().with_message("imports must be an array"))?;
    let wasm = Wasm::of(ctx)?;
    let exports = store_op(ctx, |mut store, ctx| {
        let mut externs = Vec::new();
        for (i, import) in module.imports().enumerate() {
            let value = resolved.get(i, ctx)?;
            let ext = match import.ty() {
                ExternType::Func(ty) => {
                    let index = {
                        let mut host = wasm.0.borrow_mut();
                        host.imports.push(value);
                        host.imports.len() - 1
                    };
                    let ty: FuncType = ty.clone();
                    wasmi::Extern::Func(Func::new(&mut store, ty, move |mut caller, params, results| {
                        call_import(&mut caller, index, params, results)
                    }))
                }
                _ => wasm.get_extern(&value, ctx)?,
            };
            externs.push(ext);
        }
        sync_in(&mut store, ctx)?;
        let instance = with_fuel(&mut store, ctx, |store| wasmi::Instance::new(&mut *store, &module, &externs));
        let instance = match instance {
            Ok(instance) => instance,
            Err(e) if e.as_trap_code().is_some() || !wasm.0.borrow().pending.is_empty() => {
                return Err(call_error(e, ctx))
            }
            Err(e) => return Err(wasm_error(ctx, "LinkError", format!("WebAssembly.Instance(): {e}"))),
        };
        let list: Vec<(String, wasmi::Extern)> =
            instance.exports(&store).map(|e| (e.name().to_string(), e.into_extern())).collect();
        Ok(list)
    })?;
    let mut rows = Vec::new();
    for (name, ext) in exports {
        let kind = match &ext {
            wasmi::Extern::Func(_) => "function",
            wasmi::Extern::Table(_) => "table",
            wasmi::Extern::Memory(_) => "memory",
            wasmi::Extern::Global(_) => "global",
        };
        let handle = {
            let mut host = wasm.0.borrow_mut();
            host.externs.push(ext);
            host.externs.len() - 1
        };
        let row = JsArray::from_iter(
            [JsString::from(name).into(), JsString::from(kind).into(), JsValue::from(handle as u32)],
            ctx,
        );
        rows.push(JsValue::from(row));
    }
    Ok(JsArray::from_iter(rows, ctx).into())
}

fn export_function(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let handle = args.get_or_undefined(0).to_u32(ctx)?;
    make_export_function(ctx, handle)
}

fn make_export_function(ctx: &mut Context, handle: u32) -> JsResult<JsValue> {
    let wasm = Wasm::of(ctx)?;
    let (length, name) = {
        let host = wasm.0.borrow();
        let Some(wasmi::Extern::Func(func)) = host.externs.get(handle as usize) else {
            return Err(JsNativeError::typ().with_message("not a WebAssembly function").into());
        };
        let length = host.store.as_ref().map_or(0, |s| func.ty(s).params().len());
        (length, handle.to_string())
    };
    let function = NativeFunction::from_copy_closure_with_captures(call_export, handle);
    let function = FunctionObjectBuilder::new(ctx.realm(), function).name(JsString::from(name)).length(length).build();
    Ok(function.into())
}

/// The JS→wasm half: JS calling an exported function.
fn call_export(_: &JsValue, args: &[JsValue], handle: &u32, ctx: &mut Context) -> JsResult<JsValue> {
    Host::of(ctx)?.check_limits()?;
    let wasm = Wasm::of(ctx)?;
    let Some(wasmi::Extern::Func(func)) = wasm.0.borrow().externs.get(*handle as usize).cloned() else {
        return Err(JsNativeError::typ().with_message("not a WebAssembly function").into());
    };
    store_op(ctx, |mut store, ctx| {
        let ty = func.ty(&store);
        let params = ty
            .params()
            .iter()
            .enumerate()
            .map(|(i, t)| to_wasm(args.get_or_undefined(i), t, &mut store, ctx))
            .collect::<JsResult<Vec<_>>>()?;
        sync_in(&mut store, ctx)?;
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for_ty(*t)).collect();
        let called = with_fuel(&mut store, ctx, |store| func.call(&mut *store, &params, &mut results));
        if let Err(e) = called {
            return Err(call_error(e, ctx));
        }
        match results.len() {
            0 => Ok(JsValue::undefined()),
            1 => to_js(&results[0], &store, ctx),
            _ => {
                let values = results.iter().map(|r| to_js(r, &store, ctx)).collect::<JsResult<Vec<_>>>()?;
                Ok(JsArray::from_iter(values, ctx).into())
            }
        }
    })
}

fn push_extern(ctx: &mut Context, ext: wasmi::Extern) -> JsResult<JsValue> {
    let wasm = Wasm::of(ctx)?;
    let mut host = wasm.0.borrow_mut();
    host.externs.push(ext);
    Ok(JsValue::from(host.externs.len() as u32 - 1))
}

fn optional_max(value: &JsValue, ctx: &mut Context) -> JsResult<Option<u32>> {
    let n = value.to_number(ctx)?;
    Ok(if n < 0.0 { None } else { Some(n as u32) })
}

fn memory_new(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let initial = args.get_or_undefined(0).to_u32(ctx)?;
    let maximum = optional_max(args.get_or_undefined(1), ctx)?;
    let memory = store_op(ctx, |store, _| {
        Memory::new(store, MemoryType::new(initial, maximum))
            .map_err(|e| JsNativeError::range().with_message(format!("WebAssembly.Memory(): {e}")).into())
    })?;
    push_extern(ctx, wasmi::Extern::Memory(memory))
}

fn memory_of(wasm: &Wasm, args: &[JsValue], ctx: &mut Context) -> JsResult<Memory> {
    match wasm.get_extern(args.get_or_undefined(0), ctx)? {
        wasmi::Extern::Memory(memory) => Ok(memory),
        _ => Err(JsNativeError::typ().with_message("not a WebAssembly.Memory").into()),
    }
}

/// `memory.buffer`: the current copy, or a fresh one of linear memory.
fn memory_buffer(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let wasm = Wasm::of(ctx)?;
    let memory = memory_of(&wasm, args, ctx)?;
    // Several handles can name one memory (exported and imported): compare base pointers.
    let found = store_op(ctx, |store, ctx| {
        let wasm = Wasm::of(ctx)?;
        let host = wasm.0.borrow();
        let base = memory.data_ptr(&store);
        let existing =
            host.views.iter().find(|(m, b)| m.data_ptr(&store) == base && b.data().is_some()).map(|(_, b)| b.clone());
        Ok(match existing {
            Some(buffer) => Err(buffer),
            None => Ok(AlignedVec::from_slice(0, memory.data(&store))),
        })
    })?;
    let bytes = match found {
        Err(buffer) => return Ok(buffer.into()),
        Ok(bytes) => bytes,
    };
    let buffer = JsArrayBuffer::from_byte_block(bytes, ctx)?;
    wasm.0.borrow_mut().views.push((memory, buffer.clone()));
    Ok(buffer.into())
}

fn memory_grow(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let wasm = Wasm::of(ctx)?;
    let memory = memory_of(&wasm, args, ctx)?;
    let delta = args.get_or_undefined(1).to_u32(ctx)?;
    store_op(ctx, |mut store, ctx| {
        // Growing detaches the old buffer, as in JS engines.
        sync_in(&mut store, ctx)?;
        memory
            .grow(&mut store, u64::from(delta))
            .map(|old| JsValue::from(old as f64))
            .map_err(|e| JsNativeError::range().with_message(format!("WebAssembly.Memory.grow(): {e}")).into())
    })
}

fn table_of(wasm: &Wasm, args: &[JsValue], ctx: &mut Context) -> JsResult<Table> {
    match wasm.get_extern(args.get_or_undefined(0), ctx)? {
        wasmi::Extern::Table(table) => Ok(table),
        _ => Err(JsNativeError::typ().with_message("not a WebAssembly.Table").into()),
    }
}

fn to_ref(
    value: &JsValue,
    element: RefType,
    store: &mut StoreContextMut<'_, StoreData>,
    ctx: &mut Context,
) -> JsResult<Ref> {
    if value.is_undefined() && element == RefType::Func {
        return Ok(Ref::Func(Nullable::Null));
    }
    let ty = match element {
        RefType::Func => ValType::FuncRef,
        RefType::Extern => ValType::ExternRef,
    };
    match to_wasm(value, &ty, store, ctx)? {
        Val::ExternRef(r) => Ok(Ref::Extern(r)),
        Val::FuncRef(r) => Ok(Ref::Func(r)),
        _ => Err(JsNativeError::typ().with_message("invalid reference").into()),
    }
}

fn from_ref(value: Ref, store: &StoreContextMut<'_, StoreData>, ctx: &mut Context) -> JsResult<JsValue> {
    let val = match value {
        Ref::Func(f) => Val::FuncRef(f),
        Ref::Extern(e) => Val::ExternRef(e),
    };
    to_js(&val, store, ctx)
}

fn table_new(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let element = if super::arg_string(args, 0, ctx)? == "funcref" { RefType::Func } else { RefType::Extern };
    let initial = args.get_or_undefined(1).to_u32(ctx)?;
    let maximum = optional_max(args.get_or_undefined(2), ctx)?;
    let init = args.get_or_undefined(3).clone();
    let table = store_op(ctx, |mut store, ctx| {
        let init = if init.is_undefined() && element == RefType::Extern {
            Ref::Extern(Nullable::Null)
        } else {
            to_ref(&init, element, &mut store, ctx)?
        };
        Table::new(store, TableType::new(element, initial, maximum), init)
            .map_err(|e| JsNativeError::range().with_message(format!("WebAssembly.Table(): {e}")).into())
    })?;
    push_extern(ctx, wasmi::Extern::Table(table))
}

fn table_size(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let table = table_of(&Wasm::of(ctx)?, args, ctx)?;
    store_op(ctx, |store, _| Ok(JsValue::from(table.size(&store) as f64)))
}

fn table_get(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let table = table_of(&Wasm::of(ctx)?, args, ctx)?;
    let index = args.get_or_undefined(1).to_u32(ctx)?;
    store_op(ctx, |store, ctx| match table.get(&store, u64::from(index)) {
        Some(value) => from_ref(value, &store, ctx),
        None => {
            Err(JsNativeError::range().with_message(format!("WebAssembly.Table.get(): invalid address {index}")).into())
        }
    })
}

fn table_set(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let table = table_of(&Wasm::of(ctx)?, args, ctx)?;
    let index = args.get_or_undefined(1).to_u32(ctx)?;
    let value = args.get_or_undefined(2).clone();
    store_op(ctx, |mut store, ctx| {
        let element = table.ty(&store).element();
        let value = to_ref(&value, element, &mut store, ctx)?;
        table.set(&mut store, u64::from(index), value).map(|()| JsValue::undefined()).map_err(|_| {
            JsNativeError::range().with_message(format!("WebAssembly.Table.set(): invalid address {index}")).into()
        })
    })
}

fn table_grow(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let table = table_of(&Wasm::of(ctx)?, args, ctx)?;
    let delta = args.get_or_undefined(1).to_u32(ctx)?;
    let value = args.get_or_undefined(2).clone();
    store_op(ctx, |mut store, ctx| {
        let element = table.ty(&store).element();
        let init = if value.is_undefined() && element == RefType::Extern {
            Ref::Extern(Nullable::Null)
        } else {
            to_ref(&value, element, &mut store, ctx)?
        };
        table
            .grow(&mut store, u64::from(delta), init)
            .map(|old| JsValue::from(old as f64))
            .map_err(|e| JsNativeError::range().with_message(format!("WebAssembly.Table.grow(): {e}")).into())
    })
}

fn global_of(wasm: &Wasm, args: &[JsValue], ctx: &mut Context) -> JsResult<Global> {
    match wasm.get_extern(args.get_or_undefined(0), ctx)? {
        wasmi::Extern::Global(global) => Ok(global),
        _ => Err(JsNativeError::typ().with_message("not a WebAssembly.Global").into()),
    }
}

fn global_new(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let ty = parse_type(&super::arg_string(args, 0, ctx)?)?;
    let mutability = if args.get_or_undefined(1).to_boolean() { Mutability::Var } else { Mutability::Const };
    let value = args.get_or_undefined(2).clone();
    let global = store_op(ctx, |mut store, ctx| {
        let value = if value.is_undefined() { Val::default_for_ty(ty) } else { to_wasm(&value, &ty, &mut store, ctx)? };
        Ok(Global::new(store, value, mutability))
    })?;
    push_extern(ctx, wasmi::Extern::Global(global))
}

fn global_get(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let global = global_of(&Wasm::of(ctx)?, args, ctx)?;
    store_op(ctx, |store, ctx| {
        let value = global.get(&store);
        to_js(&value, &store, ctx)
    })
}

fn global_set(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let global = global_of(&Wasm::of(ctx)?, args, ctx)?;
    let value = args.get_or_undefined(1).clone();
    store_op(ctx, |mut store, ctx| {
        let ty = global.ty(&store).content();
        let value = to_wasm(&value, &ty, &mut store, ctx)?;
        global.set(&mut store, value).map(|()| JsValue::undefined()).map_err(|_| {
            JsNativeError::typ().with_message("WebAssembly.Global.value: can't set value of immutable global").into()
        })
    })
}
