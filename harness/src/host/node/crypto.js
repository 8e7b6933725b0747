// Node 22's `crypto` beyond randomness: hashes and HMACs, KeyObject, createSign/createVerify,
// crypto.sign/verify and webcrypto's `subtle` (RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA P-256, HMAC).
// The digests, keys and signatures are the Rust natives' (digest.rs, keys.rs); Node's argument
// checks and messages are here. Evaluated when an Action first uses `require('crypto')`,
// `crypto.subtle` or `CryptoKey` (`native.loadCrypto`), like assert.js: a fresh instance pays
// only for what it uses.
(function (deps) {
  'use strict';
  const { native, Buffer, bytesOf, crypto, getRandomValues, invalidArgType, random, randomUUID, DOMExceptionClass } = deps;

  // Bytes of a crypto input: strings in `encoding` (UTF-8 by default), Buffers and views as is.
  function cryptoInput(name, data, encoding) {
    if (typeof data === 'string') return Buffer.from(data, encoding);
    if (ArrayBuffer.isView(data)) return new Buffer(bytesOf(data));
    if (data instanceof ArrayBuffer) return new Buffer(data.slice(0));
    throw invalidArgType(name, 'of type string or an instance of Buffer, TypedArray, or DataView', data);
  }
  function encodeDigest(bytes, encoding) {
    const out = new Buffer(bytes);
    return encoding === undefined || encoding === 'buffer' ? out : out.toString(encoding);
  }
  // createHash / createHmac: updates collected, digested natively once (`digest` may be called once).
  class Hash {
    constructor(algorithm, key) {
      if (typeof algorithm !== 'string') throw invalidArgType('algorithm', 'of type string', algorithm);
      this._algorithm = algorithm;
      this._key = key;
      this._parts = [];
      this._done = false;
      // Fail at creation, as Node does, for an unknown algorithm.
      if (key === undefined) native.digest(algorithm, new ArrayBuffer(0));
      else {
        try {
          native.hmac(algorithm, bytesOf(key), new ArrayBuffer(0));
        } catch (e) {
          e.code = 'ERR_CRYPTO_INVALID_DIGEST';
          throw e;
        }
      }
    }
    update(data, encoding) {
      if (this._done) {
        const error = new Error('Digest already called');
        error.code = 'ERR_CRYPTO_HASH_FINALIZED';
        throw error;
      }
      this._parts.push(cryptoInput('data', data, encoding));
      return this;
    }
    digest(encoding) {
      if (this._done) {
        const error = new Error('Digest already called');
        error.code = 'ERR_CRYPTO_HASH_FINALIZED';
        throw error;
      }
      this._done = true;
      const data = bytesOf(Buffer.concat(this._parts));
      const bytes = this._key === undefined ? native.digest(this._algorithm, data) : native.hmac(this._algorithm, bytesOf(this._key), data);
      return encodeDigest(bytes, encoding);
    }
    copy() {
      const copy = Object.create(Object.getPrototypeOf(this));
      Object.assign(copy, this, { _parts: this._parts.slice() });
      return copy;
    }
  }
  function createHash(algorithm) {
    return new Hash(algorithm);
  }
  function createHmac(algorithm, key) {
    if (key === null || key === undefined) throw invalidArgType('key', 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey', key);
    if (key instanceof CryptoKey) key = cryptoKeyObject(key);
    if (key instanceof KeyObject) {
      const parts = keyParts(key);
      if (parts.type !== 'secret') throw invalidKeyObjectType(parts.type, 'secret');
      return new Hash(algorithm, parts.bytes);
    }
    return new Hash(algorithm, cryptoInput('key', key));
  }
  function randomBytes(size, callback) {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      throw invalidArgType('size', 'of type number', size);
    }
    const out = getRandomValues(new Buffer(size));
    if (typeof callback === 'function') {
      queueMicrotask(() => callback(null, out));
      return undefined;
    }
    return out;
  }
  function randomInt(min, max, callback) {
    if (max === undefined || typeof max === 'function') {
      callback = max;
      max = min;
      min = 0;
    }
    const value = min + Math.floor(random() * (max - min));
    if (typeof callback === 'function') {
      queueMicrotask(() => callback(null, value));
      return undefined;
    }
    return value;
  }
  function timingSafeEqual(a, b) {
    if (!ArrayBuffer.isView(a) && !(a instanceof ArrayBuffer)) throw invalidArgType('buf1', 'an instance of ArrayBuffer, Buffer, TypedArray, or DataView', a);
    if (!ArrayBuffer.isView(b) && !(b instanceof ArrayBuffer)) throw invalidArgType('buf2', 'an instance of ArrayBuffer, Buffer, TypedArray, or DataView', b);
    const x = new Uint8Array(bytesOf(a));
    const y = new Uint8Array(bytesOf(b));
    if (x.length !== y.length) {
      const error = new RangeError('Input buffers must have the same byte length');
      error.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
      throw error;
    }
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
    return diff === 0;
  }
  // KeyObject, createPrivateKey/createPublicKey/createSecretKey, createSign/createVerify,
  // crypto.sign/verify: asymmetric keys are held as DER and used by the natives (keys.rs, RSA
  // and P-256); Node's argument checks and messages are here.
  const KEY_TOKEN = Symbol('KeyObject');
  let keyParts;
  class KeyObject {
    #parts;
    static {
      keyParts = (key) => key.#parts;
    }
    constructor(token, parts) {
      if (token !== KEY_TOKEN) throw new TypeError('Illegal constructor');
      this.#parts = parts;
    }
    static from(key) {
      if (!(key instanceof CryptoKey)) throw invalidArgType('key', 'an instance of CryptoKey', key);
      return cryptoKeyObject(key);
    }
    get type() {
      return this.#parts.type;
    }
    get asymmetricKeyType() {
      return this.#parts.type === 'secret' ? undefined : this.#parts.description.asymmetricKeyType;
    }
    get asymmetricKeyDetails() {
      if (this.#parts.type === 'secret') return undefined;
      const d = this.#parts.description;
      return d.asymmetricKeyType === 'rsa'
        ? { modulusLength: d.modulusLength, publicExponent: BigInt(d.publicExponent) }
        : { namedCurve: d.namedCurve };
    }
    get symmetricKeySize() {
      return this.#parts.type === 'secret' ? this.#parts.bytes.length : undefined;
    }
    export(options) {
      const parts = this.#parts;
      if (parts.type === 'secret') {
        if (options && options.format === 'jwk') return { kty: 'oct', k: parts.bytes.toString('base64url') };
        return Buffer.from(parts.bytes);
      }
      if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
      const format = options.format;
      if (format !== 'pem' && format !== 'der' && format !== 'jwk') {
        throw invalidArgValue('options.format', format);
      }
      if (format !== 'jwk' && options.cipher !== undefined) {
        throw notEmulated('encrypted private keys (a cipher and passphrase)');
      }
      const out = native.keyExport(bytesOf(parts.der), parts.type === 'private', format, options.type);
      if (format === 'jwk') return JSON.parse(out);
      return typeof out === 'string' ? out : new Buffer(out);
    }
    equals(other) {
      if (!(other instanceof KeyObject)) throw invalidArgType('otherKeyObject', 'an instance of KeyObject', other);
      const a = this.#parts;
      const b = keyParts(other);
      if (a.type !== b.type) return false;
      return (a.type === 'secret' ? a.bytes : a.der).equals(b.type === 'secret' ? b.bytes : b.der);
    }
    get [Symbol.toStringTag]() {
      return 'KeyObject';
    }
  }
  class SecretKeyObject extends KeyObject {}
  class PublicKeyObject extends KeyObject {}
  class PrivateKeyObject extends KeyObject {}
  const KEY_CLASSES = { secret: SecretKeyObject, public: PublicKeyObject, private: PrivateKeyObject };

  function invalidArgValue(name, value, reason) {
    const shown = typeof value === 'string' ? "'" + value + "'" : value === undefined ? 'undefined' : native.format.inspect(value);
    const error = new TypeError("The property '" + name + "' " + (reason || 'is invalid') + '. Received ' + shown);
    error.code = 'ERR_INVALID_ARG_VALUE';
    return error;
  }
  function notEmulated(what) {
    const error = new Error(what + ' are not emulated by the actionkit harness');
    error.code = 'ERR_ACTIONKIT_NOT_EMULATED';
    return error;
  }
  function keyObjectOf(description) {
    const der = new Buffer(native.base64Decode(description.der));
    return new KEY_CLASSES[description.type](KEY_TOKEN, { type: description.type, description, der });
  }
  function invalidKeyObjectType(type, expected) {
    const error = new TypeError('Invalid key object type ' + type + ', expected ' + expected + '.');
    error.code = 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE';
    return error;
  }
  const KEY_INPUT = 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey';
  const isBytes = (v) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
  // Node's JWK member checks (each member it reads must be a string, `crv` one it knows), then
  // the natives decode.
  function checkJwk(jwk, want) {
    if (jwk === null || typeof jwk !== 'object') throw invalidArgType('key.key', 'of type object', jwk);
    const kty = jwk.kty;
    if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') {
      const error = new TypeError("The property 'key.kty' must be one of: 'RSA', 'EC', 'OKP'. Received " + native.format.inspect(kty));
      error.code = 'ERR_INVALID_ARG_VALUE';
      throw error;
    }
    if (kty === 'EC' && !['P-256', 'secp256k1', 'P-384', 'P-521'].includes(jwk.crv)) {
      const error = new TypeError("The property 'key.crv' must be one of: 'P-256', 'secp256k1', 'P-384', 'P-521'. Received " + native.format.inspect(jwk.crv));
      error.code = 'ERR_INVALID_ARG_VALUE';
      throw error;
    }
    const members = kty === 'RSA' ? ['n', 'e'] : ['x', 'y'];
    if (want === 'private') members.push(...(kty === 'RSA' ? ['d', 'p', 'q', 'dp', 'dq', 'qi'] : ['d']));
    for (const name of members) {
      if (typeof jwk[name] !== 'string') throw invalidArgType('key.' + name, 'of type string', jwk[name], 'The "key.' + name + '" property');
    }
  }
  // An asymmetric key from what Node's createPrivateKey/createPublicKey/sign/verify accept:
  // PEM text or bytes, a KeyObject, a CryptoKey, or `{key, format, type, passphrase}`.
  function asymmetricKey(input, want, expected) {
    let key = input;
    let options = {};
    if (key !== null && typeof key === 'object' && !isBytes(key) && !(key instanceof KeyObject) && !(key instanceof CryptoKey)) {
      options = key;
      key = options.key;
    }
    if (key instanceof CryptoKey) key = cryptoKeyObject(key);
    if (key instanceof KeyObject) {
      const parts = keyParts(key);
      if (parts.type === 'secret' || (want === 'private' && parts.type !== 'private')) {
        throw invalidKeyObjectType(parts.type, expected);
      }
      if (want === 'public' && parts.type === 'private' && expected === 'public') {
        return keyObjectOf(JSON.parse(native.keyImport(JSON.stringify({ format: 'der', type: 'pkcs8', want: 'public' }), bytesOf(parts.der))));
      }
      return key;
    }
    const format = options.format === undefined ? 'pem' : options.format;
    if (format === 'jwk') {
      checkJwk(key, want);
      if (key.kty === 'OKP') throw notEmulated('Ed25519 and Ed448 keys');
      return keyObjectOf(JSON.parse(native.keyImport(JSON.stringify({ format: 'jwk', want, jwk: key }))));
    }
    if (typeof key !== 'string' && !isBytes(key)) throw invalidArgType('key', KEY_INPUT, key);
    if (format !== 'pem' && format !== 'der') throw invalidArgValue('options.format', format);
    if (format === 'der' && !['pkcs1', 'pkcs8', 'spki', 'sec1'].includes(options.type)) throw invalidArgValue('options.type', options.type);
    const bytes = typeof key === 'string' ? Buffer.from(key, format === 'der' ? options.encoding : 'utf8') : cryptoInput('key', key);
    return keyObjectOf(JSON.parse(native.keyImport(JSON.stringify({ format, type: options.type, want }), bytesOf(bytes))));
  }
  function createPrivateKey(key) {
    if (!(key !== null && typeof key === 'object') && typeof key !== 'string') {
      throw invalidArgType('key', 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView', key);
    }
    return asymmetricKey(key, 'private', 'private');
  }
  function createPublicKey(key) {
    return asymmetricKey(key, 'public', 'public');
  }
  function createSecretKey(key, encoding) {
    const bytes = typeof key === 'string' ? Buffer.from(key, encoding) : cryptoInput('key', key);
    return new SecretKeyObject(KEY_TOKEN, { type: 'secret', bytes });
  }
  // The signature options Node reads from a key argument given as an object.
  function signatureOptions(key, digest) {
    const options = { digest: digest === undefined || digest === null ? 'sha256' : digest };
    if (key !== null && typeof key === 'object' && !isBytes(key) && !(key instanceof KeyObject) && !(key instanceof CryptoKey)) {
      if (key.padding !== undefined) options.padding = key.padding;
      if (key.saltLength !== undefined) options.saltLength = key.saltLength;
      if (key.dsaEncoding !== undefined) {
        if (key.dsaEncoding !== 'der' && key.dsaEncoding !== 'ieee-p1363') throw invalidArgValue('options.dsaEncoding', key.dsaEncoding);
        options.dsaEncoding = key.dsaEncoding;
      }
    }
    return JSON.stringify(options);
  }
  function checkDigest(algorithm) {
    if (typeof algorithm !== 'string') throw invalidArgType('algorithm', 'of type string', algorithm);
    try {
      native.digest(algorithm, new ArrayBuffer(0));
    } catch (e) {
      const error = new TypeError('Invalid digest');
      error.code = 'ERR_CRYPTO_INVALID_DIGEST';
      throw error;
    }
  }
  function signWith(digest, data, key) {
    if (key === undefined || key === null) {
      const error = new Error('No key provided to sign');
      error.code = 'ERR_CRYPTO_SIGN_KEY_REQUIRED';
      throw error;
    }
    const options = signatureOptions(key, digest);
    const parts = keyParts(asymmetricKey(key, 'private', 'private'));
    return new Buffer(native.keySign(bytesOf(parts.der), true, bytesOf(data), options));
  }
  function verifyWith(digest, data, key, signature) {
    const options = signatureOptions(key, digest);
    const parts = keyParts(asymmetricKey(key, 'public', 'private or public'));
    return native.keyVerify(bytesOf(parts.der), parts.type === 'private', bytesOf(data), bytesOf(signature), options);
  }
  function notInitialised() {
    const error = new Error('Not initialised');
    error.code = 'ERR_CRYPTO_INVALID_STATE';
    return error;
  }
  // createSign/createVerify: updates collected, signed or verified once.
  class SignatureInput {
    constructor(algorithm) {
      checkDigest(algorithm);
      this._algorithm = algorithm;
      this._parts = [];
      this._done = false;
    }
    update(data, encoding) {
      if (this._done) throw notInitialised();
      this._parts.push(cryptoInput('data', data, encoding));
      return this;
    }
    write(data, encoding) {
      this.update(data, encoding);
      return true;
    }
    end(data, encoding) {
      if (data !== undefined) this.update(data, encoding);
      return this;
    }
  }
  class Sign extends SignatureInput {
    sign(key, encoding) {
      if (this._done) throw notInitialised();
      const signature = signWith(this._algorithm, Buffer.concat(this._parts), key);
      this._done = true;
      return encoding === undefined || encoding === 'buffer' ? signature : signature.toString(encoding);
    }
  }
  class Verify extends SignatureInput {
    verify(key, signature, encoding) {
      if (this._done) throw notInitialised();
      const bytes = typeof signature === 'string' ? Buffer.from(signature, encoding) : signature;
      if (!isBytes(bytes)) throw invalidArgType('signature', 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView', signature);
      const valid = verifyWith(this._algorithm, Buffer.concat(this._parts), key, bytes);
      this._done = true;
      return valid;
    }
  }
  // crypto.sign/verify: synchronous, or the result handed to `callback` on a later turn.
  function oneShot(run, callback) {
    if (callback !== undefined && typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    if (callback === undefined) return run();
    let result;
    let failure = null;
    try {
      result = run();
    } catch (e) {
      failure = e;
    }
    queueMicrotask(() => (failure ? callback(failure) : callback(null, result)));
    return undefined;
  }
  function cryptoSign(algorithm, data, key, callback) {
    if (algorithm !== undefined && algorithm !== null) checkDigestNamed(algorithm);
    if (!isBytes(data)) throw invalidArgType('data', 'an instance of Buffer, TypedArray, or DataView', data);
    return oneShot(() => signWith(algorithm, data, key), callback);
  }
  function cryptoVerify(algorithm, data, key, signature, callback) {
    if (algorithm !== undefined && algorithm !== null) checkDigestNamed(algorithm);
    if (!isBytes(data)) throw invalidArgType('data', 'an instance of Buffer, TypedArray, or DataView', data);
    if (!isBytes(signature)) throw invalidArgType('signature', 'an instance of Buffer, TypedArray, or DataView', signature);
    return oneShot(() => verifyWith(algorithm, data, key, signature), callback);
  }
  // crypto.sign/verify name the digest in their message (createSign does not).
  function checkDigestNamed(algorithm) {
    if (typeof algorithm !== 'string') throw invalidArgType('algorithm', 'of type string', algorithm);
    try {
      native.digest(algorithm, new ArrayBuffer(0));
    } catch (e) {
      const error = new TypeError('Invalid digest: ' + algorithm);
      error.code = 'ERR_CRYPTO_INVALID_DIGEST';
      throw error;
    }
  }
  const createSign = (algorithm) => new Sign(algorithm);
  const createVerify = (algorithm) => new Verify(algorithm);
  const cryptoConstants = {
    RSA_PKCS1_PADDING: 1, RSA_NO_PADDING: 3, RSA_PKCS1_OAEP_PADDING: 4, RSA_PKCS1_PSS_PADDING: 6,
    RSA_PSS_SALTLEN_DIGEST: -1, RSA_PSS_SALTLEN_MAX_SIGN: -2, RSA_PSS_SALTLEN_AUTO: -2,
  };
  // webcrypto: digest; HMAC (raw, jwk); RSASSA-PKCS1-v1_5, RSA-PSS and ECDSA P-256 (spki, pkcs8,
  // jwk; raw EC points) on the same natives as KeyObject. Node's DOMException names and messages.
  const SUBTLE_HASHES = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
  const domError = (message, name) => new DOMExceptionClass(message, name);
  function hashName(algorithm) {
    const name = typeof algorithm === 'string' ? algorithm : algorithm && algorithm.name;
    const upper = String(name).toUpperCase();
    if (!SUBTLE_HASHES[upper]) throw domError('Unrecognized algorithm name', 'NotSupportedError');
    return upper;
  }
  function subtleHash(algorithm) {
    return SUBTLE_HASHES[hashName(algorithm)];
  }
  const SUBTLE_ALGORITHMS = { HMAC: 'HMAC', 'RSASSA-PKCS1-V1_5': 'RSASSA-PKCS1-v1_5', 'RSA-PSS': 'RSA-PSS', ECDSA: 'ECDSA' };
  const SIGN_USAGES = { HMAC: ['sign', 'verify'] };
  function normalizeAlgorithm(algorithm) {
    const params = typeof algorithm === 'string' ? { name: algorithm } : algorithm;
    const name = SUBTLE_ALGORITHMS[String(params && params.name).toUpperCase()];
    if (!name) throw domError('Unrecognized algorithm name', 'NotSupportedError');
    return Object.assign({}, params, { name });
  }
  function requireParam(params, member, dictionary) {
    if (params[member] === undefined) {
      throw new TypeError("Failed to normalize algorithm: passed algorithm can not be converted to '" + dictionary +
        "' because '" + member + "' is required in '" + dictionary + "'.");
    }
  }
  const CRYPTO_KEY_TOKEN = Symbol('CryptoKey');
  let cryptoKeyHandle;
  class CryptoKey {
    #handle;
    static {
      cryptoKeyHandle = (key) => key.#handle;
    }
    constructor(token, type, algorithm, extractable, usages, handle) {
      if (token !== CRYPTO_KEY_TOKEN) throw new TypeError('Illegal constructor');
      this.type = type;
      this.extractable = extractable;
      this.algorithm = algorithm;
      this.usages = usages;
      this.#handle = handle;
    }
    get [Symbol.toStringTag]() {
      return 'CryptoKey';
    }
  }
  // The KeyObject behind a CryptoKey (KeyObject.from, and CryptoKeys given to crypto.sign).
  function cryptoKeyObject(key) {
    const handle = cryptoKeyHandle(key);
    return handle.keyObject || createSecretKey(handle.bytes);
  }
  const RSA_JWK_ALG = { 'RSASSA-PKCS1-v1_5': 'RS', 'RSA-PSS': 'PS' };
  function importAsymmetric(format, keyData, params, usages) {
    const isEc = params.name === 'ECDSA';
    if (isEc) {
      requireParam(params, 'namedCurve', 'EcKeyImportParams');
      if (params.namedCurve !== 'P-256') throw notEmulated('ECDSA ' + params.namedCurve + ' keys');
    } else {
      requireParam(params, 'hash', 'RsaHashedImportParams');
    }
    let request;
    let bytes;
    if (format === 'jwk') {
      if (keyData === null || typeof keyData !== 'object') throw domError('Invalid keyData', 'DataError');
      if (keyData.kty !== (isEc ? 'EC' : 'RSA')) throw domError('Invalid JWK "kty" Parameter', 'DataError');
      if (!isEc && keyData.alg !== undefined && keyData.alg !== RSA_JWK_ALG[params.name] + hashName(params.hash).slice(4)) {
        throw domError('JWK "alg" does not match the requested algorithm', 'DataError');
      }
      if (isEc && keyData.crv !== params.namedCurve) throw domError('JWK "crv" does not match the requested algorithm', 'DataError');
      request = { format: 'jwk', want: keyData.d === undefined ? 'public' : 'private', jwk: keyData };
    } else if (format === 'spki' || format === 'pkcs8') {
      request = { format: 'der', type: format, want: format === 'spki' ? 'public' : 'private' };
      bytes = bytesOf(cryptoInput('keyData', keyData));
    } else if (format === 'raw' && isEc) {
      request = { format: 'ec-point', want: 'public' };
      bytes = bytesOf(cryptoInput('keyData', keyData));
    } else {
      throw domError('Unable to import ' + params.name + ' using ' + format + ' format', 'NotSupportedError');
    }
    let description;
    try {
      description = JSON.parse(native.keyImport(JSON.stringify(request), bytes));
    } catch (e) {
      if (e.code === 'ERR_ACTIONKIT_NOT_EMULATED') throw e;
      throw domError('Invalid keyData', 'DataError');
    }
    if (description.asymmetricKeyType !== (isEc ? 'ec' : 'rsa')) throw domError('Invalid key type', 'DataError');
    const type = description.type;
    const allowed = type === 'private' ? ['sign'] : ['verify'];
    if (usages.some((u) => !allowed.includes(u))) {
      throw domError('Unsupported key usage for ' + (isEc ? 'a ECDSA' : 'an ' + params.name) + ' key', 'SyntaxError');
    }
    const algorithm = isEc
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : {
          name: params.name,
          modulusLength: description.modulusLength,
          publicExponent: exponentBytes(BigInt(description.publicExponent)),
          hash: { name: hashName(params.hash) },
        };
    return { type, algorithm, handle: { keyObject: keyObjectOf(description) } };
  }
  function exponentBytes(e) {
    const out = [];
    for (let v = e; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
    return new Uint8Array(out);
  }
  function checkUsage(key, usage, params) {
    if (!(key instanceof CryptoKey)) throw invalidArgType('key', 'an instance of CryptoKey', key);
    if (!key.usages.includes(usage) || key.algorithm.name !== params.name) {
      throw domError('Unable to use this key to ' + usage, 'InvalidAccessError');
    }
  }
  function asymmetricSignOptions(key, params) {
    if (params.name === 'RSA-PSS') {
      requireParam(params, 'saltLength', 'RsaPssParams');
      return JSON.stringify({ digest: subtleHash(key.algorithm.hash), padding: 6, saltLength: params.saltLength });
    }
    if (params.name === 'ECDSA') {
      requireParam(params, 'hash', 'EcdsaParams');
      return JSON.stringify({ digest: subtleHash(params.hash), dsaEncoding: 'ieee-p1363' });
    }
    return JSON.stringify({ digest: subtleHash(key.algorithm.hash) });
  }
  const subtle = {
    digest: async (algorithm, data) => native.digest(subtleHash(algorithm), bytesOf(cryptoInput('data', data))),
    importKey: async (format, keyData, algorithm, extractable, usages) => {
      const params = normalizeAlgorithm(algorithm);
      const keyUsages = Array.from(usages || []);
      if (params.name === 'HMAC') {
        requireParam(params, 'hash', 'HmacImportParams');
        let bytes;
        if (format === 'raw') bytes = cryptoInput('keyData', keyData);
        else if (format === 'jwk' && keyData && keyData.kty === 'oct' && typeof keyData.k === 'string') bytes = Buffer.from(keyData.k, 'base64url');
        else throw domError('Unable to import HMAC key with format ' + format, 'NotSupportedError');
        if (keyUsages.some((u) => !SIGN_USAGES.HMAC.includes(u))) throw domError('Unsupported key usage for an HMAC key', 'SyntaxError');
        const hash = hashName(params.hash);
        return new CryptoKey(CRYPTO_KEY_TOKEN, 'secret', { name: 'HMAC', length: bytes.length * 8, hash: { name: hash } }, !!extractable, keyUsages, { hash: SUBTLE_HASHES[hash], bytes });
      }
      const imported = importAsymmetric(format, keyData, params, keyUsages);
      return new CryptoKey(CRYPTO_KEY_TOKEN, imported.type, imported.algorithm, !!extractable, keyUsages, imported.handle);
    },
    exportKey: async (format, key) => {
      if (!(key instanceof CryptoKey)) throw invalidArgType('key', 'an instance of CryptoKey', key);
      if (!key.extractable) throw domError('key is not extractable', 'InvalidAccessException');
      const handle = cryptoKeyHandle(key);
      if (key.type === 'secret') {
        if (format === 'raw') return bytesOf(handle.bytes);
        if (format === 'jwk') return { key_ops: key.usages.slice(), ext: true, alg: 'HS' + key.algorithm.hash.name.slice(4), kty: 'oct', k: handle.bytes.toString('base64url') };
        throw domError('Unable to export a raw HMAC key', 'NotSupportedError');
      }
      const parts = keyParts(handle.keyObject);
      const held = bytesOf(parts.der);
      if (format === 'jwk') {
        const jwk = JSON.parse(native.keyExport(held, parts.type === 'private', 'jwk'));
        const alg = key.algorithm.name === 'ECDSA' ? {} : { alg: RSA_JWK_ALG[key.algorithm.name] + key.algorithm.hash.name.slice(4) };
        return Object.assign({ key_ops: key.usages.slice(), ext: true }, alg, jwk);
      }
      if ((format === 'spki' && key.type === 'public') || (format === 'pkcs8' && key.type === 'private')) return held.slice(0);
      if (format === 'raw' && key.type === 'public' && key.algorithm.name === 'ECDSA') return native.keyExport(held, false, 'ec-point');
      throw domError('Unable to export ' + key.algorithm.name + ' ' + key.type + ' key using ' + format + ' format', 'InvalidAccessError');
    },
    sign: async (algorithm, key, data) => {
      const params = normalizeAlgorithm(algorithm);
      const options = params.name === 'HMAC' ? null : asymmetricSignOptions(key, params);
      checkUsage(key, 'sign', params);
      const handle = cryptoKeyHandle(key);
      const bytes = bytesOf(cryptoInput('data', data));
      if (params.name === 'HMAC') return native.hmac(handle.hash, bytesOf(handle.bytes), bytes);
      return native.keySign(bytesOf(keyParts(handle.keyObject).der), true, bytes, options);
    },
    verify: async (algorithm, key, signature, data) => {
      const params = normalizeAlgorithm(algorithm);
      const options = params.name === 'HMAC' ? null : asymmetricSignOptions(key, params);
      checkUsage(key, 'verify', params);
      const handle = cryptoKeyHandle(key);
      const bytes = bytesOf(cryptoInput('data', data));
      const given = bytesOf(cryptoInput('signature', signature));
      if (params.name === 'HMAC') {
        const mac = new Uint8Array(native.hmac(handle.hash, bytesOf(handle.bytes), bytes));
        return mac.length === given.byteLength && timingSafeEqual(mac, new Uint8Array(given));
      }
      return native.keyVerify(bytesOf(keyParts(handle.keyObject).der), false, bytes, given, options);
    },
  };
  const cryptoModule = {
    createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual, getRandomValues,
    createPrivateKey, createPublicKey, createSecretKey, KeyObject, createSign, createVerify,
    sign: cryptoSign, verify: cryptoVerify, constants: cryptoConstants,
    Sign, Verify,
    getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'],
    webcrypto: crypto, subtle,
  };

  return { cryptoModule, CryptoKey, subtle };
})
