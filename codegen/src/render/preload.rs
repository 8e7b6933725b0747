//! Pre-loading: the compiled policy decoded into the engine's memory at build time.
//!
//! Without it, every new Action instance in Auth0 decodes the policy IR (`load`) on its first
//! Express Configure login, and ships and compiles the decoder to do so. Instead `actionkit
//! build` runs the engine's own `load` once, in an interpreter (wasmi), and writes the resulting
//! linear memory and globals back into the module as its initial state, the way Wizer
//! pre-initialises modules. The `load` export is then removed and every function only it
//! reached (the IR decoder) is dropped. The Action instantiates a module that already holds the
//! decoded policy; what it decides with is what `load` produced, byte for byte.
//!
//! The engine is single-threaded and keeps the policy in a static, with the allocator's state
//! (`action-core/src/arena.rs`) in linear memory too, so memory plus mutable globals is the whole
//! state. The one host import (wasm-bindgen's externref table set-up) is never called here; the
//! Action's glue calls `__wbindgen_start` as before.

use walrus::{ConstExpr, DataKind, ExportItem, GlobalKind, ModuleConfig};
use wasmi::{Engine, Linker, Module, Store, Val};

/// Why the policy could not be pre-loaded into the engine.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PreloadError {
    /// The engine module could not be read or rewritten.
    #[error("the decision engine's WASM could not be processed: {0}")]
    #[diagnostic(code("render::engine"), help("this is a bug in actionkit: please report it"))]
    Module(String),
    /// The engine refused the compiled policy.
    #[error("the decision engine refused the compiled policy: {0}")]
    #[diagnostic(code("render::policy-load"), help("this is a bug in actionkit: please report it with the policy"))]
    Rejected(String),
}

fn module_error(e: impl std::fmt::Display) -> PreloadError {
    PreloadError::Module(e.to_string())
}

/// Prefix of the exports added so the interpreter can read the module's private globals.
const GLOBAL_EXPORT: &str = "__actionkit_preload_global_";
/// Zero runs shorter than this stay inside a data segment (a segment header costs ~5 bytes).
const MIN_ZERO_GAP: usize = 32;

/// The engine module with `policy_ir` already loaded and the loader removed.
///
/// # Errors
///
/// [`PreloadError`] when the module cannot be processed or `load` answers with an error.
pub fn preload(engine_wasm: &[u8], policy_ir: &[u8]) -> Result<Vec<u8>, PreloadError> {
    let (mut memory, pages, globals) = run_load(engine_wasm, policy_ir)?;
    let mut module = parse(engine_wasm)?;
    clear_dead_stack(&module, &globals, &mut memory);

    for (index, value) in globals {
        let id =
            module.globals.iter().nth(index).map(|g| g.id()).ok_or_else(|| module_error("a global disappeared"))?;
        module.globals.get_mut(id).kind = GlobalKind::Local(ConstExpr::Value(value));
    }

    let memory_id = module.memories.iter().next().map(|m| m.id()).ok_or_else(|| module_error("no memory"))?;
    let old: Vec<_> = module.data.iter().map(|d| d.id()).collect();
    for id in old {
        module.data.delete(id);
    }
    let memory_entry = module.memories.get_mut(memory_id);
    memory_entry.data_segments.clear();
    memory_entry.initial = pages;
    for (offset, bytes) in non_zero_runs(&memory) {
        let offset = i32::try_from(offset).map_err(module_error)?;
        let id = module.data.add(
            DataKind::Active { memory: memory_id, offset: ConstExpr::Value(walrus::ir::Value::I32(offset)) },
            bytes.to_vec(),
        );
        module.memories.get_mut(memory_id).data_segments.insert(id);
    }

    module.exports.remove("load").map_err(module_error)?;
    walrus::passes::gc::run(&mut module);
    Ok(module.emit_wasm())
}

/// Zeroes the shadow stack `load` left behind, which would otherwise ship as data. The engine is
/// linked stack-first (rustc's layout for wasm32; build/engine.rs sets its size): the stack
/// occupies `[0, initial stack pointer)` below every data segment, and wasm-ld makes the stack
/// pointer the module's first global. Once `load` has returned the pointer is back at its
/// initial value, so everything below it is dead. When the module does not look like that, the
/// memory is left as it is (correct, only larger).
fn clear_dead_stack(module: &walrus::Module, globals: &[(usize, walrus::ir::Value)], memory: &mut [u8]) {
    let Some(first) = module.globals.iter().next() else { return };
    let initial = match first.kind {
        GlobalKind::Local(ConstExpr::Value(walrus::ir::Value::I32(v))) if first.mutable => v,
        _ => return,
    };
    if !matches!(globals.first(), Some((0, walrus::ir::Value::I32(after))) if *after == initial) {
        return;
    }
    let lowest_data = module
        .data
        .iter()
        .map(|d| match &d.kind {
            DataKind::Active { offset: ConstExpr::Value(walrus::ir::Value::I32(o)), .. } => i64::from(*o),
            _ => -1,
        })
        .min()
        .unwrap_or(i64::MAX);
    let Ok(stack_top) = usize::try_from(initial) else { return };
    if (stack_top as i64) <= lowest_data && stack_top <= memory.len() {
        memory[..stack_top].fill(0);
    }
}

fn parse(wasm: &[u8]) -> Result<walrus::Module, PreloadError> {
    let mut config = ModuleConfig::new();
    config.generate_name_section(false).generate_producers_section(false);
    config.parse(wasm).map_err(module_error)
}

/// Runs `load(policy_ir)` on a fresh instance: its memory, page count and the values of the
/// module's own mutable globals (by index among all globals) afterwards.
#[allow(clippy::type_complexity)]
fn run_load(
    engine_wasm: &[u8],
    policy_ir: &[u8],
) -> Result<(Vec<u8>, u64, Vec<(usize, walrus::ir::Value)>), PreloadError> {
    // Export every mutable global the module defines, so its value after `load` can be read.
    let mut instrumented = parse(engine_wasm)?;
    let mutable: Vec<(usize, walrus::GlobalId)> = instrumented
        .globals
        .iter()
        .enumerate()
        .filter(|(_, g)| g.mutable && matches!(g.kind, GlobalKind::Local(_)))
        .map(|(i, g)| (i, g.id()))
        .collect();
    for &(index, id) in &mutable {
        instrumented.exports.add(&format!("{GLOBAL_EXPORT}{index}"), ExportItem::Global(id));
    }
    let instrumented = instrumented.emit_wasm();

    let engine = Engine::default();
    let module = Module::new(&engine, &instrumented).map_err(module_error)?;
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::<()>::new(&engine);
    for import in module.imports() {
        let wasmi::ExternType::Func(ty) = import.ty() else {
            return Err(module_error(format!("unexpected non-function import {}", import.name())));
        };
        let name = import.name().to_string();
        linker
            .func_new(import.module(), import.name(), ty.clone(), move |_, _, _| {
                Err(wasmi::Error::new(format!("the engine called its import `{name}` while loading the policy")))
            })
            .map_err(module_error)?;
    }
    let instance = linker.instantiate_and_start(&mut store, &module).map_err(module_error)?;
    let malloc = instance.get_typed_func::<(i32, i32), i32>(&store, "__wbindgen_malloc").map_err(module_error)?;
    let free = instance.get_typed_func::<(i32, i32, i32), ()>(&store, "__wbindgen_free").map_err(module_error)?;
    let load = instance.get_typed_func::<(i32, i32), (i32, i32)>(&store, "load").map_err(module_error)?;
    let memory = instance.get_memory(&store, "memory").ok_or_else(|| module_error("no exported memory"))?;

    let len = i32::try_from(policy_ir.len()).map_err(module_error)?;
    let input = malloc.call(&mut store, (len, 1)).map_err(module_error)?;
    memory.write(&mut store, input as u32 as usize, policy_ir).map_err(module_error)?;
    let (answer_ptr, answer_len) = load.call(&mut store, (input, len)).map_err(module_error)?;
    let mut answer = vec![0; answer_len as u32 as usize];
    memory.read(&store, answer_ptr as u32 as usize, &mut answer).map_err(module_error)?;
    free.call(&mut store, (answer_ptr, answer_len, 1)).map_err(module_error)?;
    let answer: serde_json::Value = serde_json::from_slice(&answer).map_err(module_error)?;
    if answer["ok"] != true {
        return Err(PreloadError::Rejected(answer["error"].as_str().unwrap_or("no reason given").to_string()));
    }
    // The IR text and the answer are dead now (the decoded policy owns all it holds and the
    // engine never hands out memory below its arena's mark again): zeroed, they do not ship as
    // data (the IR text is the larger part, about as long as the policy's IR).
    for (ptr, len) in [(input, len), (answer_ptr, answer_len)] {
        let (start, len) = (ptr as u32 as usize, len as u32 as usize);
        memory
            .data_mut(&mut store)
            .get_mut(start..start + len)
            .ok_or_else(|| module_error("a buffer outside memory"))?
            .fill(0);
    }

    let mut globals = Vec::with_capacity(mutable.len());
    for (index, _) in mutable {
        let global = instance
            .get_global(&store, &format!("{GLOBAL_EXPORT}{index}"))
            .ok_or_else(|| module_error("an instrumented global is missing"))?;
        let value = match global.get(&store) {
            Val::I32(v) => walrus::ir::Value::I32(v),
            Val::I64(v) => walrus::ir::Value::I64(v),
            other => return Err(module_error(format!("unexpected global value {other:?}"))),
        };
        globals.push((index, value));
    }
    Ok((memory.data(&store).to_vec(), memory.size(&store), globals))
}

/// The parts of `memory` worth a data segment: non-zero bytes, with short zero gaps kept inside.
fn non_zero_runs(memory: &[u8]) -> Vec<(usize, &[u8])> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < memory.len() {
        if memory[i] == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut zeros = 0;
        i += 1;
        while i < memory.len() && zeros < MIN_ZERO_GAP {
            if memory[i] == 0 {
                zeros += 1;
            } else {
                zeros = 0;
                end = i + 1;
            }
            i += 1;
        }
        runs.push((start, &memory[start..end]));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::non_zero_runs;

    #[test]
    fn zero_gaps_split_segments_only_when_long() {
        let mut memory = vec![0u8; 200];
        memory[3] = 1;
        memory[10] = 2;
        memory[100] = 3;
        let runs = non_zero_runs(&memory);
        assert_eq!(runs, vec![(3, &memory[3..11]), (100, &memory[100..101])]);
    }
}
