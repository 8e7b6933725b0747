#!/usr/bin/env node
// Warm per-call time of an Action (or several, run one after another as one flow) on each of
// several events: the files are loaded once, as Auth0 does, then each event is decided
// WARM_CALLS times after a warm-up on all of them; prints one JSON line per event with the median
// and p99 of a whole call (µs) and the median of the time spent in the WASM `decide` export.
// Usage: node bench-fixtures.js WARM_CALLS ACTION.js [ACTION.js ...] -- EVENT.json [EVENT.json ...]
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { performance } = require('perf_hooks');

const api = require('./noop-api.js');

// Times the engine's `decide` export without changing the Action (as cold-phases.js does).
let wasmSpent = 0;
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new NativeInstance(module, imports);
  const exports = { ...instance.exports };
  exports.decide = function (...args) {
    const start = performance.now();
    try {
      return instance.exports.decide(...args);
    } finally {
      wasmSpent += performance.now() - start;
    }
  };
  return { exports };
};

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const [warmCalls, ...rest] = process.argv.slice(2);
  const files = rest.slice(0, rest.indexOf('--'));
  const events = rest.slice(rest.indexOf('--') + 1);
  const handlers = files.map((file) => {
    const module = { exports: {} };
    vm.compileFunction(fs.readFileSync(file, 'utf8'), ['module', 'exports', 'require', 'console'])(module, module.exports, require, console);
    return module.exports.onExecutePostLogin;
  });
  // A `fail` decision throws, as it should: Auth0 fails the login; the time still counts.
  const caller = (event) => async () => {
    for (const h of handlers) await h(event, api).catch(() => {});
  };
  const calls = events.map((file) => caller(JSON.parse(fs.readFileSync(file, 'utf8'))));
  // Warm up on every event first (an instance serves logins of every shape), so that the first
  // event measured does not pay for V8 optimising the code.
  for (let i = 0; i < Math.min(Number(warmCalls), 500); i++) for (const call of calls) await call();
  for (const [n, eventFile] of events.entries()) {
    const call = calls[n];
    const total = [];
    const wasm = [];
    for (let i = 0; i < Number(warmCalls); i++) {
      wasmSpent = 0;
      const s = performance.now();
      await call();
      total.push(performance.now() - s);
      wasm.push(wasmSpent);
    }
    const p99 = [...total].sort((a, b) => a - b)[Math.floor(total.length * 0.99)];
    console.log(JSON.stringify({ event: path.basename(eventFile), warm_median_us: 1000 * median(total), warm_p99_us: 1000 * p99, wasm_median_us: 1000 * median(wasm) }));
  }
}
main();
