#!/usr/bin/env node
// Where a generated Action's cold start goes, without changing the Action: loads it as Auth0 does
// and times, on its first call, `require('zlib')`, the brotli decoding, `new WebAssembly.Module`,
// `new WebAssembly.Instance`, the engine's first `decide` (including V8's lazy compilation of the
// WASM functions it runs; the policy is pre-loaded at build time) and the rest of the wrapper.
// Prints one JSON line of milliseconds. Usage: node cold-phases.js EVENT.json ACTION.js
'use strict';
const fs = require('fs');
const vm = require('vm');
const { performance } = require('perf_hooks');

const spent = { require_zlib: 0, brotli: 0, compile: 0, instantiate: 0, first_decide: 0 };
function timed(phase, f) {
  return function (...args) {
    const start = performance.now();
    try {
      return f.apply(this, args);
    } finally {
      spent[phase] += performance.now() - start;
    }
  };
}

const NativeModule = WebAssembly.Module;
const NativeInstance = WebAssembly.Instance;
WebAssembly.Module = timed('compile', (bytes) => new NativeModule(bytes));
WebAssembly.Instance = timed('instantiate', (module, imports) => {
  const instance = new NativeInstance(module, imports);
  const exports = { ...instance.exports };
  let decided = false;
  exports.decide = function (...args) {
    if (decided) return instance.exports.decide(...args);
    decided = true;
    return timed('first_decide', instance.exports.decide)(...args);
  };
  return { exports };
});
let zlib = null;
function actionRequire(name) {
  if (name !== 'zlib') return require(name);
  if (zlib === null) {
    zlib = timed('require_zlib', () => require('zlib'))();
    zlib = { ...zlib, brotliDecompressSync: timed('brotli', zlib.brotliDecompressSync) };
  }
  return zlib;
}

const api = require('./noop-api.js');

async function main() {
  const [eventFile, actionFile] = process.argv.slice(2);
  const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
  const source = fs.readFileSync(actionFile, 'utf8');
  const t0 = performance.now();
  const module = { exports: {} };
  vm.compileFunction(source, ['module', 'exports', 'require', 'console'])(module, module.exports, actionRequire, console);
  const t1 = performance.now();
  await module.exports.onExecutePostLogin(event, api);
  const t2 = performance.now();
  const phases = Object.values(spent).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ load_file: t1 - t0, ...spent, wrapper: t2 - t1 - phases, cold: t2 - t0 }));
}
main();
