// The slice of Node 22 that Actions (and the generated wasm-bindgen Action) use: Buffer, require
// with a table of built-in modules (zlib, buffer, url, util, crypto's randomness) and the
// fixture's Actions Modules, URL / URLSearchParams, FormData, a fixture-answered fetch, and a
// seeded Math.random. Bytes-heavy work (base64,
// inflate, brotli) is done by the Rust natives passed in as `native`.
(function (native) {
  'use strict';

  class Buffer extends Uint8Array {
    static from(value, encoding) {
      if (typeof value === 'string') {
        const enc = (encoding || 'utf8').toLowerCase();
        if (enc === 'base64' || enc === 'base64url') return new Buffer(native.base64Decode(value));
        if (enc === 'hex') {
          const out = new Buffer(value.length >> 1);
          for (let i = 0; i < out.length; i++) out[i] = parseInt(value.substr(i * 2, 2), 16);
          return out;
        }
        if (enc === 'utf8' || enc === 'utf-8') return new Buffer(new TextEncoder().encode(value).buffer);
        if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') {
          const out = new Buffer(value.length);
          for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i) & 0xff;
          return out;
        }
        throw new TypeError('Unknown encoding: ' + encoding);
      }
      if (value instanceof ArrayBuffer) return new Buffer(value.slice(0));
      if (ArrayBuffer.isView(value) || Array.isArray(value)) {
        const out = new Buffer(value.length);
        for (let i = 0; i < value.length; i++) out[i] = value[i] & 0xff;
        return out;
      }
      throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.');
    }
    static isBuffer(value) {
      return value instanceof Buffer;
    }
    static alloc(size) {
      return new Buffer(size);
    }
    static byteLength(value, encoding) {
      return Buffer.from(value, encoding).length;
    }
    static concat(list) {
      let total = 0;
      for (const b of list) total += b.length;
      const out = new Buffer(total);
      let offset = 0;
      for (const b of list) {
        out.set(b, offset);
        offset += b.length;
      }
      return out;
    }
    toString(encoding) {
      const enc = (encoding || 'utf8').toLowerCase();
      if (enc === 'base64') return native.base64Encode(bytesOf(this), false);
      if (enc === 'base64url') return native.base64Encode(bytesOf(this), true);
      if (enc === 'hex') {
        let s = '';
        for (let i = 0; i < this.length; i++) s += (this[i] < 16 ? '0' : '') + this[i].toString(16);
        return s;
      }
      if (enc === 'latin1' || enc === 'binary' || enc === 'ascii') {
        let s = '';
        for (let i = 0; i < this.length; i++) s += String.fromCharCode(this[i]);
        return s;
      }
      return new TextDecoder().decode(this);
    }
    toJSON() {
      return { type: 'Buffer', data: Array.from(this) };
    }
  }

  // A standalone ArrayBuffer holding exactly the view's bytes, for the natives.
  function bytesOf(view) {
    if (view instanceof ArrayBuffer) return view;
    if (!ArrayBuffer.isView(view)) throw new TypeError('The "buffer" argument must be an instance of Buffer, TypedArray, or DataView.');
    return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
  }

  const zlib = {
    gunzipSync: (data) => new Buffer(native.inflate(bytesOf(data), 'gzip')),
    inflateSync: (data) => new Buffer(native.inflate(bytesOf(data), 'zlib')),
    inflateRawSync: (data) => new Buffer(native.inflate(bytesOf(data), 'raw')),
    brotliDecompressSync: (data) => new Buffer(native.inflate(bytesOf(data), 'brotli')),
    unzipSync: (data) => new Buffer(native.inflate(bytesOf(data), 'auto')),
  };

  function encodeForm(s) {
    return encodeURIComponent(s).replace(/%20/g, '+');
  }
  function decodeForm(s) {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  }

  class URLSearchParams {
    constructor(init) {
      this._list = [];
      this._url = null;
      if (typeof init === 'string') {
        const s = init.charAt(0) === '?' ? init.slice(1) : init;
        for (const part of s.split('&')) {
          if (!part) continue;
          const eq = part.indexOf('=');
          this._list.push(eq === -1 ? [decodeForm(part), ''] : [decodeForm(part.slice(0, eq)), decodeForm(part.slice(eq + 1))]);
        }
      } else if (init && typeof init === 'object') {
        const entries = Array.isArray(init) ? init : Object.keys(init).map((k) => [k, init[k]]);
        for (const [k, v] of entries) this._list.push([String(k), String(v)]);
      }
    }
    _update() {
      if (this._url) this._url._search = this._list.length ? '?' + this.toString() : '';
    }
    get(name) {
      const found = this._list.find((e) => e[0] === name);
      return found ? found[1] : null;
    }
    getAll(name) {
      return this._list.filter((e) => e[0] === name).map((e) => e[1]);
    }
    has(name) {
      return this._list.some((e) => e[0] === name);
    }
    set(name, value) {
      const i = this._list.findIndex((e) => e[0] === name);
      if (i === -1) this._list.push([String(name), String(value)]);
      else {
        this._list[i][1] = String(value);
        this._list = this._list.filter((e, j) => j <= i || e[0] !== name);
      }
      this._update();
    }
    append(name, value) {
      this._list.push([String(name), String(value)]);
      this._update();
    }
    delete(name) {
      this._list = this._list.filter((e) => e[0] !== name);
      this._update();
    }
    forEach(fn) {
      for (const [k, v] of this._list) fn(v, k, this);
    }
    entries() {
      return this._list.map((e) => [e[0], e[1]])[Symbol.iterator]();
    }
    keys() {
      return this._list.map((e) => e[0])[Symbol.iterator]();
    }
    values() {
      return this._list.map((e) => e[1])[Symbol.iterator]();
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    toString() {
      return this._list.map((e) => encodeForm(e[0]) + '=' + encodeForm(e[1])).join('&');
    }
  }

  const URL_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*:)\/\/(?:([^@/?#]*)@)?([^/?#:]*)(?::(\d*))?([^?#]*)(\?[^#]*)?(#.*)?$/;
  class URL {
    constructor(input, base) {
      let text = String(input);
      if (base !== undefined && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text)) {
        const b = new URL(base);
        text = text.charAt(0) === '/' ? b.origin + text : b.origin + b.pathname.replace(/[^/]*$/, '') + text;
      }
      const m = URL_PATTERN.exec(text.trim());
      if (!m || !m[3]) {
        const error = new TypeError('Invalid URL');
        error.code = 'ERR_INVALID_URL';
        error.input = text;
        throw error;
      }
      this.protocol = m[1].toLowerCase();
      this.hostname = m[3].toLowerCase();
      const defaultPort = { 'http:': '80', 'https:': '443' }[this.protocol];
      this.port = m[4] && m[4] !== defaultPort ? m[4] : '';
      this.pathname = m[5] || '/';
      this._search = m[6] && m[6] !== '?' ? m[6] : '';
      this.hash = m[7] && m[7] !== '#' ? m[7] : '';
      this.username = '';
      this.password = '';
      this.searchParams = new URLSearchParams(this._search);
      this.searchParams._url = this;
      if (this.searchParams._list.length) this._search = '?' + this.searchParams.toString();
    }
    get host() {
      return this.hostname + (this.port ? ':' + this.port : '');
    }
    get origin() {
      return this.protocol + '//' + this.host;
    }
    get search() {
      return this._search;
    }
    set search(value) {
      this.searchParams = new URLSearchParams(String(value));
      this.searchParams._url = this;
      this.searchParams._update();
    }
    get href() {
      return this.origin + this.pathname + this._search + this.hash;
    }
    toString() {
      return this.href;
    }
    toJSON() {
      return this.href;
    }
  }

  // WHATWG FormData with string entries (a Node 22 global; Auth0's docs post one with fetch). The
  // messages are undici's. There is no Blob in this runtime, so Blob/File entries are refused.
  function argumentsRequired(method, args, min) {
    if (args.length < min) {
      throw new TypeError('FormData.' + method + ': ' + min + ' argument' + (min === 1 ? '' : 's') + ' required, but' +
        (args.length ? ' only ' : ' ') + args.length + ' found.');
    }
  }
  // WebIDL USVString, as undici converts names and values: a Symbol throws, lone surrogates
  // become U+FFFD.
  function usv(value) {
    if (typeof value === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
    const text = String(value);
    return typeof text.toWellFormed === 'function' ? text.toWellFormed() : text;
  }
  // The entries of a FormData as fetch sends them, whatever its iterator was replaced with.
  let formEntriesOf;
  function formEntry(method, args) {
    argumentsRequired(method, args, 2);
    const value = args[1];
    const blobLike = value !== null && typeof value === 'object' &&
      (value[Symbol.toStringTag] === 'Blob' || value[Symbol.toStringTag] === 'File');
    if (blobLike) {
      throw new TypeError('FormData.' + method + ': Blob and File values are not supported by the actionkit harness (only string values)');
    }
    if (args.length === 3) {
      throw new TypeError("Failed to execute '" + method + "' on 'FormData': parameter 2 is not of type 'Blob'");
    }
    return [usv(args[0]), usv(value)];
  }
  class FormData {
    #entries = [];
    static {
      formEntriesOf = (form) => form.#entries.map((e) => [e[0], e[1]]);
    }
    constructor(form) {
      if (form !== undefined) throw new TypeError('FormData constructor: Argument 1 could not be converted to: undefined.');
    }
    append(...args) {
      this.#entries.push(formEntry('append', args));
    }
    set(...args) {
      const entry = formEntry('set', args);
      const i = this.#entries.findIndex((e) => e[0] === entry[0]);
      if (i === -1) {
        this.#entries.push(entry);
        return;
      }
      // The first entry of that name takes the value, the later ones go.
      this.#entries = this.#entries.filter((e, j) => j <= i || e[0] !== entry[0]);
      this.#entries[i] = entry;
    }
    get(...args) {
      argumentsRequired('get', args, 1);
      const found = this.#entries.find((e) => e[0] === usv(args[0]));
      return found ? found[1] : null;
    }
    getAll(...args) {
      argumentsRequired('getAll', args, 1);
      return this.#entries.filter((e) => e[0] === usv(args[0])).map((e) => e[1]);
    }
    has(...args) {
      argumentsRequired('has', args, 1);
      return this.#entries.some((e) => e[0] === usv(args[0]));
    }
    delete(...args) {
      argumentsRequired('delete', args, 1);
      const name = usv(args[0]);
      this.#entries = this.#entries.filter((e) => e[0] !== name);
    }
    forEach(callback, thisArg) {
      if (typeof callback !== 'function') {
        throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
      }
      for (const [name, value] of this.#entries) callback.call(thisArg, value, name, this);
    }
    entries() {
      return this.#entries.map((e) => [e[0], e[1]])[Symbol.iterator]();
    }
    keys() {
      return this.#entries.map((e) => e[0])[Symbol.iterator]();
    }
    values() {
      return this.#entries.map((e) => e[1])[Symbol.iterator]();
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    get [Symbol.toStringTag]() {
      return 'FormData';
    }
  }

  class Headers {
    constructor(init) {
      this._map = new Map();
      if (init instanceof Headers) init.forEach((v, k) => this.set(k, v));
      else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
      else if (init && typeof init === 'object') for (const k of Object.keys(init)) this.set(k, init[k]);
    }
    get(name) {
      const v = this._map.get(String(name).toLowerCase());
      return v === undefined ? null : v;
    }
    has(name) {
      return this._map.has(String(name).toLowerCase());
    }
    set(name, value) {
      this._map.set(String(name).toLowerCase(), String(value));
    }
    append(name, value) {
      const key = String(name).toLowerCase();
      this._map.set(key, this._map.has(key) ? this._map.get(key) + ', ' + value : String(value));
    }
    delete(name) {
      this._map.delete(String(name).toLowerCase());
    }
    forEach(fn) {
      for (const [k, v] of this._map) fn(v, k, this);
    }
    entries() {
      return this._map.entries();
    }
    [Symbol.iterator]() {
      return this._map.entries();
    }
    toJSON() {
      const out = {};
      for (const [k, v] of this._map) out[k] = v;
      return out;
    }
  }

  class Response {
    constructor(body, init) {
      this._body = body === undefined || body === null ? '' : String(body);
      this.status = init && init.status !== undefined ? init.status : 200;
      this.statusText = (init && init.statusText) || '';
      this.headers = new Headers(init && init.headers);
      this.ok = this.status >= 200 && this.status < 300;
      this.url = (init && init.url) || '';
      this.bodyUsed = false;
    }
    _consume() {
      if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
      this.bodyUsed = true;
      return Promise.resolve(this._body);
    }
    text() {
      return this._consume();
    }
    json() {
      return this._consume().then((text) => JSON.parse(text));
    }
    arrayBuffer() {
      return this._consume().then((text) => new TextEncoder().encode(text).buffer);
    }
  }

  function fetch(input, init) {
    return new Promise((resolve, reject) => {
      const url = input instanceof URL ? input.href : input && typeof input === 'object' && input.url ? input.url : String(input);
      const options = init || {};
      const method = String(options.method || (input && input.method) || 'GET').toUpperCase();
      let body = options.body;
      // A FormData body is recorded as its entries: Node's multipart encoding has a random boundary.
      let form = null;
      if (body instanceof FormData) {
        form = formEntriesOf(body);
        body = undefined;
      } else if (body instanceof URLSearchParams) body = body.toString();
      else if (body !== undefined && body !== null && typeof body !== 'string') body = JSON.stringify(body);
      const headers = new Headers(options.headers).toJSON();
      const request = { method: method, url: url, headers: headers, body: body === undefined ? null : body, form: form };
      const answer = JSON.parse(native.fetch(JSON.stringify(request)));
      if (answer.error !== undefined) {
        const error = new TypeError('fetch failed');
        error.cause = new Error(answer.error);
        reject(error);
        return;
      }
      resolve(new Response(answer.body, { status: answer.status, headers: answer.headers, url: url }));
    });
  }

  // mulberry32: tiny, seedable, good enough for test data; reproducible across runs and platforms.
  let randomState = native.seed >>> 0;
  function random() {
    randomState = (randomState + 0x6d2b79f5) >>> 0;
    let t = randomState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function randomUUID() {
    const hex = [];
    for (let i = 0; i < 16; i++) {
      let b = Math.floor(random() * 256);
      if (i === 6) b = (b & 0x0f) | 0x40;
      if (i === 8) b = (b & 0x3f) | 0x80;
      hex.push((b < 16 ? '0' : '') + b.toString(16));
    }
    return hex.slice(0, 4).join('') + '-' + hex.slice(4, 6).join('') + '-' + hex.slice(6, 8).join('') + '-' +
      hex.slice(8, 10).join('') + '-' + hex.slice(10).join('');
  }
  function getRandomValues(array) {
    for (let i = 0; i < array.length; i++) array[i] = Math.floor(random() * 256);
    return array;
  }
  const crypto = { randomUUID: randomUUID, getRandomValues: getRandomValues };

  const util = {
    format: native.format.format,
    inspect: native.format.inspect,
    isDeepStrictEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    TextEncoder: TextEncoder,
    TextDecoder: TextDecoder,
  };

  const modules = {
    zlib: zlib,
    buffer: { Buffer: Buffer },
    url: { URL: URL, URLSearchParams: URLSearchParams },
    util: util,
    crypto: { randomUUID: randomUUID, getRandomValues: getRandomValues, webcrypto: crypto },
  };

  function moduleNotFound(name) {
    const error = new Error("Cannot find module '" + name + "'");
    error.code = 'MODULE_NOT_FOUND';
    return error;
  }

  // Actions Modules, `require('actions:NAME')`: like Auth0's loader, each is compiled lazily on
  // its first require, once per Action instance (this context), and its code sees a pseudo-global
  // `actions = { secrets }` with the module's own secrets. A module that throws is not cached,
  // as in Node. The declarations come from the run's fixture through `native.actionsModule`;
  // the cache is keyed by the whole declaration (name, source, secrets), so a warm instance
  // reuses a module only while the fixtures declare the very same one.
  const actionsModules = new Map();
  function requireActionsModule(specifier) {
    const name = specifier.slice('actions:'.length);
    const declared = native.actionsModule(name);
    if (declared === undefined) throw moduleNotFound(specifier);
    const key = name + '\u0000' + declared;
    const cached = actionsModules.get(key);
    if (cached) return cached.exports;
    const { source, secrets } = JSON.parse(declared);
    const compiled = new Function('module', 'exports', 'require', 'console', 'actions', source);
    const module = { exports: {} };
    actionsModules.set(key, module);
    try {
      compiled.call(module.exports, module, module.exports, require, globalThis.console, { secrets: secrets });
    } catch (e) {
      actionsModules.delete(key);
      throw e;
    }
    return module.exports;
  }

  function require(name) {
    const specifier = String(name);
    if (specifier.startsWith('actions:')) return requireActionsModule(specifier);
    const key = specifier.replace(/^node:/, '');
    if (Object.prototype.hasOwnProperty.call(modules, key)) return modules[key];
    throw moduleNotFound(name);
  }

  // Node's `process`, minus everything that reaches the host: an empty environment (secrets
  // come from event.secrets), a Node 22 version, and nextTick on the microtask queue.
  const process = {
    env: {},
    version: 'v22.14.0',
    versions: { node: '22.14.0' },
    platform: 'linux',
    argv: [],
    nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
    hrtime: Object.assign((prev) => {
      const ns = Date.now() * 1e6;
      const t = [Math.floor(ns / 1e9), ns % 1e9];
      return prev ? [t[0] - prev[0], t[1] - prev[1]] : t;
    }, { bigint: () => BigInt(Date.now()) * 1000000n }),
  };
  modules.process = process;

  Math.random = random;
  globalThis.process = process;
  globalThis.Buffer = Buffer;
  globalThis.URL = URL;
  globalThis.URLSearchParams = URLSearchParams;
  globalThis.FormData = FormData;
  globalThis.Headers = Headers;
  globalThis.Response = Response;
  globalThis.fetch = fetch;
  globalThis.crypto = crypto;
  return { require: require, reseed: (seed) => { randomState = seed >>> 0; } };
})
