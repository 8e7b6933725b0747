// Node 22's `http`/`https` `request`/`get`, answered from the fixture's recorded responses
// through the same native as `fetch`. Evaluated when an Action first requires `http` or `https`
// (`native.loadHttp`), like assert.js: a fresh instance pays only for what it uses.
(function (deps) {
  'use strict';
  const { Buffer, EventEmitter, URL, fetch, path, native } = deps;

  // `http`/`https` `request`/`get`, answered from the fixture's recorded responses through the
  // same native as `fetch` (and recorded as a fetch): the response comes as an IncomingMessage
  // (`statusCode`, `statusMessage`, lower-case `headers` with `content-length`) emitting its body
  // as one `data` chunk, then `end`, on a later turn, as a socket would.
  const STATUS_CODES = {
    100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted',
    203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content',
    300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
    307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
    402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
    412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
    418: "I'm a Teapot", 422: 'Unprocessable Entity', 423: 'Locked', 425: 'Too Early',
    428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
    451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented',
    502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
    505: 'HTTP Version Not Supported',
  };
  class IncomingMessage extends EventEmitter {
    constructor(answer) {
      super();
      this.statusCode = answer.status;
      this.statusMessage = STATUS_CODES[answer.status] || 'unknown';
      this.httpVersion = '1.1';
      this.headers = {};
      this.rawHeaders = [];
      const body = Buffer.from(answer.body || '');
      for (const [name, value] of Object.entries(answer.headers || {})) {
        this.headers[name.toLowerCase()] = String(value);
        this.rawHeaders.push(name, String(value));
      }
      this.headers['content-length'] = String(body.length);
      this.rawHeaders.push('content-length', String(body.length));
      this.complete = false;
      this._body = body;
      this._encoding = null;
    }
    setEncoding(encoding) {
      this._encoding = encoding;
      return this;
    }
    // Flowing as soon as anyone listens; `for await` reads the same chunks.
    _deliver() {
      if (this._body.length > 0) this.emit('data', this._encoding ? this._body.toString(this._encoding) : this._body);
      this.complete = true;
      this.emit('end');
      this.emit('close');
    }
    resume() {
      return this;
    }
    pipe(destination) {
      this.on('data', (chunk) => destination.write(chunk));
      this.on('end', () => typeof destination.end === 'function' && destination.end());
      return destination;
    }
    async *[Symbol.asyncIterator]() {
      const chunks = [];
      let done = false;
      let wake = null;
      this.on('data', (chunk) => { chunks.push(chunk); if (wake) wake(); });
      this.on('end', () => { done = true; if (wake) wake(); });
      for (;;) {
        if (chunks.length) yield chunks.shift();
        else if (done) return;
        else await new Promise((resolve) => { wake = resolve; });
      }
    }
  }
  class ClientRequest extends EventEmitter {
    constructor(url, options, callback) {
      super();
      this.method = String(options.method || 'GET').toUpperCase();
      this.path = options.path || '/';
      this.host = options.hostname || options.host;
      this._url = url;
      this._headers = {};
      for (const [name, value] of Object.entries(options.headers || {})) this._headers[name.toLowerCase()] = value;
      this._chunks = [];
      this._ended = false;
      this.destroyed = false;
      if (typeof callback === 'function') this.once('response', callback);
    }
    setHeader(name, value) {
      this._headers[String(name).toLowerCase()] = value;
      return this;
    }
    getHeader(name) {
      return this._headers[String(name).toLowerCase()];
    }
    removeHeader(name) {
      delete this._headers[String(name).toLowerCase()];
    }
    setTimeout(ms, callback) {
      if (typeof callback === 'function') this.once('timeout', callback);
      return this;
    }
    write(chunk, encoding, callback) {
      this._chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
      if (typeof encoding === 'function') encoding();
      else if (typeof callback === 'function') callback();
      return true;
    }
    end(chunk, encoding, callback) {
      if (typeof chunk === 'function') {
        callback = chunk;
        chunk = undefined;
      } else if (typeof encoding === 'function') {
        callback = encoding;
        encoding = undefined;
      }
      if (this._ended) return this;
      if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
      this._ended = true;
      const body = this._chunks.length ? Buffer.concat(this._chunks).toString('utf8') : null;
      const request = { method: this.method, url: this._url, headers: this._headers, body, form: null };
      // Node writes the request once the current code is done (its socket comes on the next
      // tick): the request is recorded then, and answered on a later turn.
      let answer;
      queueMicrotask(() => {
        if (!this.destroyed) answer = JSON.parse(native.fetch(JSON.stringify(request)));
      });
      setTimeout(() => {
        if (answer === undefined) return;
        if (this.destroyed) return;
        if (typeof callback === 'function') callback();
        if (answer.error !== undefined) {
          this.destroyed = true;
          this.emit('error', new Error(answer.error));
          this.emit('close');
          return;
        }
        const response = new IncomingMessage(answer);
        this.res = response;
        this.emit('response', response);
        setTimeout(() => {
          response._deliver();
          this.emit('close');
        }, 0);
      }, 0);
      return this;
    }
    destroy(error) {
      if (this.destroyed) return this;
      this.destroyed = true;
      if (error) setTimeout(() => this.emit('error', error), 0);
      setTimeout(() => this.emit('close'), 0);
      return this;
    }
    abort() {
      this.destroy();
    }
  }
  class Agent extends EventEmitter {
    constructor(options) {
      super();
      this.options = Object.assign({ path: null }, options);
      this.keepAlive = !!this.options.keepAlive;
      this.maxSockets = this.options.maxSockets || Infinity;
      this.maxFreeSockets = this.options.maxFreeSockets || 256;
      this.requests = {};
      this.sockets = {};
      this.freeSockets = {};
    }
    destroy() {}
  }
  function makeHttp(protocol) {
    const defaultPort = protocol === 'https:' ? 443 : 80;
    function request(input, options, callback) {
      if (typeof options === 'function') {
        callback = options;
        options = undefined;
      }
      let merged;
      if (typeof input === 'string' || input instanceof URL) {
        const url = input instanceof URL ? input : new URL(input);
        merged = Object.assign({ protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search }, options);
      } else {
        merged = Object.assign({}, input, options);
      }
      const scheme = merged.protocol || protocol;
      if (scheme !== protocol) {
        const error = new TypeError('Protocol "' + scheme + '" not supported. Expected "' + protocol + '"');
        error.code = 'ERR_INVALID_PROTOCOL';
        throw error;
      }
      const host = merged.hostname || (merged.host || 'localhost').replace(/:\d+$/, '');
      const port = merged.port ? Number(merged.port) : defaultPort;
      const url = protocol + '//' + host + (port !== defaultPort ? ':' + port : '') + (merged.path || '/');
      return new ClientRequest(url, merged, callback);
    }
    function get(input, options, callback) {
      const req = request(input, options, callback);
      req.end();
      return req;
    }
    return { request, get, Agent, ClientRequest, IncomingMessage, STATUS_CODES, METHODS: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'], globalAgent: new Agent({ keepAlive: true }) };
  }

  return { http: makeHttp('http:'), https: makeHttp('https:') };
})
