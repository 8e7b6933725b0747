#!/usr/bin/env node
// Measures an Action under Node: cold start (load the file as Auth0 does + first call) and warm
// per-call time, with a no-op `api`. Prints one JSON line.
// Usage: node bench.js EVENT.json WARM_CALLS ACTION.js [ACTION.js ...]   (several = one flow)
'use strict';
const fs = require('fs');
const vm = require('vm');
const { performance } = require('perf_hooks');

const api = require('./noop-api.js');

async function main() {
  const [eventFile, warmCalls, ...files] = process.argv.slice(2);
  const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
  const t0 = performance.now();
  const handlers = files.map((file) => {
    const module = { exports: {} };
    vm.compileFunction(fs.readFileSync(file, 'utf8'), ['module', 'exports', 'require', 'console'])(module, module.exports, require, console);
    return module.exports.onExecutePostLogin;
  });
  const t1 = performance.now();
  for (const h of handlers) await h(event, api);
  const t2 = performance.now();
  const samples = [];
  for (let i = 0; i < Number(warmCalls); i++) {
    const s = performance.now();
    for (const h of handlers) await h(event, api);
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(JSON.stringify({
    bytes,
    load_ms: t1 - t0,
    first_call_ms: t2 - t1,
    cold_ms: t2 - t0,
    warm_median_us: 1000 * samples[Math.floor(samples.length / 2)],
    warm_p99_us: 1000 * samples[Math.floor(samples.length * 0.99)],
  }));
}
main();
