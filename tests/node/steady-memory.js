#!/usr/bin/env node
// One Action instance, many logins: checks that the engine's memory stops growing (its arena
// allocator starts over after every decision) and that every repeat decides the same as the
// first. Prints one JSON line: {"pages_after_first": N, "pages_after_all": M, "calls": C}.
// Usage: node steady-memory.js ACTION.js REPEATS EVENT.json [EVENT.json ...]
'use strict';
const fs = require('fs');
const vm = require('vm');

const instances = [];
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new NativeInstance(module, imports);
  instances.push(instance);
  return instance;
};

// A `fail` decision throws out of the handler: that is part of what was decided.
async function run(handler, event, calls) {
  try {
    await handler(event, recordingApi(calls));
  } catch (err) {
    calls.push(['throw', String(err && err.message)]);
  }
}

function recordingApi(calls) {
  const record = (path) => (...args) => { calls.push([path, JSON.stringify(args)]); return api; };
  const api = {
    access: { deny: record('access.deny') },
    accessToken: { setCustomClaim: record('accessToken.setCustomClaim'), addScope: record('accessToken.addScope'), removeScope: record('accessToken.removeScope') },
    idToken: { setCustomClaim: record('idToken.setCustomClaim') },
    multifactor: { enable: record('multifactor.enable') },
    authentication: { challengeWith: record('authentication.challengeWith'), enrollWith: record('authentication.enrollWith') },
  };
  return api;
}

async function main() {
  const [actionFile, repeats, ...eventFiles] = process.argv.slice(2);
  const module = { exports: {} };
  vm.compileFunction(fs.readFileSync(actionFile, 'utf8'), ['module', 'exports', 'require', 'console'])(module, module.exports, require, console);
  const handler = module.exports.onExecutePostLogin;
  const events = eventFiles.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  const pages = () => instances.reduce((n, i) => n + i.exports.memory.buffer.byteLength / 65536, 0);
  const first = [];
  for (const event of events) {
    const calls = [];
    await run(handler, event, calls);
    first.push(JSON.stringify(calls));
  }
  const pagesAfterFirst = pages();
  let calls = 0;
  for (let r = 0; r < Number(repeats); r++) {
    for (let i = 0; i < events.length; i++) {
      const recorded = [];
      await run(handler, events[i], recorded);
      calls++;
      if (JSON.stringify(recorded) !== first[i]) throw new Error(`${eventFiles[i]}: repeat ${r} decided differently: ${JSON.stringify(recorded)} vs ${first[i]}`);
    }
  }
  console.log(JSON.stringify({ pages_after_first: pagesAfterFirst, pages_after_all: pages(), calls, instances: instances.length }));
}
main().catch((e) => { console.error(e && e.stack); process.exit(1); });
