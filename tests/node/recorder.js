#!/usr/bin/env node
// The Node side of the Boa-vs-Node conformance check: runs Actions under real Node with the
// harness's own recording `api` (harness/src/host/auth0/api.js, shared verbatim) and prints the
// same Outcome JSON as `actionkit run --format json` (schema: docs/outcome.md), minus `stats`.
//
//   node tests/node/recorder.js ACTION.js [ACTION.js ...] EVENT.json
//
// What is shared is the api emulation; what differs is the JS engine and the host: Node's own
// loader (vm.compileFunction), console/util.format, Buffer, zlib, URL, FormData and WebAssembly.
// The fixture inputs are honoured the same way: `fetch` answered from the fixture, `clock`
// (Date.now is fixed unless a timer advances it), `seed` (Math.random/crypto.randomUUID),
// `resume`, `rules`, `modules` (Actions Modules, compiled with vm like the Action). npm packages
// resolve as Node resolves them for the Action file, then from NODE_PATH (the conformance test
// points it at the corpus packages, as the harness's `Packages::with_node_modules`).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const util = require('util');
const crypto = require('crypto');
const Module = require('module');

// Auth0's limits and facts, from the Rust crate auth0-platform: this twin and the harness enforce
// the same numbers.
const { FACTS: LIMITS, completeEvent } = require('./auth0-facts');

const DEFAULT_CLOCK = Date.parse('2025-01-01T00:00:00Z');
const BUDGET_MS = 20000;

// Captured before any Action runs, so a replaced iterator does not change what is recorded.
const originalFormEntries = FormData.prototype.entries;

function fail(message) {
  process.stderr.write('error: ' + message + '\n');
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.length < 2) fail('usage: node recorder.js ACTION.js [ACTION.js ...] EVENT.json');
const eventPath = argv[argv.length - 1];
const actionPaths = argv.slice(0, -1);

let fixture;
try {
  fixture = JSON.parse(fs.readFileSync(eventPath, 'utf8'));
} catch (e) {
  fail('failed to read event `' + eventPath + '`: ' + e.message);
}
const wrapped = fixture && typeof fixture === 'object' && 'event' in fixture;
const input = {
  event: wrapped ? fixture.event : fixture,
  fetch: (wrapped && fixture.fetch) || [],
  clock: wrapped && fixture.clock !== undefined ? (typeof fixture.clock === 'number' ? fixture.clock : Date.parse(fixture.clock)) : DEFAULT_CLOCK,
  seed: (wrapped && fixture.seed) || 0,
  resume: (wrapped && fixture.resume) || null,
  rules: (wrapped && fixture.rules) || [],
  modules: new Map(),
};

// Secrets Auth0 could not store are rejected like the harness's fixture loader does.
function checkSecrets(secrets, where) {
  for (const [name, value] of Object.entries(secrets || {})) {
    const chars = (text) => Array.from(text).length;
    const { MAX_SECRET_NAME_CHARS: maxName, MAX_SECRET_VALUE_CHARS: maxValue } = LIMITS;
    if (chars(name) > maxName) fail('invalid fixture: secret `' + where + '.' + name + '` has a name of ' + chars(name) + ' characters; Auth0 allows at most ' + maxName);
    if (typeof value !== 'string') fail('invalid fixture: secret `' + where + '.' + name + '` is not a string; Auth0 secrets are strings of at most ' + maxValue + ' characters');
    if (chars(value) > maxValue) fail('invalid fixture: secret `' + where + '.' + name + '` has a value of ' + chars(value) + ' characters; Auth0 allows at most ' + maxValue);
  }
}
checkSecrets(input.event && input.event.secrets, 'event.secrets');
// Actions Modules: `path` is relative to the fixture file.
for (const [name, declared] of Object.entries((wrapped && fixture.modules) || {})) {
  checkSecrets(declared.secrets, 'modules.' + name + '.secrets');
  const file = path.resolve(path.dirname(eventPath), declared.path);
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail('cannot read Actions Module `' + name + '` from `' + file + '`: ' + e.message);
  }
  input.modules.set(name, { file, source, secrets: declared.secrets || {} });
}
// Tenant configuration Auth0 consults but does not put in the event (defaults as in fixture.rs:
// the MFA setting on, every factor enabled, linked accounts unknown).
const { MFA_FACTORS } = LIMITS;
const tenantInput = (wrapped && fixture.tenant) || {};
const tenant = {
  customizeMfaFactors: !(tenantInput.mfa && tenantInput.mfa.customize_factors_with_actions === false),
  mfaFactors: tenantInput.mfa && Array.isArray(tenantInput.mfa.factors) ? tenantInput.mfa.factors : MFA_FACTORS,
  linkedAccounts: tenantInput.linked_accounts || null,
};

// --- Deterministic time and randomness, mirroring the harness. ---
let virtualNow = input.clock;
const RealDate = Date;
// Named `Date`, so that util.inspect prints a date as Node does for a real one (a class of
// another name is printed as a prefix: `FixedDate 1970-01-01T00:00:00.000Z`).
const FixedDate = class Date extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(virtualNow);
    else super(...args);
  }
  static now() {
    return virtualNow;
  }
};
globalThis.Date = FixedDate;
let randomState = input.seed >>> 0;
Math.random = function random() {
  randomState = (randomState + 0x6d2b79f5) >>> 0;
  let t = randomState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const realRandomUUID = crypto.randomUUID;
function seededUUID() {
  const hex = [];
  for (let i = 0; i < 16; i++) {
    let b = Math.floor(Math.random() * 256);
    if (i === 6) b = (b & 0x0f) | 0x40;
    if (i === 8) b = (b & 0x3f) | 0x80;
    hex.push((b < 16 ? '0' : '') + b.toString(16));
  }
  return hex.slice(0, 4).join('') + '-' + hex.slice(4, 6).join('') + '-' + hex.slice(6, 8).join('') + '-' + hex.slice(8, 10).join('') + '-' + hex.slice(10).join('');
}
void realRandomUUID;
Object.defineProperty(globalThis.crypto, 'randomUUID', { value: seededUUID, configurable: true });
// `require('crypto').randomUUID` is a function of its own in Node (npm packages such as uuid
// take it from there); the harness seeds both.
crypto.randomUUID = seededUUID;

// Virtual timers: run in due order once the microtask queue is empty, advancing Date.now.
const timers = [];
let timerSeq = 0;
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...args) => {
  const id = { seq: timerSeq++, due: virtualNow + Math.max(0, ms | 0), fn: () => fn(...args), cancelled: false };
  timers.push(id);
  return id;
};
globalThis.clearTimeout = (id) => {
  if (id) id.cancelled = true;
};
// performance.now and AbortSignal.timeout on the same virtual clock, as the harness has them.
const performanceOrigin = virtualNow;
Object.defineProperty(globalThis.performance, 'now', { value: () => virtualNow - performanceOrigin, configurable: true });
AbortSignal.timeout = (ms) => {
  const controller = new AbortController();
  globalThis.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  return controller.signal;
};

function nextTimer() {
  const live = timers.filter((t) => !t.cancelled);
  timers.length = 0;
  timers.push(...live);
  live.sort((a, b) => a.due - b.due || a.seq - b.seq);
  return live[0];
}
// Real time allowed for thread-pool work (webcrypto) to finish before a handler that waits for
// nothing else counts as never settled; generous for a loaded machine.
const THREAD_POOL_GRACE_MS = 2000;
const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

// --- The recorder. ---
let seq = 0;
const calls = [];
const logs = [];
const fetches = [];
const state = { action: '', settled: false, aborted: null, redirect: null };

globalThis.fetch = async (resource, init) => {
  const url = resource instanceof URL ? resource.href : typeof resource === 'object' && resource.url ? resource.url : String(resource);
  const options = init || {};
  const method = String(options.method || 'GET').toUpperCase();
  let body = options.body;
  // A FormData body is recorded as its entries, like the harness: the real multipart encoding
  // has a random boundary. (Blob/File entries, which the harness refuses, show as their string.)
  let form;
  if (body instanceof FormData) {
    form = Array.from(originalFormEntries.call(body), ([name, value]) => [name, String(value)]);
    body = undefined;
  } else if (body instanceof URLSearchParams) body = body.toString();
  else if (body !== undefined && body !== null && typeof body !== 'string') body = JSON.stringify(body);
  const record = { seq: ++seq, action: state.action, method, url };
  if (body !== undefined && body !== null) record.body = body;
  if (form !== undefined) record.form = form;
  const mock = input.fetch.find((m) => {
    const want = m.method || 'GET';
    return (want === '*' || want.toUpperCase() === method) && m.url === url;
  });
  fetches.push(record);
  if (!mock || mock.error !== undefined) {
    const message = mock
      ? mock.error
      : 'no recorded response for ' + method + ' ' + url + ' (the harness has no network: add it to the fixture\'s "fetch" list)';
    record.status = null;
    record.error = message;
    throw new TypeError('fetch failed', { cause: new Error(message) });
  }
  const status = mock.status || 200;
  record.status = status;
  const headers = Object.assign({}, mock.headers || {});
  let text = '';
  if (typeof mock.body === 'string') text = mock.body;
  else if (mock.body !== undefined) {
    text = JSON.stringify(mock.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  return new Response(status === 204 ? null : text, { status, headers });
};

// http/https answered from the fixture like fetch, through Node's own http client and parser:
// every Agent's connection is a stream that reads the request bytes, records the request and
// plays the recorded response as HTTP/1.1 (content-length added), or fails with the recorded
// error (or the missing-entry message) as a socket error.
const stream = require('stream');
const http = require('http');
const https = require('https');
// The request in `bytes` once complete: request line, headers, a content-length or chunked body.
function parseRequest(bytes) {
  const head = bytes.indexOf('\r\n\r\n');
  if (head === -1) return null;
  const lines = bytes.subarray(0, head).toString('latin1').split('\r\n');
  const [method, target] = lines[0].split(' ');
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = bytes.subarray(head + 4);
  let body = null;
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return null;
    body = rest.subarray(0, length);
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    for (;;) {
      const end = rest.indexOf('\r\n');
      if (end === -1) return null;
      const size = parseInt(rest.subarray(0, end).toString('latin1'), 16);
      if (rest.length < end + 2 + size + 2) return null;
      if (size === 0) break;
      parts.push(rest.subarray(end + 2, end + 2 + size));
      rest = rest.subarray(end + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  }
  return { method, target, headers, body: body && body.length ? body.toString('utf8') : null };
}
function fixtureConnection(protocol) {
  let received = Buffer.alloc(0);
  let answered = false;
  const socket = new stream.Duplex({
    read() {},
    write(chunk, encoding, callback) {
      received = Buffer.concat([received, Buffer.from(chunk, encoding)]);
      const request = answered ? null : parseRequest(received);
      callback();
      if (request) {
        answered = true;
        answerRequest(socket, protocol, request);
      }
    },
  });
  for (const name of ['setNoDelay', 'setKeepAlive', 'setTimeout', 'ref', 'unref']) socket[name] = () => socket;
  return socket;
}
function answerRequest(socket, protocol, request) {
  const url = protocol + '//' + request.headers.host + request.target;
  const record = { seq: ++seq, action: state.action, method: request.method, url };
  if (request.body !== null) record.body = request.body;
  fetches.push(record);
  const mock = input.fetch.find((m) => {
    const want = m.method || 'GET';
    return (want === '*' || want.toUpperCase() === request.method) && m.url === url;
  });
  if (!mock || mock.error !== undefined) {
    const message = mock ? mock.error : 'no recorded response for ' + request.method + ' ' + url + ' (the harness has no network: add it to the fixture\'s "fetch" list)';
    record.status = null;
    record.error = message;
    socket.destroy(new Error(message));
    return;
  }
  const status = mock.status || 200;
  record.status = status;
  const headers = Object.entries(mock.headers || {});
  let text = '';
  if (typeof mock.body === 'string') text = mock.body;
  else if (mock.body !== undefined) {
    text = JSON.stringify(mock.body);
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/json']);
  }
  const body = Buffer.from(text, 'utf8');
  headers.push(['content-length', String(body.length)]);
  const head = 'HTTP/1.1 ' + status + ' ' + (http.STATUS_CODES[status] || 'unknown') + '\r\n' + headers.map(([k, v]) => k + ': ' + v + '\r\n').join('') + '\r\n';
  socket.push(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  socket.push(null);
}
http.Agent.prototype.createConnection = () => fixtureConnection('http:');
https.Agent.prototype.createConnection = () => fixtureConnection('https:');

const native = {
  record(method, argsJson, threw) {
    const call = { seq: ++seq, action: state.action, method, args: JSON.parse(argsJson) };
    if (threw !== undefined) call.threw = threw;
    if (state.settled) call.late = true;
    calls.push(call);
  },
  abort(message) {
    if (state.aborted === null) state.aborted = message;
  },
  redirectTarget(url) {
    state.redirect = url;
  },
  hs256: (secret, data) => crypto.createHmac('sha256', secret).update(data).digest('base64url'),
  b64url: (text) => Buffer.from(text, 'utf8').toString('base64url'),
  b64urlDecode: (text) => Buffer.from(text, 'base64url').toString('utf8'),
  limits: LIMITS,
};
const apiSource = fs.readFileSync(path.join(__dirname, '../../harness/src/host/auth0/api.js'), 'utf8');
const runtime = vm.runInThisContext(apiSource, { filename: 'api.js' })(native);

function makeConsole() {
  const line = (level) => (...args) => {
    seq += 1;
    logs.push({ seq, action: state.action, level, message: util.format(...args) });
  };
  return { log: line('log'), info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), trace: line('trace') };
}

function describe(value) {
  if (value && typeof value === 'object' && value.message !== undefined) {
    return { name: typeof value.name === 'string' ? value.name : undefined, message: String(value.message) };
  }
  return { message: String(value) };
}

// `require` of one Action instance: `actions:NAME` resolves the fixture's Actions Modules, each
// compiled lazily once per instance with a pseudo-global `actions = { secrets }` (and not cached
// when it throws, as in Node); anything else is Node's own require for the Action's file, as
// Auth0's loader has it (`createRequire(actionFile)`: npm packages from node_modules beside the
// file or above it, then NODE_PATH). An undeclared name fails with the harness's message (Node's
// would add `Require stack:` lines).
function makeRequire(file) {
  const loaded = new Map();
  const nodeRequire = Module.createRequire(path.resolve(file));
  const requireInInstance = (specifier) => {
    const text = String(specifier);
    if (!text.startsWith('actions:')) return nodeRequire(text);
    const name = text.slice('actions:'.length);
    if (loaded.has(name)) return loaded.get(name).exports;
    const declared = input.modules.get(name);
    if (!declared) {
      const error = new Error("Cannot find module '" + text + "'");
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    const compiled = vm.compileFunction(declared.source, ['module', 'exports', 'require', 'console', 'actions'], { filename: declared.file });
    const module = { exports: {} };
    loaded.set(name, module);
    try {
      compiled.call(module.exports, module, module.exports, requireInInstance, makeConsole(), { secrets: structuredClone(declared.secrets) });
    } catch (e) {
      loaded.delete(name);
      throw e;
    }
    return module.exports;
  };
  return requireInInstance;
}

function loadAction(file) {
  const name = path.basename(file).replace(/\.[^.]*$/, '');
  const source = fs.readFileSync(file, 'utf8');
  const instance = { name, module: null, failure: null, loaded: false, require: makeRequire(file) };
  instance.load = () => {
    if (instance.loaded) return;
    instance.loaded = true;
    let fn;
    try {
      fn = vm.compileFunction(source, ['module', 'exports', 'require', 'console'], { filename: file });
    } catch (e) {
      instance.failure = Object.assign({ kind: 'syntax' }, describe(e));
      return;
    }
    const module = { exports: {} };
    try {
      fn(module, module.exports, instance.require, makeConsole());
      instance.module = module;
    } catch (e) {
      instance.failure = Object.assign({ kind: 'load' }, describe(e));
    }
  };
  return instance;
}

async function execute(instance, entry, event, cache) {
  state.action = instance.name;
  state.settled = false;
  state.aborted = null;
  state.redirect = null;
  instance.load();
  const error = (kind, value) => Object.assign({ kind, action: instance.name }, describe(value));
  if (instance.failure) return { error: Object.assign({ action: instance.name }, instance.failure), cache };
  let handler;
  try {
    handler = runtime.getHandler(instance.module, entry);
  } catch (e) {
    return { error: error('signature', e), cache };
  }
  // Auth0 allows one primary-user change per transaction, whichever Action made it.
  const primaryUserSet = calls.some((c) => c.method === 'authentication.setPrimaryUser' && !c.threw);
  const session = runtime.makeApi(event, { cache, rules: input.rules, primaryUserSet });
  const started = virtualNow;
  let outcome = null;
  handler(event, session.api).then(
    () => { outcome = { ok: true }; },
    (e) => { outcome = { ok: false, e }; },
  );
  for (;;) {
    await flushMicrotasks();
    if (outcome) break;
    const timer = nextTimer();
    if (!timer) {
      // Work on Node's thread pool (webcrypto, randomBytes with a callback) completes on a later
      // turn of the real event loop, not on a virtual timer: give it some turns before calling
      // the promise never settled.
      const waitUntil = RealDate.now() + THREAD_POOL_GRACE_MS;
      while (!outcome && !nextTimer() && RealDate.now() < waitUntil) await new Promise((resolve) => realSetTimeout(resolve, 1));
      if (outcome || nextTimer()) continue;
      outcome = { timeout: 'never' };
      break;
    }
    if (timer.due - started > BUDGET_MS) { outcome = { timeout: 'budget' }; break; }
    timers.splice(timers.indexOf(timer), 1);
    virtualNow = Math.max(virtualNow, timer.due);
    timer.fn();
  }
  state.settled = true;
  const settledAt = virtualNow;
  // Late work within the budget, recorded as late.
  for (;;) {
    await flushMicrotasks();
    const timer = nextTimer();
    if (!timer || timer.due - started > BUDGET_MS) break;
    timers.splice(timers.indexOf(timer), 1);
    virtualNow = Math.max(virtualNow, timer.due);
    try { timer.fn(); } catch (e) { /* dropped like Auth0 */ }
  }
  timers.length = 0;
  virtualNow = settledAt;
  const newCache = JSON.parse(session.cacheEntries());
  let result = null;
  if (outcome.timeout === 'never') {
    result = { kind: 'timeout', action: instance.name, message: "the handler's promise never settled (nothing left to wait for); Auth0 fails the login after " + BUDGET_MS + ' ms' };
  } else if (outcome.timeout) {
    result = { kind: 'timeout', action: instance.name, message: 'the execution exceeded the ' + BUDGET_MS + ' ms time budget' };
  } else if (!outcome.ok) {
    result = error('throw', outcome.e);
  } else if (state.aborted !== null) {
    result = { kind: 'abort', action: instance.name, message: state.aborted };
  }
  return { error: result, cache: newCache, redirect: state.redirect, virtual: settledAt - started };
}

// --- Aggregation (a port of harness/src/aggregate.rs and flow.rs). ---
const RESTRICTED = new Set('acr act active amr at_hash ath attest aud auth_time authorization_details azp c_hash client_id cnf cty dest entitlements events exp groups gty htm htu iat internalService iss jcard jku jti jwe jwk kid may_act mky nbf nonce object_id org_id org_name orig origid permissions roles rph s_hash sid sip_callid sip_cseq_num sip_date sip_from_tag sip_via_branch sub sub_jwk toe txn typ uuid vot vtm x5t#S256'.split(' '));
const urlHost = (name) => {
  const m = /^https?:\/\/([^/?#:]*)/i.exec(name);
  return m ? m[1] : null;
};
const onAuth0 = (host) => ['auth0.com', 'webtask.io', 'webtask.run'].some((d) => host.toLowerCase() === d || host.toLowerCase().endsWith('.' + d));
function auth0Audience(aud) {
  const host = urlHost(aud || '');
  if (!host || !(host.toLowerCase().endsWith('.auth0.com') || host.toLowerCase().endsWith('.auth0app.com'))) return false;
  const p = aud.split('/').slice(3).join('/').replace(/\/+$/, '');
  return p === 'api' || p === 'api/v2' || p === 'mfa';
}
function dropReason(token, name, audience) {
  if (RESTRICTED.has(name)) return 'restricted_name';
  if (name.toLowerCase().startsWith('urn:auth0') || (urlHost(name) !== null && onAuth0(urlHost(name)))) return 'auth0_namespace';
  const namespaced = urlHost(name) !== null || name.startsWith('urn:');
  if (token === 'access' && !namespaced && audience && auth0Audience(audience)) return 'auth0_audience';
  return null;
}
const effective = (c) => c.threw === undefined && !c.discarded && !c.late;
const MFA = ['authentication.challengeWith', 'authentication.challengeWithAny', 'authentication.enrollWith', 'authentication.enrollWithAny'];
function denialOf(c) {
  const arg = (i) => (c.args[i] === undefined ? null : c.args[i]);
  if (['access.deny', 'session.revoke', 'refreshToken.revoke'].includes(c.method)) return { action: c.action, via: c.method, error: 'access_denied', reason: arg(0) };
  if (c.method === 'validation.error') return { action: c.action, via: c.method, error: typeof c.args[0] === 'string' ? c.args[0] : 'invalid_request', reason: arg(1) };
  return null;
}
function mfaFactors(c) {
  if (Array.isArray(c.args[0])) return c.args[0];
  if (c.args[0] === undefined) return [];
  const out = [c.args[0]];
  const extra = c.args[1] && c.args[1].additionalFactors;
  if (Array.isArray(extra)) out.push(...extra);
  return out;
}
const isoOf = (ms) => new RealDate(ms).toISOString();
const factorType = (f) => {
  const type = f !== null && typeof f === 'object' ? f.type : undefined;
  if (typeof type !== 'string') return null;
  return type === 'push' ? 'push-notification' : type;
};

// A port of MfaLedger (aggregate.rs): what the MFA commands of the transaction can use.
function mfaLedger(user) {
  const enrolled = user && Array.isArray(user.enrolledFactors) ? user.enrolledFactors.map(factorType).filter((t) => t !== null) : [];
  const emailVerified = Boolean(user) && user.email_verified === true;
  const satisfied = [];
  const isEnrolled = (kind) => enrolled.includes(kind) || (kind === 'email' && emailVerified);
  // { factor } (null: already satisfied) or { error }.
  function resolve(c) {
    const command = c.method.replace(/^authentication\./, '');
    if (!tenant.customizeMfaFactors) {
      return { error: 'api.authentication.' + command + ' needs the tenant setting "Customize MFA Factors using Actions", which the fixture turns off (tenant.mfa.customize_factors_with_actions), so Auth0 fails the login' };
    }
    const enrollment = command.startsWith('enroll');
    const ignored = [];
    const usable = [];
    for (const factor of mfaFactors(c)) {
      const kind = factorType(factor);
      if (kind === null) {
        ignored.push('a factor without a type');
        continue;
      }
      let reason = null;
      if (!tenant.mfaFactors.includes(kind)) reason = 'not enabled on the tenant';
      else if (enrollment && kind === 'email') reason = 'cannot be enrolled';
      else if (enrollment && isEnrolled(kind)) reason = 'already enrolled';
      else if (!enrollment && !isEnrolled(kind)) reason = 'not enrolled by the user';
      if (reason) ignored.push(kind + ': ' + reason);
      else usable.push([kind, factor]);
    }
    if (usable.length === 0) {
      const requested = ignored.length ? ignored.join('; ') : 'no factor requested';
      let message = 'api.authentication.' + command + ': none of the requested factors can be used (' + requested + '), so Auth0 fails the login';
      if (enrollment) message += ' (the API reference says so; the MFA enrollment guide says the login continues: guard the call with event.user.enrolledFactors)';
      return { error: message };
    }
    if (enrollment) {
      if (enrolled.some((f) => f !== 'email') && satisfied.length === 0) {
        return { error: 'An MFA enrollment was requested but the user is already enrolled in MFA. Challenge with at least one existing factor before enrolling a new one.' };
      }
      const [kind, factor] = usable[0];
      enrolled.push(kind);
      satisfied.push(kind);
      return { factor };
    }
    const pending = usable.find(([kind]) => !satisfied.includes(kind));
    if (!pending) return { factor: null };
    satisfied.push(pending[0]);
    return { factor: pending[1] };
  }
  return { resolve };
}

// A port of pass_mfa_steps (flow.rs): the MFA steps of a completed Action pass with the
// ledger's factor; returns why the login fails instead, or null.
function passMfaSteps(event, ledger, own, clockMs) {
  for (const c of own.filter((x) => effective(x) && MFA.includes(x.method))) {
    const result = ledger.resolve(c);
    if (result.error !== undefined) return result.error;
    if (result.factor === null) continue;
    const type = factorType(result.factor);
    if (event.authentication === null || typeof event.authentication !== 'object' || Array.isArray(event.authentication)) event.authentication = {};
    const auth = event.authentication;
    if (!Array.isArray(auth.methods)) auth.methods = [];
    auth.methods.push({ name: 'mfa', timestamp: isoOf(clockMs), type });
    if (c.method.startsWith('authentication.enroll')) {
      if (event.user === null || typeof event.user !== 'object' || Array.isArray(event.user)) event.user = {};
      if (!Array.isArray(event.user.enrolledFactors)) event.user.enrolledFactors = [];
      event.user.enrolledFactors.push({ type });
    }
  }
  return null;
}

// A port of primary_user_failure (aggregate.rs).
function primaryUserFailure(c, userId) {
  const primary = c.args[0];
  if (typeof primary !== 'string') return null;
  const identity = typeof userId === 'string' ? userId : '(no event.user.user_id)';
  let message;
  if (tenant.linkedAccounts === null) {
    message = "api.authentication.setPrimaryUser('" + primary + "'): Auth0 issues tokens only if `" + identity + '` is a secondary identity of `' + primary + "`, and the fixture does not declare the tenant's linked accounts; add \"tenant\": {\"linked_accounts\": {\"" + primary + '\": [\"' + identity + '\"]}} to the fixture if it is';
  } else {
    const secondaries = tenant.linkedAccounts[primary];
    if (Array.isArray(secondaries) && secondaries.includes(userId)) return null;
    message = "api.authentication.setPrimaryUser('" + primary + "'): `" + identity + '` is not a secondary identity of `' + primary + '` (tenant.linked_accounts), so Auth0 fails the login';
  }
  return { kind: 'authentication', action: c.action, message };
}

function applyUpdates(event, own) {
  const obj = (o, k) => {
    if (o[k] === null || typeof o[k] !== 'object' || Array.isArray(o[k])) o[k] = {};
    return o[k];
  };
  const set = (target, key, value) => {
    if (typeof key !== 'string') return;
    if (value === null || value === undefined) delete target[key];
    else target[key] = value;
  };
  for (const c of own.filter(effective)) {
    const [key, value] = [c.args[0], c.args[1] === undefined ? null : c.args[1]];
    const nonEmptySession = event.session && typeof event.session === 'object' && Object.keys(event.session).length > 0;
    switch (c.method) {
      case 'user.setAppMetadata': set(obj(obj(event, 'user'), 'app_metadata'), key, value); break;
      case 'user.setUserMetadata': set(obj(obj(event, 'user'), 'user_metadata'), key, value); break;
      case 'transaction.setMetadata': set(obj(obj(event, 'transaction'), 'metadata'), key, value); break;
      case 'session.setMetadata': if ('session' in event) set(obj(obj(event, 'session'), 'metadata'), key, value); break;
      case 'session.deleteMetadata': if ('session' in event) delete obj(obj(event, 'session'), 'metadata')[key]; break;
      case 'session.evictMetadata': if ('session' in event) obj(event, 'session').metadata = {}; break;
      case 'session.setCookieMode': if (nonEmptySession) obj(obj(event, 'session'), 'cookie').mode = key === undefined ? null : key; break;
      case 'refreshToken.setMetadata': if ('refresh_token' in event) set(obj(obj(event, 'refresh_token'), 'metadata'), key, value); break;
      case 'refreshToken.deleteMetadata': if ('refresh_token' in event) delete obj(obj(event, 'refresh_token'), 'metadata')[key]; break;
      case 'refreshToken.evictMetadata': if ('refresh_token' in event) obj(event, 'refresh_token').metadata = {}; break;
      default:
    }
  }
}

function aggregate(outcome, audience) {
  const scopeOps = [];
  let mfaCommands = 0;
  let ledger = mfaLedger(input.event.user);
  const lifetime = (map, method, args) => {
    const arg = args[0] === undefined ? null : args[0];
    if (method === 'setExpiresAt' || method === 'setIdleExpiresAt') {
      const key = method === 'setExpiresAt' ? 'expires_at' : 'idle_expires_at';
      if (!(typeof map[key] === 'number' && typeof arg === 'number' && arg >= map[key])) map[key] = arg;
    } else if (method === 'setCookieMode') map.cookie_mode = arg;
    else if (method === 'revoke') map.revoked = { reason: arg, options: args[1] === undefined ? null : args[1] };
    else {
      if (!map.metadata) map.metadata = {};
      if (method === 'setMetadata') { if (typeof args[0] === 'string') map.metadata[args[0]] = args[1] === undefined ? null : args[1]; }
      else if (method === 'deleteMetadata') { if (typeof args[0] === 'string') map.metadata[args[0]] = null; }
      else { map.metadata = {}; map.metadata_evicted = true; }
    }
  };
  for (const c of outcome.calls.filter(effective)) {
    const arg = (i) => (c.args[i] === undefined ? null : c.args[i]);
    const [ns, method] = c.method.split('.');
    if (outcome.denied === null) outcome.denied = denialOf(c);
    if ((ns === 'accessToken' || ns === 'idToken') && method === 'setCustomClaim') {
      if (typeof c.args[0] !== 'string') continue;
      const token = ns === 'accessToken' ? 'access' : 'id';
      const reason = dropReason(token, c.args[0], audience);
      if (reason) {
        const d = { token: token + '_token', claim: c.args[0], reason };
        if (!outcome.dropped_claims.some((x) => x.token === d.token && x.claim === d.claim && x.reason === d.reason)) outcome.dropped_claims.push(d);
      } else outcome[token + '_token'].claims[c.args[0]] = arg(1);
    } else if (ns === 'accessToken' && (method === 'addScope' || method === 'removeScope')) {
      if (typeof c.args[0] === 'string') scopeOps.push([c.args[0].trim(), method === 'addScope']);
    } else if (ns === 'user' && (method === 'setAppMetadata' || method === 'setUserMetadata')) {
      if (typeof c.args[0] === 'string') outcome.user[method === 'setAppMetadata' ? 'app_metadata' : 'user_metadata'][c.args[0]] = arg(1);
    } else if (c.method === 'authentication.setPrimaryUser') outcome.primary_user = typeof c.args[0] === 'string' ? c.args[0] : null;
    else if (c.method === 'authentication.recordMethod') outcome.recorded_methods.push(arg(0));
    else if (MFA.includes(c.method)) {
      mfaCommands += 1;
      let factor = null;
      // Only Actions that completed without pausing had their MFA step carried out.
      const carriedOut = outcome.actions.some((a) => a.name === c.action && a.status === 'completed')
        && !(outcome.redirect && outcome.redirect.action === c.action)
        && !(outcome.prompt && outcome.prompt.action === c.action);
      if (ledger !== null && carriedOut) {
        const result = ledger.resolve(c);
        if (result.error !== undefined) ledger = null;
        else factor = result.factor;
      }
      outcome.mfa.steps.push({ action: c.action, command: method, factors: mfaFactors(c), factor });
    } else if (c.method === 'multifactor.enable') outcome.mfa.enable = { provider: arg(0), options: arg(1) };
    else if (c.method === 'transaction.setMetadata') {
      if (typeof c.args[0] === 'string') {
        if (arg(1) === null) delete outcome.transaction_metadata[c.args[0]];
        else outcome.transaction_metadata[c.args[0]] = arg(1);
      }
    } else if (ns === 'session') lifetime(outcome.session, method, c.args);
    else if (ns === 'refreshToken') lifetime(outcome.refresh_token, method, c.args);
    else if (c.method === 'samlResponse.setAttribute') {
      if (!outcome.saml.attributes) outcome.saml.attributes = {};
      if (typeof c.args[0] === 'string') outcome.saml.attributes[c.args[0]] = arg(1);
    } else if (ns === 'samlResponse') {
      const key = method.replace(/^set/, '');
      outcome.saml[key.charAt(0).toLowerCase() + key.slice(1)] = arg(0);
    } else if (c.method === 'validation.error') outcome.validation_error = { code: arg(0), message: arg(1) };
  }
  const order = [];
  for (const [s] of scopeOps) if (!order.includes(s)) order.push(s);
  for (const s of order) {
    const last = scopeOps.filter(([x]) => x === s).pop();
    outcome.access_token.scopes[last[1] ? 'added' : 'removed'].push(s);
  }
  if (outcome.error === null) {
    for (const [label, token] of [['access token', outcome.access_token], ['ID token', outcome.id_token]]) {
      const size = Object.entries(token.claims).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v)), 0);
      if (size > LIMITS.MAX_CUSTOM_CLAIMS_BYTES) {
        outcome.error = { kind: 'authentication', action: null, message: 'the custom claims of the ' + label + ' total ' + size + ' bytes, more than the ' + LIMITS.MAX_CUSTOM_CLAIMS_BYTES + '-byte limit' };
        break;
      }
    }
  }
  if (outcome.error === null && mfaCommands > LIMITS.MAX_MFA_COMMANDS) {
    outcome.error = { kind: 'authentication', action: null, message: mfaCommands + ' MFA challenge/enrollment commands in one flow (at most ' + LIMITS.MAX_MFA_COMMANDS + ')' };
  }
}

function redirectable(event) {
  const protocol = event.transaction ? event.transaction.protocol : undefined;
  const prompt = event.request && event.request.query ? event.request.query.prompt : undefined;
  return prompt !== 'none' && !['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'oauth2-webauthn'].includes(protocol);
}

async function main() {
  const instances = actionPaths.map((file) => {
    try {
      return loadAction(file);
    } catch (e) {
      return fail('failed to load action `' + file + '`: ' + e.message);
    }
  });
  let event = completeEvent(JSON.parse(JSON.stringify(input.event)));
  const audience = (event.resource_server && event.resource_server.identifier) || (event.request && event.request.query && event.request.query.audience) || null;
  let cache = [];
  let status = 'completed';
  let error = null;
  let redirect = null;
  let prompt = null;
  let stopped = false;
  let clockMs = input.clock;
  const mfa = mfaLedger(input.event.user);
  const actions = [];
  for (const instance of instances) {
    if (stopped) {
      actions.push({ name: instance.name, entries: [], status: 'skipped', calls: 0 });
      continue;
    }
    const first = calls.length;
    let unflushed = first;
    const entries = ['onExecutePostLogin'];
    let execEvent = JSON.parse(JSON.stringify(event));
    virtualNow = clockMs;
    let exec = await execute(instance, 'onExecutePostLogin', execEvent, cache);
    cache = exec.cache;
    clockMs += exec.virtual || 0;
    let own = calls.slice(first);
    const denied = own.filter(effective).map(denialOf).find((d) => d);
    const rendered = own.filter(effective).find((c) => c.method === 'prompt.render');
    if (!exec.error && !denied && exec.redirect && !redirectable(execEvent)) {
      exec.error = { kind: 'authentication', action: instance.name, message: 'interaction_required: api.redirect.sendUserTo is not possible for this protocol or with prompt=none' };
    }
    if (!exec.error && !denied && (exec.redirect || rendered)) {
      if (input.resume) {
        applyUpdates(execEvent, own);
        execEvent = JSON.parse(JSON.stringify(execEvent));
        if (!execEvent.request || typeof execEvent.request !== 'object') execEvent.request = {};
        execEvent.request.query = input.resume.query || {};
        execEvent.request.body = input.resume.body || {};
        execEvent.request.method = Object.keys(input.resume.body || {}).length ? 'POST' : 'GET';
        if (rendered) {
          const vars = rendered.args[1] && rendered.args[1].vars ? rendered.args[1].vars : {};
          execEvent.prompt = { id: rendered.args[0] === undefined ? null : rendered.args[0], fields: input.resume.fields || {}, vars };
        }
        entries.push('onContinuePostLogin');
        unflushed = calls.length;
        virtualNow = clockMs;
        exec = await execute(instance, 'onContinuePostLogin', execEvent, cache);
        cache = exec.cache;
        clockMs += exec.virtual || 0;
      } else {
        stopped = true;
        if (exec.redirect) {
          status = 'redirected';
          redirect = { action: instance.name, url: exec.redirect };
        } else {
          status = 'prompted';
          prompt = { action: instance.name, id: rendered.args[0] === undefined ? null : rendered.args[0], options: rendered.args[1] === undefined ? null : rendered.args[1] };
        }
      }
    }
    own = calls.slice(first);
    if (exec.error) {
      for (const c of own) c.discarded = true;
      actions.push({ name: instance.name, entries, status: 'failed', calls: own.length });
      status = 'failed';
      error = exec.error;
      redirect = null;
      prompt = null;
      stopped = true;
      continue;
    }
    if (own.some((c) => effective(c) && c.method === 'authentication.setPrimaryUser')) {
      // Auth0 discards the user_metadata of an Action that switches the primary user.
      for (const c of calls.slice(unflushed)) if (c.method === 'user.setUserMetadata') c.discarded = true;
    }
    if (own.filter(effective).some((c) => denialOf(c))) {
      actions.push({ name: instance.name, entries, status: 'denied', calls: own.length });
      status = 'denied';
      redirect = null;
      prompt = null;
      stopped = true;
      continue;
    }
    actions.push({ name: instance.name, entries, status: 'completed', calls: own.length });
    applyUpdates(event, own);
    if (!stopped) {
      const failure = passMfaSteps(event, mfa, own, clockMs);
      if (failure !== null) {
        status = 'failed';
        error = { kind: 'authentication', action: instance.name, message: failure };
        stopped = true;
      }
    }
  }
  const initialTx = input.event.transaction && input.event.transaction.metadata;
  const outcome = {
    status, error, calls, logs, fetches, actions,
    denied: null,
    access_token: { claims: {}, scopes: { added: [], removed: [] } },
    id_token: { claims: {} },
    dropped_claims: [],
    mfa: { enable: null, steps: [] },
    redirect, prompt,
    user: { app_metadata: {}, user_metadata: {} },
    primary_user: null,
    recorded_methods: [],
    transaction_metadata: initialTx && typeof initialTx === 'object' ? Object.assign({}, initialTx) : {},
    session: {}, refresh_token: {}, saml: {},
    validation_error: null,
  };
  aggregate(outcome, audience);
  const refresh = input.event.transaction && input.event.transaction.protocol === 'oauth2-refresh-token';
  if (outcome.error === null && refresh && (outcome.mfa.enable !== null || outcome.mfa.steps.length > 0)) {
    outcome.error = { kind: 'authentication', action: null, message: 'MFA was requested during a refresh-token exchange, which makes the exchange fail (skip MFA when event.transaction.protocol is `oauth2-refresh-token`)' };
  }
  const primaryCall = outcome.calls.filter((c) => effective(c) && c.method === 'authentication.setPrimaryUser').pop();
  if (outcome.error === null && outcome.status === 'completed' && primaryCall) {
    outcome.error = primaryUserFailure(primaryCall, input.event.user ? input.event.user.user_id : undefined);
  }
  if (outcome.error && outcome.status !== 'failed') outcome.status = 'failed';
  // What the tenant log keeps of each Action's console output: 256 code points of its lines.
  for (const summary of actions) {
    const lines = logs.filter((l) => l.action === summary.name).map((l) => l.message);
    if (lines.length) summary.persisted_log = Array.from(lines.join('\n')).slice(0, 256).join('');
  }
  // Drop undefined `name` so the JSON matches serde's skip_serializing_if.
  process.stdout.write(JSON.stringify(outcome, null, 2) + '\n');
  process.exitCode = outcome.status === 'failed' ? 1 : 0;
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
