
/**
 * Decides for one (pruned) event given as JSON text.
 * @param {Uint8Array | number[]} event
 * @returns {Uint8Array}
 */
function decide(event) {
const ptr0 = passArray8ToWasm0(event, wasm.__wbindgen_malloc);
const len0 = WASM_VECTOR_LEN;
const ret = wasm.decide(ptr0, len0);
var v2 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
return v2;
}
exports.decide = decide;

/**
 * Decodes and keeps the compiled policy for the following `decide` calls.
 * @param {Uint8Array | number[]} policy_ir
 * @returns {Uint8Array}
 */
function load(policy_ir) {
const ptr0 = passArray8ToWasm0(policy_ir, wasm.__wbindgen_malloc);
const len0 = WASM_VECTOR_LEN;
const ret = wasm.load(ptr0, len0);
var v2 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
return v2;
}
exports.load = load;
function __wbg_get_imports() {
            const import0 = {
            __proto__: null,
        __wbindgen_init_externref_table: function() {
const table = wasm.__wbindgen_externrefs;
table.set(0, undefined);
table.set(1024, undefined);
table.set(1025, null);
table.set(1026, true);
table.set(1027, false);
},
};
        return {
            __proto__: null,
            "./action_core_bg.js": import0,
        };
}

function getArrayU8FromWasm0(ptr, len) {
                    ptr = ptr >>> 0;
                    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
                }

let cachedUint8ArrayMemory0 = null;
                function getUint8ArrayMemory0() {
                    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
                        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
                    }
                    return cachedUint8ArrayMemory0;
                }

function passArray8ToWasm0(arg, malloc) {
                    const ptr = malloc(arg.length * 1, 1) >>> 0;
                    getUint8ArrayMemory0().set(arg, ptr / 1);
                    WASM_VECTOR_LEN = arg.length;
                    return ptr;
                }

let WASM_VECTOR_LEN = 0;

const wasmPath = `${__dirname}/action_core_bg.wasm`;
            const wasmBytes = require('fs').readFileSync(wasmPath);
            const wasmModule = new WebAssembly.Module(wasmBytes);
            let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
            let wasm = wasmInstance.exports;
            wasm.__wbindgen_start();
