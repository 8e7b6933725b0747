use base64::Engine as _;
use harness::{Action, ErrorKind, Fixture, Harness, Limits, Outcome};
use serde_json::{json, Value};

/// Runs `body` as the handler of an Action in which `bytes` holds the module compiled from `wat`.
fn run(wat: &str, body: &str) -> Outcome {
    run_with(Limits::default(), wat, body)
}

fn run_with(limits: Limits, wat: &str, body: &str) -> Outcome {
    let wasm = wat::parse_str(wat).expect("valid WAT");
    let b64 = base64::engine::general_purpose::STANDARD.encode(wasm);
    let source = format!(
        "const bytes = Buffer.from('{b64}', 'base64');\nconst r = (v) => api_.idToken.setCustomClaim('r', v);\nlet api_;\nexports.onExecutePostLogin = async (event, api) => {{\n  api_ = api;\n{body}\n}};"
    );
    Harness::with_limits(limits)
        .run(&Action::from_source("wasm", source), &Fixture::parse(r#"{"user": {"user_id": "u"}}"#).expect("fixture"))
        .expect("run")
}

/// The value the Action reported with `r(...)`, failing with its error otherwise.
fn result(outcome: &Outcome) -> Value {
    if let Some(error) = &outcome.error {
        panic!("action failed: {error:?}\nlogs: {:?}", outcome.logs);
    }
    outcome.id_token.claims.get("r").cloned().unwrap_or(Value::Null)
}

const ARITH: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
  (func (export "half") (param f64) (result f64) local.get 0 f64.const 2 f64.div)
  (func (export "pair") (param i32) (result i32 i32) local.get 0 local.get 0 i32.const 1 i32.add)
  (func (export "boom") unreachable)
  (global (export "answer") (mut i32) (i32.const 42)))"#;

#[test]
fn numbers_bigints_and_multi_value() {
    let outcome = run(
        ARITH,
        "const { exports: e } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});\n\
         r([e.add(2, 40), String(e.add64(2n ** 40n, 1n)), e.half(5), e.pair(7), e.add(0xffffffff, 1), typeof e.add64(1n, 1n)]);",
    );
    assert_eq!(result(&outcome), json!([42, "1099511627777", 2.5, [7, 8], 0, "bigint"]));
}

#[test]
fn globals_and_errors() {
    let outcome = run(
        ARITH,
        "const { instance, module } = await WebAssembly.instantiate(bytes, {});\n\
         const out = [instance.exports.answer.value, module instanceof WebAssembly.Module];\n\
         instance.exports.answer.value = 7;\n\
         out.push(instance.exports.answer.value);\n\
         try { instance.exports.boom(); } catch (e) { out.push(e instanceof WebAssembly.RuntimeError, e.name); }\n\
         try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9])); } catch (e) { out.push(e instanceof WebAssembly.CompileError); }\n\
         out.push(WebAssembly.validate(bytes), WebAssembly.validate(new Uint8Array([1, 2, 3])));\n\
         // wasmi lists exports by name, Node in declaration order: compare as a set.\n\
         out.push(WebAssembly.Module.exports(module).map((x) => x.name + ':' + x.kind).sort().join(','));\n\
         r(out);",
    );
    assert_eq!(
        result(&outcome),
        json!([
            42,
            true,
            7,
            true,
            "RuntimeError",
            true,
            true,
            false,
            "add64:function,add:function,answer:global,boom:function,half:function,pair:function"
        ])
    );
}

const MEMORY: &str = r#"(module
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "double" (func $double (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  ;; A bump allocator, like __wbindgen_malloc.
  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $ptr i32)
    global.get $next local.set $ptr
    global.get $next local.get $size i32.add global.set $next
    local.get $ptr)
  ;; Sums `len` bytes at `ptr`.
  (func (export "sum") (param $ptr i32) (param $len i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      local.get $len i32.eqz br_if $done
      local.get $acc local.get $ptr i32.load8_u i32.add local.set $acc
      local.get $ptr i32.const 1 i32.add local.set $ptr
      local.get $len i32.const 1 i32.sub local.set $len
      br $next))
    local.get $acc)
  ;; Writes "hi" at 16 and asks JS to log it.
  (func (export "greet")
    i32.const 16 i32.const 104 i32.store8
    i32.const 17 i32.const 105 i32.store8
    i32.const 16 i32.const 2 call $log)
  (func (export "viaImport") (param i32) (result i32) local.get 0 call $double i32.const 1 i32.add)
  (func (export "grow") (result i32) i32.const 1 memory.grow))"#;

#[test]
fn memory_is_copied_lazily_and_detached_after_calls() {
    let outcome = run(
        MEMORY,
        "let instance;\n\
         const out = [];\n\
         const imports = { env: {\n\
           log: (ptr, len) => out.push(new TextDecoder().decode(new Uint8Array(instance.exports.memory.buffer, ptr, len))),\n\
           // Re-entrant: calls back into wasm (malloc) and writes memory before returning.\n\
           double: (x) => { const p = instance.exports.malloc(4); new DataView(instance.exports.memory.buffer).setInt32(p, x * 2, true); return new DataView(instance.exports.memory.buffer).getInt32(p, true); },\n\
         } };\n\
         instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);\n\
         const e = instance.exports;\n\
         const before = e.memory.buffer;\n\
         const ptr = e.malloc(3);\n\
         out.push(before.byteLength);\n\
         const view = new Uint8Array(e.memory.buffer);\n\
         view.set([1, 2, 250], ptr);\n\
         out.push(e.sum(ptr, 3));\n\
         out.push(view.byteLength, e.memory.buffer === e.memory.buffer);\n\
         e.greet();\n\
         out.push(e.viaImport(20));\n\
         out.push(e.grow(), e.memory.buffer.byteLength, e.memory.grow(1), e.memory.buffer.byteLength);\n\
         r(out);",
    );
    // A buffer taken before a call is detached by the call; writes made in JS, also from
    // inside an import, are visible to wasm; growth shows in the next buffer.
    assert_eq!(result(&outcome), json!([0, 253, 0, true, "hi", 41, 1, 131072, 2, 196608]));
}

#[test]
fn exceptions_from_imports_cross_wasm_unchanged() {
    let outcome = run(
        MEMORY,
        "class Custom extends Error {}\n\
         const thrown = new Custom('from import');\n\
         const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { log: () => { throw thrown; }, double: (x) => x } }).exports;\n\
         let same;\n\
         try { e.greet(); } catch (err) { same = err === thrown; }\n\
         r([same, e.viaImport(1)]);",
    );
    assert_eq!(result(&outcome), json!([true, 2]));
}

#[test]
fn link_errors_name_the_import() {
    let outcome = run(MEMORY, "try { new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: {} }); } catch (e) { r([e.name, e.message]); }");
    assert_eq!(
        result(&outcome),
        json!(["LinkError", "WebAssembly.Instance(): Import #0 \"env\" \"log\": function import requires a callable"])
    );
}

/// The shape of wasm-bindgen's reference-types glue: an exported externref table filled by the
/// `__wbindgen_init_externref_table` import during `__wbindgen_start`, and JS values passed
/// through wasm as externref. Untouched slots of a module-defined table hold `ref.null extern`,
/// which JS sees as `null`.
const EXTERNREF: &str = r#"(module
  (import "./x_bg.js" "__wbindgen_init_externref_table" (func $init))
  (table $refs (export "__wbindgen_externrefs") 128 externref)
  (func (export "__wbindgen_start") call $init)
  (func (export "identity") (param externref) (result externref) local.get 0)
  (func (export "stash") (param i32 externref) local.get 0 local.get 1 table.set $refs)
  (func (export "fetch") (param i32) (result externref) local.get 0 table.get $refs)
  (func (export "isNull") (param externref) (result i32) local.get 0 ref.is_null))"#;

#[test]
fn externref_tables_and_values() {
    let outcome = run(
        EXTERNREF,
        "let wasm;\n\
         const imports = { './x_bg.js': { __wbindgen_init_externref_table: () => {\n\
           const table = wasm.__wbindgen_externrefs;\n\
           const offset = table.grow(4);\n\
           table.set(0, undefined); table.set(offset + 0, undefined); table.set(offset + 1, null); table.set(offset + 2, true); table.set(offset + 3, false);\n\
         } } };\n\
         wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;\n\
         wasm.__wbindgen_start();\n\
         const obj = { a: 1 };\n\
         wasm.stash(5, obj);\n\
         const t = wasm.__wbindgen_externrefs;\n\
         r([t.length, t.get(129), t.get(130), t.get(131), wasm.identity(obj) === obj, wasm.fetch(5) === obj, wasm.isNull(null), wasm.isNull(undefined), typeof t.get(1)]);",
    );
    assert_eq!(result(&outcome), json!([132, null, true, false, true, true, 1, 0, "object"]));
}

#[test]
fn runaway_wasm_is_stopped_by_fuel_and_fuel_is_reported() {
    let spin = r#"(module (func (export "spin") (loop $l br $l)) (func (export "one") (result i32) i32.const 1))"#;
    // Little fuel and a time budget no machine reaches first: the verdict must be the fuel's,
    // however busy the machine is.
    let limits = Limits { wasm_fuel: 20_000_000, ..crate::util::machine_independent() };
    let outcome = run_with(limits, spin, "const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;\ntry { e.spin(); } catch (err) { r('caught'); }");
    let error = outcome.error.as_ref().expect("limit");
    assert_eq!(error.kind, ErrorKind::Limit);
    assert!(error.message.contains("WebAssembly ran out of fuel"), "{}", error.message);

    let ok = run(spin, "const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;\nr(e.one());");
    assert_eq!(result(&ok), json!(1));
    assert!(ok.stats.wasm_fuel > 0);
}

#[test]
fn nested_import_exceptions_are_catchable_at_each_level() {
    // greet → log (JS) → viaImport (wasm) → double (JS) throws; the outer import catches it.
    let outcome = run(
        MEMORY,
        "let e;\n\
         const seen = [];\n\
         const imports = { env: {\n\
           log: () => { try { e.viaImport(1); } catch (err) { seen.push('inner: ' + err.message); } },\n\
           double: () => { throw new RangeError('nested'); },\n\
         } };\n\
         e = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;\n\
         e.greet();\n\
         let outer;\n\
         try { e.viaImport(2); } catch (err) { outer = err.name; }\n\
         r([seen, outer, e.sum(0, 0)]);",
    );
    assert_eq!(result(&outcome), json!([["inner: nested"], "RangeError", 0]));
}

#[test]
fn memory_growth_is_bounded_by_the_limit() {
    let limits = harness::Limits { wasm_memory_bytes: 2 * 65536, ..harness::Limits::default() };
    let wasm = wat::parse_str(MEMORY).expect("valid WAT");
    let b64 = base64::engine::general_purpose::STANDARD.encode(wasm);
    let source = format!(
        "exports.onExecutePostLogin = async (event, api) => {{\n\
           const e = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from('{b64}', 'base64')), {{ env: {{ log() {{}}, double: (x) => x }} }}).exports;\n\
           const out = [e.grow(), e.grow()];\n\
           try {{ e.memory.grow(1); }} catch (err) {{ out.push(err.name); }}\n\
           out.push(e.memory.buffer.byteLength);\n\
           api.idToken.setCustomClaim('r', out);\n\
         }};"
    );
    let outcome = Harness::with_limits(limits)
        .run(&Action::from_source("grow", source), &Fixture::parse("{}").expect("fixture"))
        .expect("run");
    // The first growth reaches the limit (2 pages); wasm then sees -1, JS a RangeError.
    assert_eq!(result(&outcome), json!([1, -1, "RangeError", 131072]));
}
