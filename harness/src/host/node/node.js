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
          // Node stops at the first pair that is not two hex digits.
          const bytes = [];
          for (let i = 0; i + 1 < value.length; i += 2) {
            const pair = value.slice(i, i + 2);
            if (!/^[0-9a-fA-F]{2}$/.test(pair)) break;
            bytes.push(parseInt(pair, 16));
          }
          return Buffer.from(bytes);
        }
        if (enc === 'utf16le' || enc === 'utf-16le' || enc === 'ucs2' || enc === 'ucs-2') {
          const out = new Buffer(value.length * 2);
          for (let i = 0; i < value.length; i++) {
            const c = value.charCodeAt(i);
            out[i * 2] = c & 0xff;
            out[i * 2 + 1] = c >> 8;
          }
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
      throw invalidArgType('first', 'of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', value, 'The first argument');
    }
    static isBuffer(value) {
      return value instanceof Buffer;
    }
    static alloc(size, fill, encoding) {
      const out = new Buffer(size);
      if (fill !== undefined && fill !== 0) out.fill(fill, 0, out.length, encoding);
      return out;
    }
    static allocUnsafe(size) {
      return new Buffer(size);
    }
    static isEncoding(encoding) {
      return typeof encoding === 'string' && ENCODINGS.includes(encoding.toLowerCase());
    }
    static compare(a, b) {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      }
      return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    }
    compare(other) {
      return Buffer.compare(this, other);
    }
    equals(other) {
      if (!(other instanceof Uint8Array)) {
        throw invalidArgType('otherBuffer', 'an instance of Buffer or Uint8Array', other);
      }
      return Buffer.compare(this, other) === 0;
    }
    fill(value, offset, end, encoding) {
      if (typeof offset === 'string') {
        encoding = offset;
        offset = 0;
        end = this.length;
      }
      const start = offset === undefined ? 0 : offset;
      const stop = end === undefined ? this.length : end;
      if (typeof value === 'number') {
        for (let i = start; i < stop; i++) this[i] = value & 0xff;
        return this;
      }
      const bytes = typeof value === 'string' ? Buffer.from(value, encoding) : value;
      if (bytes.length === 0) {
        for (let i = start; i < stop; i++) this[i] = 0;
        return this;
      }
      for (let i = start, j = 0; i < stop; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
      return this;
    }
    // Node's slice is a view, like subarray.
    slice(start, end) {
      return this.subarray(start, end);
    }
    write(string, offset, length, encoding) {
      if (typeof offset === 'string') {
        encoding = offset;
        offset = 0;
      } else if (typeof length === 'string') {
        encoding = length;
        length = undefined;
      }
      const start = offset || 0;
      const bytes = Buffer.from(string, encoding);
      const count = Math.min(bytes.length, this.length - start, length === undefined ? Infinity : length);
      for (let i = 0; i < count; i++) this[start + i] = bytes[i];
      return count;
    }
    _view() {
      return new DataView(this.buffer, this.byteOffset, this.byteLength);
    }
    readUInt8(o = 0) { return this._view().getUint8(o); }
    readInt8(o = 0) { return this._view().getInt8(o); }
    readUInt16BE(o = 0) { return this._view().getUint16(o); }
    readUInt16LE(o = 0) { return this._view().getUint16(o, true); }
    readInt16BE(o = 0) { return this._view().getInt16(o); }
    readInt16LE(o = 0) { return this._view().getInt16(o, true); }
    readUInt32BE(o = 0) { return this._view().getUint32(o); }
    readUInt32LE(o = 0) { return this._view().getUint32(o, true); }
    readInt32BE(o = 0) { return this._view().getInt32(o); }
    readInt32LE(o = 0) { return this._view().getInt32(o, true); }
    readBigUInt64BE(o = 0) { return this._view().getBigUint64(o); }
    readBigUInt64LE(o = 0) { return this._view().getBigUint64(o, true); }
    readDoubleBE(o = 0) { return this._view().getFloat64(o); }
    readDoubleLE(o = 0) { return this._view().getFloat64(o, true); }
    writeUInt8(v, o = 0) { this._view().setUint8(o, v); return o + 1; }
    writeUInt16BE(v, o = 0) { this._view().setUint16(o, v); return o + 2; }
    writeUInt16LE(v, o = 0) { this._view().setUint16(o, v, true); return o + 2; }
    writeUInt32BE(v, o = 0) { this._view().setUint32(o, v); return o + 4; }
    writeUInt32LE(v, o = 0) { this._view().setUint32(o, v, true); return o + 4; }
    writeInt32BE(v, o = 0) { this._view().setInt32(o, v); return o + 4; }
    writeInt32LE(v, o = 0) { this._view().setInt32(o, v, true); return o + 4; }
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
    toString(encoding, start, end) {
      if (start !== undefined || end !== undefined) return Buffer.prototype.toString.call(this.subarray(start || 0, end), encoding);
      const enc = (encoding || 'utf8').toLowerCase();
      if (enc === 'utf16le' || enc === 'utf-16le' || enc === 'ucs2' || enc === 'ucs-2') {
        let s = '';
        for (let i = 0; i + 1 < this.length; i += 2) s += String.fromCharCode(this[i] | (this[i + 1] << 8));
        return s;
      }
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

  const ENCODINGS = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'ascii', 'latin1', 'binary', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le'];

  // Node's ERR_INVALID_ARG_TYPE (lib/internal/errors.js), for the values Actions pass by mistake.
  function invalidArgType(name, expected, value, subject) {
    let received;
    if (value === null || value === undefined) received = 'Received ' + value;
    else if (typeof value === 'function') received = 'Received function ' + (value.name || '');
    else if (typeof value === 'object') received = value.constructor && value.constructor.name ? 'Received an instance of ' + value.constructor.name : 'Received [Object: null prototype] {}';
    else {
      let shown = typeof value === 'string' ? "'" + value + "'" : String(value);
      if (shown.length > 28) shown = shown.slice(0, 25) + '...';
      received = 'Received type ' + typeof value + ' (' + shown + ')';
    }
    const error = new TypeError((subject || 'The "' + name + '" argument') + ' must be ' + expected + '. ' + received);
    error.code = 'ERR_INVALID_ARG_TYPE';
    return error;
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

  // application/x-www-form-urlencoded, as WHATWG defines it for URLSearchParams: only ASCII
  // alphanumerics and `*-._` stay, a space is `+`; parsing decodes `+` and valid `%XX` bytes as
  // UTF-8 (invalid sequences stay as written, bad bytes become U+FFFD).
  function encodeForm(s) {
    return encodeURIComponent(usv(s))
      .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
      .replace(/%20/g, '+');
  }
  function decodeForm(s) {
    const text = s.replace(/\+/g, ' ');
    if (!text.includes('%')) return text;
    const bytes = [];
    const utf8 = new TextEncoder().encode(text);
    for (let i = 0; i < utf8.length; i++) {
      const hex = (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
      if (utf8[i] === 37 && i + 2 < utf8.length && hex(utf8[i + 1]) && hex(utf8[i + 2])) {
        bytes.push(parseInt(String.fromCharCode(utf8[i + 1], utf8[i + 2]), 16));
        i += 2;
      } else bytes.push(utf8[i]);
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
  function parseForm(init) {
    const list = [];
    const s = init.charAt(0) === '?' ? init.slice(1) : init;
    for (const part of s.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      list.push(eq === -1 ? [decodeForm(part), ''] : [decodeForm(part.slice(0, eq)), decodeForm(part.slice(eq + 1))]);
    }
    return list;
  }

  class URLSearchParams {
    constructor(init) {
      this._list = [];
      this._url = null;
      if (init === undefined || init === null) return;
      if (typeof init === 'object' || typeof init === 'function') {
        if (typeof init[Symbol.iterator] === 'function') {
          for (const pair of init) {
            const entry = Array.from(pair);
            if (entry.length !== 2) {
              const error = new TypeError('Each query pair must be an iterable [name, value] tuple');
              error.code = 'ERR_INVALID_TUPLE';
              throw error;
            }
            this._list.push([usv(entry[0]), usv(entry[1])]);
          }
        } else {
          for (const k of Object.keys(init)) this._list.push([usv(k), usv(init[k])]);
        }
      } else {
        this._list = parseForm(usv(init));
      }
    }
    _update() {
      if (this._url) this._url._setQuery(this.toString());
    }
    get(name) {
      const found = this._list.find((e) => e[0] === usv(name));
      return found ? found[1] : null;
    }
    getAll(name) {
      return this._list.filter((e) => e[0] === usv(name)).map((e) => e[1]);
    }
    has(name, value) {
      const n = usv(name);
      return value === undefined ? this._list.some((e) => e[0] === n) : this._list.some((e) => e[0] === n && e[1] === usv(value));
    }
    get size() {
      return this._list.length;
    }
    // Stable sort by name in UTF-16 code units, as WHATWG specifies.
    sort() {
      this._list = this._list.map((e, i) => [e, i]).sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map((x) => x[0]);
      this._update();
    }
    set(name, value) {
      const n = usv(name);
      const i = this._list.findIndex((e) => e[0] === n);
      if (i === -1) this._list.push([n, usv(value)]);
      else {
        this._list[i][1] = usv(value);
        this._list = this._list.filter((e, j) => j <= i || e[0] !== n);
      }
      this._update();
    }
    append(name, value) {
      this._list.push([usv(name), usv(value)]);
      this._update();
    }
    delete(name, value) {
      const n = usv(name);
      this._list = value === undefined ? this._list.filter((e) => e[0] !== n) : this._list.filter((e) => !(e[0] === n && e[1] === usv(value)));
      this._update();
    }
    forEach(fn, thisArg) {
      for (const [k, v] of this._list) fn.call(thisArg, v, k, this);
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
    get [Symbol.toStringTag]() {
      return 'URLSearchParams';
    }
  }

  // WHATWG URL on the `url` crate (native.urlParse/urlSet): IDNA hostnames, dot segments,
  // each component's percent-encode set, the setters' rules.
  function invalidUrl(input, base) {
    const error = new TypeError('Invalid URL');
    error.code = 'ERR_INVALID_URL';
    error.input = input;
    if (base !== undefined) error.base = base;
    return error;
  }
  class URL {
    #c;
    #params;
    static canParse(input, base) {
      return native.urlParse(usv(input), base === undefined ? undefined : usv(base)) !== null;
    }
    static parse(input, base) {
      try {
        return new URL(input, base);
      } catch (e) {
        return null;
      }
    }
    constructor(input, base) {
      if (arguments.length === 0) {
        const error = new TypeError('The "url" argument must be specified');
        error.code = 'ERR_MISSING_ARGS';
        throw error;
      }
      const text = usv(input);
      const baseText = base === undefined ? undefined : usv(base);
      const parsed = native.urlParse(text, baseText);
      if (parsed === null) throw invalidUrl(text, baseText);
      this.#c = JSON.parse(parsed);
      this.#params = new URLSearchParams(this.#c.search);
      this.#params._url = this;
    }
    _setQuery(serialized) {
      this.#c = JSON.parse(native.urlSet(this.#c.href, 'search', serialized));
    }
    #set(name, value) {
      this.#c = JSON.parse(native.urlSet(this.#c.href, name, usv(value)));
    }
    get href() { return this.#c.href; }
    set href(value) {
      const parsed = native.urlParse(usv(value));
      if (parsed === null) throw invalidUrl(usv(value));
      this.#c = JSON.parse(parsed);
      this.#params._list = parseForm(this.#c.search);
    }
    get origin() { return this.#c.origin; }
    get protocol() { return this.#c.protocol; }
    set protocol(value) { this.#set('protocol', value); }
    get username() { return this.#c.username; }
    set username(value) { this.#set('username', value); }
    get password() { return this.#c.password; }
    set password(value) { this.#set('password', value); }
    get host() { return this.#c.host; }
    set host(value) { this.#set('host', value); }
    get hostname() { return this.#c.hostname; }
    set hostname(value) { this.#set('hostname', value); }
    get port() { return this.#c.port; }
    set port(value) { this.#set('port', value); }
    get pathname() { return this.#c.pathname; }
    set pathname(value) { this.#set('pathname', value); }
    get search() { return this.#c.search; }
    set search(value) {
      this.#set('search', value);
      this.#params._list = parseForm(this.#c.search);
    }
    get searchParams() { return this.#params; }
    get hash() { return this.#c.hash; }
    set hash(value) { this.#set('hash', value); }
    toString() { return this.#c.href; }
    toJSON() { return this.#c.href; }
    get [Symbol.toStringTag]() { return 'URL'; }
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

  const DOMExceptionClass = typeof DOMException === 'function' ? DOMException : class DOMException extends Error {
    constructor(message, name) {
      super(message);
      this.name = name || 'Error';
    }
  };
  // The rest of `crypto` (crypto.js) is evaluated on first use; `crypto.subtle` and `CryptoKey`
  // are getters, as Node's lazily exposed web globals are.
  let loadedCrypto;
  const cryptoParts = () =>
    (loadedCrypto ??= native.loadCrypto({ native, Buffer, bytesOf, crypto, getRandomValues, invalidArgType, random, randomUUID, DOMExceptionClass }));
  Object.defineProperty(crypto, 'subtle', { get: () => cryptoParts().subtle, enumerable: true, configurable: false });
  Object.defineProperty(crypto, 'CryptoKey', { get: () => cryptoParts().CryptoKey, enumerable: true, configurable: true });

  // `assert` (assert.js) is evaluated on first use, not in every new context.
  let loadedAssert = null;
  const assertModule = () => (loadedAssert ??= native.loadAssert(native));
  let loadedUrlLegacy;
  const urlLegacy = () =>
    (loadedUrlLegacy ??= native.loadUrlLegacy({ native, querystring, URL, invalidArgType }));

  const util = {
    format: native.format.format,
    inspect: native.format.inspect,
    isDeepStrictEqual: function isDeepStrictEqual(val1, val2) {
      return assertModule().isDeepStrictEqual(val1, val2);
    },
    TextEncoder: TextEncoder,
    TextDecoder: TextDecoder,
    promisify(original) {
      if (typeof original !== 'function') throw invalidArgType('original', 'of type function', original);
      return function (...args) {
        return new Promise((resolve, reject) => {
          original.call(this, ...args, (err, ...values) => (err ? reject(err) : resolve(values.length > 1 ? values : values[0])));
        });
      };
    },
    types: {
      isDate: (v) => v instanceof Date,
      isRegExp: (v) => v instanceof RegExp,
      isPromise: (v) => v instanceof Promise,
      isMap: (v) => v instanceof Map,
      isSet: (v) => v instanceof Set,
      isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
      isUint8Array: (v) => v instanceof Uint8Array,
      isArrayBuffer: (v) => v instanceof ArrayBuffer,
      isAsyncFunction: (v) => typeof v === 'function' && v.constructor && v.constructor.name === 'AsyncFunction',
      isNativeError: (v) => v instanceof Error,
    },
  };

  const modules = {
    zlib: zlib,
    buffer: { Buffer: Buffer },
    url: {
      // Node's legacy API (url_legacy.js), evaluated on first use: most Actions never touch it.
      get Url() {
        return urlLegacy().Url;
      },
      get parse() {
        return urlLegacy().parse;
      },
      get resolve() {
        return urlLegacy().resolve;
      },
      get resolveObject() {
        return urlLegacy().resolveObject;
      },
      get format() {
        return urlLegacy().format;
      },
      URL: URL,
      URLSearchParams: URLSearchParams,
      domainToASCII: (domain) => native.domainTo(usv(domain), 'ascii'),
      domainToUnicode: (domain) => native.domainTo(usv(domain), 'unicode'),
    },
    util: util,
    get crypto() {
      return cryptoParts().cryptoModule;
    },
    get assert() {
      return assertModule().assert;
    },
    get 'assert/strict'() {
      return assertModule().assert.strict;
    },
  };

  // `querystring`: Node's legacy parser/serializer (form encoding, repeated keys as arrays).
  const querystring = {
    escape: (s) => encodeURIComponent(s),
    unescape: (s) => {
      try {
        return decodeURIComponent(s);
      } catch (e) {
        return s;
      }
    },
    stringify(obj, sep = '&', eq = '=') {
      if (obj === null || typeof obj !== 'object') return '';
      const part = (v) => (typeof v === 'string' ? v : typeof v === 'number' && isFinite(v) ? String(v) : typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '');
      const out = [];
      for (const key of Object.keys(obj)) {
        const value = obj[key];
        const k = querystring.escape(part(key)) + eq;
        if (Array.isArray(value)) for (const v of value) out.push(k + querystring.escape(part(v)));
        else out.push(k + querystring.escape(part(value)));
      }
      return out.join(sep);
    },
    parse(str, sep = '&', eq = '=', options) {
      const result = Object.create(null);
      if (typeof str !== 'string' || str.length === 0) return result;
      const max = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
      let pieces = str.split(sep);
      if (max > 0) pieces = pieces.slice(0, max);
      const decode = (s) => querystring.unescape(s.replace(/\+/g, ' '));
      for (const piece of pieces) {
        if (piece.length === 0) continue;
        const i = piece.indexOf(eq);
        const key = decode(i >= 0 ? piece.slice(0, i) : piece);
        const value = i >= 0 ? decode(piece.slice(i + eq.length)) : '';
        if (!(key in result)) result[key] = value;
        else if (Array.isArray(result[key])) result[key].push(value);
        else result[key] = [result[key], value];
      }
      return result;
    },
  };
  querystring.encode = querystring.stringify;
  querystring.decode = querystring.parse;

  // `path`: POSIX paths, as on Auth0's Linux hosts (the working directory is `/`).
  function normalizeSegments(parts, absolute) {
    const out = [];
    for (const p of parts) {
      if (p === '' || p === '.') continue;
      if (p === '..') {
        if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
        else if (!absolute) out.push('..');
      } else out.push(p);
    }
    return out;
  }
  function assertPath(name, value) {
    if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
  }
  const path = {
    sep: '/',
    delimiter: ':',
    isAbsolute: (p) => (assertPath('path', p), p.startsWith('/')),
    normalize(p) {
      assertPath('path', p);
      if (p === '') return '.';
      const absolute = p.startsWith('/');
      const trailing = p.endsWith('/');
      let out = normalizeSegments(p.split('/'), absolute).join('/');
      if (out === '' && !absolute) out = '.';
      if (out !== '' && trailing) out += '/';
      return (absolute ? '/' : '') + out;
    },
    join(...parts) {
      parts.forEach((p) => assertPath('path', p));
      const joined = parts.filter((p) => p.length > 0).join('/');
      return joined === '' ? '.' : path.normalize(joined);
    },
    resolve(...parts) {
      let resolved = '';
      for (let i = parts.length - 1; i >= 0 && !resolved.startsWith('/'); i--) {
        assertPath('paths[' + i + ']', parts[i]);
        if (parts[i].length > 0) resolved = parts[i] + (resolved ? '/' + resolved : '');
      }
      if (!resolved.startsWith('/')) resolved = '/' + resolved;
      return '/' + normalizeSegments(resolved.split('/'), true).join('/');
    },
    dirname(p) {
      assertPath('path', p);
      if (p.length === 0) return '.';
      const trimmed = p.replace(/\/+$/, '');
      if (trimmed === '') return '/';
      const i = trimmed.lastIndexOf('/');
      if (i < 0) return '.';
      if (i === 0) return '/';
      return trimmed.slice(0, i).replace(/\/+$/, '') || '/';
    },
    basename(p, ext) {
      assertPath('path', p);
      const trimmed = p.replace(/\/+$/, '');
      let base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
      if (ext !== undefined && base.endsWith(ext) && base !== ext) base = base.slice(0, base.length - ext.length);
      return base;
    },
    extname(p) {
      assertPath('path', p);
      const base = path.basename(p);
      const i = base.lastIndexOf('.');
      return i <= 0 ? '' : base.slice(i);
    },
    relative(from, to) {
      const a = path.resolve(from).split('/').filter(Boolean);
      const b = path.resolve(to).split('/').filter(Boolean);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return a.slice(i).map(() => '..').concat(b.slice(i)).join('/');
    },
    parse(p) {
      assertPath('path', p);
      const root = p.startsWith('/') ? '/' : '';
      const base = path.basename(p);
      const ext = path.extname(p);
      let dir = path.dirname(p);
      if (dir === '.' && !p.includes('/')) dir = '';
      return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
    },
    format(o) {
      const dir = o.dir || o.root || '';
      const base = o.base || (o.name || '') + (o.ext ? (o.ext.startsWith('.') ? '' : '.') + o.ext : '');
      return dir === '' ? base : dir === o.root ? dir + base : dir + '/' + base;
    },
  };
  path.posix = path;

  // `events`: Node's EventEmitter (listeners in order, once, error without listener throws).
  class EventEmitter {
    constructor() {
      this._events = new Map();
    }
    _list(name) {
      if (!this._events) this._events = new Map();
      if (!this._events.has(name)) this._events.set(name, []);
      return this._events.get(name);
    }
    on(name, listener) {
      if (typeof listener !== 'function') throw invalidArgType('listener', 'of type function', listener);
      this._list(name).push({ listener, once: false });
      return this;
    }
    prependListener(name, listener) {
      this._list(name).unshift({ listener, once: false });
      return this;
    }
    once(name, listener) {
      if (typeof listener !== 'function') throw invalidArgType('listener', 'of type function', listener);
      this._list(name).push({ listener, once: true });
      return this;
    }
    off(name, listener) {
      const list = this._list(name);
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].listener === listener) {
          list.splice(i, 1);
          break;
        }
      }
      return this;
    }
    removeAllListeners(name) {
      if (name === undefined) this._events = new Map();
      else this._list(name).length = 0;
      return this;
    }
    emit(name, ...args) {
      const list = this._list(name);
      if (list.length === 0) {
        if (name === 'error') {
          const error = args[0];
          if (error instanceof Error) throw error;
          const wrapped = new Error('Unhandled error. (' + native.format.inspect(error) + ')');
          wrapped.code = 'ERR_UNHANDLED_ERROR';
          wrapped.context = error;
          throw wrapped;
        }
        return false;
      }
      for (const entry of list.slice()) {
        if (entry.once) this.off(name, entry.listener);
        entry.listener.apply(this, args);
      }
      return true;
    }
    listenerCount(name) {
      return this._list(name).length;
    }
    listeners(name) {
      return this._list(name).map((e) => e.listener);
    }
    eventNames() {
      return Array.from(this._events.keys()).filter((k) => this._events.get(k).length > 0);
    }
    setMaxListeners() {
      return this;
    }
  }
  EventEmitter.prototype.addListener = EventEmitter.prototype.on;
  EventEmitter.prototype.removeListener = EventEmitter.prototype.off;
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.once = (emitter, name) => new Promise((resolve) => emitter.once(name, (...args) => resolve(args)));
  // `http`/`https` (http.js) are evaluated on first require.
  let loadedHttp;
  const httpModules = () => (loadedHttp ??= native.loadHttp({ Buffer, EventEmitter, URL, fetch, path, native }));
  Object.defineProperty(modules, 'http', { get: () => httpModules().http, enumerable: true, configurable: true });
  Object.defineProperty(modules, 'https', { get: () => httpModules().https, enumerable: true, configurable: true });
  modules.querystring = querystring;
  modules.path = path;
  modules.events = EventEmitter;

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

  // npm packages, loaded as Node's CommonJS loader does: `native.resolvePackage` resolves a
  // specifier to a file inside the Action's node_modules (Node's algorithm, in packages.rs), and
  // each file is loaded once per Action instance into a `Module` kept in `requireCache` by its
  // path, before its code runs, so a cycle sees the partial `module.exports` as in Node. A
  // module that throws is taken out of the cache again.
  const requireCache = Object.create(null);
  const builtinKey = (specifier) => {
    const key = specifier.replace(/^node:/, '');
    return Object.prototype.hasOwnProperty.call(modules, key) ? key : undefined;
  };
  // The Action's own file (Node's createRequire parent): the last line of a `Require stack:`.
  const actionFile = native.actionFile();
  const actionParent = actionFile === undefined ? null : { filename: actionFile };
  // Each module's first parent (Node's kFirstModuleParent): the Action's pseudo-module for what
  // the Action requires, none for CommonJS an ES module imports (Node's stack ends there too).
  const firstParent = new WeakMap();
  function requireStackOf(parent) {
    const stack = [];
    for (let cursor = parent === null ? actionParent : parent; cursor; cursor = firstParent.get(cursor)) {
      stack.push(cursor.filename);
    }
    return stack;
  }
  // Node's error for an answer of `native.resolvePackage`: class, message (with the `Require
  // stack:` lines Module._resolveFilename adds to its own "Cannot find module"), `code`, and
  // the other properties Node sets.
  function loaderError(answer, parent) {
    let message = answer.error;
    let stack;
    if (answer.requireStack) {
      stack = requireStackOf(parent);
      if (stack.length > 0) message += '\nRequire stack:\n- ' + stack.join('\n- ');
    }
    const error = answer.type === 'TypeError' ? new TypeError(message) : new Error(message);
    error.code = answer.code;
    if (stack !== undefined) error.requireStack = stack;
    for (const key of Object.keys(answer.properties)) error[key] = answer.properties[key];
    return error;
  }
  function resolvePackage(specifier, parent) {
    const answer = JSON.parse(native.resolvePackage(specifier, parent ? parent.filename : null));
    if (answer.error === undefined) return answer;
    throw loaderError(answer, parent);
  }
  function dirnameOf(file) {
    const at = file.lastIndexOf('/');
    return at <= 0 ? '/' : file.slice(0, at);
  }
  class Module {
    // `parent`: the requiring Module, `null` for the Action, `undefined` when an ES module
    // imports this one.
    constructor(id, parent) {
      this.id = id;
      this.path = dirnameOf(id);
      this.exports = {};
      this.filename = id;
      this.loaded = false;
      this.children = [];
      this.paths = [];
      if (parent) parent.children.push(this);
      if (parent !== undefined) firstParent.set(this, parent === null ? actionParent : parent);
    }
    require(id) {
      return requireFrom(this, id);
    }
  }
  function requireFrom(parent, id) {
    if (typeof id !== 'string') throw invalidArgType('id', 'of type string', id);
    if (id === '') {
      const error = new TypeError("The argument 'id' must be a non-empty string. Received ''");
      error.code = 'ERR_INVALID_ARG_VALUE';
      throw error;
    }
    const key = builtinKey(id);
    if (key !== undefined) return modules[key];
    const { path: filename, format } = resolvePackage(id, parent);
    const cached = requireCache[filename];
    if (cached !== undefined) {
      if (parent && !parent.children.includes(cached)) parent.children.push(cached);
      if (esModules.has(cached) && !cached.loaded) {
        // Node's getExportsForCircularRequire: an ES module cannot hand out a partial namespace.
        const first = firstParent.get(cached);
        const error = new Error('Cannot require() ES Module ' + filename + ' in a cycle.' + (first ? ' (from ' + first.filename + ')' : ''));
        error.code = 'ERR_REQUIRE_CYCLE_MODULE';
        throw error;
      }
      return cached.exports;
    }
    const module = new Module(filename, parent);
    loadModule(module, format, parent);
    return module.exports;
  }
  // Runs a resolved file into `module`, kept in `requireCache` by its path before its code runs
  // (a cycle sees the partial `module.exports`) and taken out again if it throws.
  const esModules = new WeakSet();
  function loadModule(module, format, parent) {
    const filename = module.filename;
    requireCache[filename] = module;
    try {
      if (format === 'json') {
        try {
          module.exports = JSON.parse(native.loadPackage(filename));
        } catch (e) {
          e.message = filename + ': ' + e.message;
          throw e;
        }
      } else if (format === 'module') {
        requireEsModule(module, parent);
      } else {
        let compiled;
        try {
          compiled = native.loadPackage(filename);
        } catch (e) {
          // Node 22's syntax detection: a `.js` file under no package `type` that only
          // compiles as an ES module is one.
          if (!(format === 'typeless' && e instanceof SyntaxError && native.onlyParsesAsModule(filename))) throw e;
        }
        if (compiled === undefined) requireEsModule(module, parent);
        else compiled.call(module.exports, module.exports, makeRequire(module), module, filename, dirnameOf(filename));
      }
    } catch (e) {
      delete requireCache[filename];
      if (parent) parent.children.splice(parent.children.indexOf(module), 1);
      throw e;
    }
    module.loaded = true;
  }
  // require(esm), Node 22.12+: the module's graph is loaded, linked and evaluated at once by the
  // host (esm.rs), which returns the namespace with Node's interop; the requiring file names the
  // parent in Node's errors.
  function requireEsModule(module, parent) {
    esModules.add(module);
    const from = parent === null ? actionFile : parent === undefined ? undefined : parent.filename;
    module.exports = native.requireModule(module.filename, from);
  }

  // What the host's ES module loader asks of this one: built-in modules (as `[exports, names]`
  // for Node's built-in facades), and CommonJS files ES modules import (Node's
  // cjsPreparseModuleExports for their named exports; their code runs through `loadModule`,
  // sharing `require.cache`).
  let lexer;
  const exportNames = new Map();
  function commonJsExportNames(filename) {
    let names = exportNames.get(filename);
    if (names !== undefined) return names;
    let parsed;
    try {
      lexer ??= native.loadLexer();
      parsed = lexer.parse(native.packageSource(filename));
    } catch (e) {
      parsed = { exports: [], reexports: [] };
    }
    names = new Set(parsed.exports);
    // Set first, for cycles of re-exports.
    exportNames.set(filename, names);
    for (const reexport of parsed.reexports) {
      if (builtinKey(reexport) !== undefined) continue;
      let resolved;
      try {
        resolved = resolvePackage(reexport, { filename });
      } catch (e) {
        continue;
      }
      if (resolved.format === 'commonjs' || resolved.format === 'typeless' || resolved.path.endsWith('.js')) {
        for (const name of commonJsExportNames(resolved.path)) names.add(name);
      }
    }
    return names;
  }
  native.esmHooks({
    builtin(name) {
      const key = builtinKey(name);
      if (key === undefined) return undefined;
      const exports = modules[key];
      return [exports, Object.keys(exports)];
    },
    commonJsExportNames: (filename) => [...commonJsExportNames(filename)],
    evaluateCommonJs(filename, names) {
      let module = requireCache[filename];
      if (module === undefined) {
        module = new Module(filename, undefined);
        loadModule(module, 'commonjs', undefined);
      }
      const exports = module.exports;
      const values = [exports];
      for (const name of names) {
        let value;
        if (Object.prototype.hasOwnProperty.call(exports, name)) {
          try {
            value = exports[name];
          } catch (e) {
            // Node reads each name once and ignores a throwing getter.
          }
        }
        values.push(value);
      }
      return values;
    },
  });
  // `require` with Node's properties: `resolve` (and `resolve.paths`), `cache`, `main`.
  function withRequireProperties(requireFn, parent) {
    requireFn.resolve = function resolve(request) {
      if (typeof request !== 'string') throw invalidArgType('request', 'of type string', request);
      if (builtinKey(request) !== undefined) return request;
      if (!parent && request.startsWith('actions:')) throw moduleNotFound(request);
      return resolvePackage(request, parent).path;
    };
    requireFn.resolve.paths = (request) => (builtinKey(request) !== undefined ? null : []);
    requireFn.cache = requireCache;
    requireFn.main = undefined;
    return requireFn;
  }
  function makeRequire(module) {
    return withRequireProperties(function require(id) {
      return requireFrom(module, id);
    }, module);
  }

  // The Action's own `require`: Actions Modules, built-ins, then its declared npm packages.
  const require = withRequireProperties(function require(name) {
    const specifier = String(name);
    if (specifier.startsWith('actions:')) return requireActionsModule(specifier);
    const key = builtinKey(specifier);
    if (key !== undefined) return modules[key];
    return requireFrom(null, specifier);
  }, null);

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

  // `performance.now()`: milliseconds on the run's (virtual) clock since the instance started.
  const timeOrigin = Date.now();
  const performance = { timeOrigin, now: () => Date.now() - timeOrigin, mark: () => undefined, measure: () => undefined };
  modules.perf_hooks = { performance };

  // AbortController / AbortSignal (timeouts on the virtual clock, like setTimeout).
  class AbortSignal {
    constructor() {
      this.aborted = false;
      this.reason = undefined;
      this.onabort = null;
      this._listeners = [];
    }
    addEventListener(type, listener) {
      if (type === 'abort') this._listeners.push(listener);
    }
    removeEventListener(type, listener) {
      this._listeners = this._listeners.filter((l) => l !== listener);
    }
    throwIfAborted() {
      if (this.aborted) throw this.reason;
    }
    _abort(reason) {
      if (this.aborted) return;
      this.aborted = true;
      this.reason = reason;
      const event = { type: 'abort', target: this };
      if (typeof this.onabort === 'function') this.onabort(event);
      for (const l of this._listeners.slice()) typeof l === 'function' ? l.call(this, event) : l.handleEvent(event);
    }
    static abort(reason) {
      const signal = new AbortSignal();
      signal._abort(reason === undefined ? new DOMExceptionClass('This operation was aborted', 'AbortError') : reason);
      return signal;
    }
    static timeout(ms) {
      const signal = new AbortSignal();
      setTimeout(() => signal._abort(new DOMExceptionClass('The operation was aborted due to timeout', 'TimeoutError')), ms);
      return signal;
    }
    static any(signals) {
      const signal = new AbortSignal();
      for (const s of signals) {
        if (s.aborted) {
          signal._abort(s.reason);
          break;
        }
        s.addEventListener('abort', () => signal._abort(s.reason));
      }
      return signal;
    }
  }
  class AbortController {
    constructor() {
      this.signal = new AbortSignal();
    }
    abort(reason) {
      this.signal._abort(reason === undefined ? new DOMExceptionClass('This operation was aborted', 'AbortError') : reason);
    }
  }

  // Array.fromAsync (ES2024, in Node 22; Boa 0.22 lacks it).
  if (typeof Array.fromAsync !== 'function') {
    Object.defineProperty(Array, 'fromAsync', {
      configurable: true,
      writable: true,
      value: async function fromAsync(items, mapFn, thisArg) {
        const out = [];
        let i = 0;
        if (items != null && typeof items[Symbol.asyncIterator] === 'function') {
          for await (const item of items) out.push(mapFn ? await mapFn.call(thisArg, item, i++) : item);
        } else {
          for (const item of Array.from(items)) out.push(mapFn ? await mapFn.call(thisArg, await item, i++) : await item);
        }
        return out;
      },
    });
  }

  // `atob` as Node 22 has it (lib/buffer.js, WHATWG forgiving-base64), with its DOMException
  // messages: npm packages (jwt-decode) put them into their own errors.
  const BASE64_ALLOWED = '\t\n\f\r =ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function atob(input) {
    if (arguments.length === 0) {
      const error = new TypeError('The "input" argument must be specified');
      error.code = 'ERR_MISSING_ARGS';
      throw error;
    }
    input = `${input}`;
    const invalid = () => new DOMExceptionClass('Invalid character', 'InvalidCharacterError');
    let significant = 0;
    let equals = 0;
    for (let n = 0; n < input.length; n++) {
      const index = BASE64_ALLOWED.indexOf(input[n]);
      if (index > 4) {
        significant++;
        if (index === 5) equals++;
        else if (equals) throw invalid();
        if (equals > 2) throw invalid();
      } else if (index === -1) {
        throw invalid();
      }
    }
    let reminder = significant % 4;
    if (!reminder) reminder = (significant - equals) % 4;
    else if (equals) throw invalid();
    if (reminder === 1) {
      throw new DOMExceptionClass('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
    }
    return Buffer.from(input, 'base64').toString('latin1');
  }

  Math.random = random;
  globalThis.atob = atob;
  globalThis.performance = performance;
  globalThis.AbortController = AbortController;
  globalThis.AbortSignal = AbortSignal;
  globalThis.process = process;
  globalThis.Buffer = Buffer;
  globalThis.URL = URL;
  globalThis.URLSearchParams = URLSearchParams;
  globalThis.FormData = FormData;
  globalThis.Headers = Headers;
  globalThis.Response = Response;
  globalThis.fetch = fetch;
  globalThis.crypto = crypto;
  Object.defineProperty(globalThis, 'CryptoKey', { get: () => cryptoParts().CryptoKey, enumerable: false, configurable: true });
  return { require: require, reseed: (seed) => { randomState = seed >>> 0; } };
})
