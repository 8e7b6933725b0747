#!/usr/bin/env node
// Runs one or more Auth0 post-login Actions in bound order under real Node (the Auth0 runtime is
// Node 22) with a recording `api`, and prints what they did as JSON:
//   {"calls": [{"action": 0, "method": "accessToken.setCustomClaim", "args": [...]}, ...],
//    "error": null | {"action": 0, "message": "..."}}
// Usage: node run-flow.js EVENT.json ACTION.js [ACTION.js ...]
// Like Auth0: each Action is loaded as CommonJS with module/exports/require/console; a deny
// stops the flow after the Action that denied; a throw fails the login and discards the
// throwing Action's calls. Used by the end-to-end tests to compare generated Actions with the
// guides' hand-written snippets.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { completeEvent } = require('./auth0-facts');

function recordingApi(calls, action) {
  const record = (method, ret) => (...args) => {
    calls.push({ action, method, args: JSON.parse(JSON.stringify(args)) });
    return ret === 'api' ? api : undefined;
  };
  const api = {
    access: { deny: record('access.deny', 'api') },
    accessToken: { setCustomClaim: record('accessToken.setCustomClaim', 'api'), addScope: record('accessToken.addScope'), removeScope: record('accessToken.removeScope') },
    idToken: { setCustomClaim: record('idToken.setCustomClaim', 'api') },
    multifactor: { enable: record('multifactor.enable', 'api') },
    authentication: {
      challengeWith: record('authentication.challengeWith'),
      challengeWithAny: record('authentication.challengeWithAny'),
      enrollWith: record('authentication.enrollWith'),
      enrollWithAny: record('authentication.enrollWithAny'),
    },
    user: { setAppMetadata: record('user.setAppMetadata', 'api'), setUserMetadata: record('user.setUserMetadata', 'api') },
  };
  return api;
}

function load(file) {
  const source = fs.readFileSync(file, 'utf8');
  const module = { exports: {} };
  const fn = vm.compileFunction(source, ['module', 'exports', 'require', 'console'], { filename: path.resolve(file) });
  fn(module, module.exports, require, console);
  return module.exports;
}

async function main() {
  const [eventFile, ...actions] = process.argv.slice(2);
  const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
  const fixtureEvent = event.event !== undefined && event.user === undefined ? event.event : event;
  // The objects Auth0 always supplies, as the harness and `explain` add them: every path sees
  // the same event.
  completeEvent(fixtureEvent);
  const calls = [];
  let error = null;
  for (let i = 0; i < actions.length; i++) {
    const own = [];
    try {
      const exported = load(actions[i]);
      await exported.onExecutePostLogin(JSON.parse(JSON.stringify(fixtureEvent)), recordingApi(own, i));
    } catch (err) {
      error = { action: i, message: err && err.message };
      break;
    }
    calls.push(...own);
    if (own.some((c) => c.method === 'access.deny')) break;
  }
  process.stdout.write(JSON.stringify({ calls, error }) + '\n');
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack) + '\n');
  process.exit(2);
});
