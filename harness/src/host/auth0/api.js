// The post-login v3 `api` object, with Auth0's client-side validation, messages and return
// values (reference: auth0-postlogin-surface.md section 2). Every call is handed to the native
// recorder in call order; what the calls add up to is computed in Rust (`aggregate.rs`), so this
// file only validates, records, and keeps the state a later call in the same Action can observe
// (cache, transaction/session metadata, render-vs-redirect, once-only setPrimaryUser).
(function (native) {
  'use strict';

  // Auth0's limits, handed in from Rust (crate auth0-platform): no number is written here.
  const {
    MAX_SCOPE_LENGTH, MAX_SCOPES, MAX_USER_ID_LENGTH, PROMPT_OPTIONS_LIMIT, SAML_ATTRIBUTES_LIMIT, SAML_CERT_LIMIT,
    CACHE_KEY_LIMIT, CACHE_VALUE_LIMIT, CACHE_TOTAL_LIMIT, CACHE_DEFAULT_TTL, NOT_REDIRECTABLE,
    METADATA_KEY_MAX_LENGTH, METADATA_VALUE_MAX_LENGTH, METADATA_MAX_ENTRIES, REVOKE_REASON_MAX_LENGTH,
    TRANSACTION_METADATA_KEY_MAX_LENGTH, TRANSACTION_METADATA_VALUE_MAX_BYTES, TRANSACTION_METADATA_MAX_BYTES,
    SAML_ATTRIBUTE_NAME_MAX_LENGTH, SAML_VALUE_MAX_LENGTH,
  } = native.limits;

  function utf8Length(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
      else n += 3;
    }
    return n;
  }

  // The end of Node's ERR_INVALID_ARG_TYPE message (lib/internal/errors.js), for the values an
  // Action passes by mistake.
  function describeReceived(value) {
    if (value === null || value === undefined) return ' Received ' + value;
    if (typeof value === 'function') return value.name ? ' Received function ' + value.name : ' Received type function ([Function (anonymous)])';
    if (typeof value === 'object') {
      return value.constructor && value.constructor.name ? ' Received an instance of ' + value.constructor.name : ' Received [Object: null prototype] {}';
    }
    let shown = typeof value === 'bigint' ? value + 'n' : typeof value === 'symbol' ? value.toString() : Object.is(value, -0) ? '-0' : String(value);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return ' Received type ' + typeof value + ' (' + shown + ')';
  }

  // `Buffer.byteLength(value, 'utf-8')` as Auth0's cache limits call it: Node's TypeError for
  // anything but a string, a Buffer/typed array/DataView or an ArrayBuffer.
  function byteLength(value) {
    if (typeof value === 'string') return utf8Length(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
    const error = new TypeError('The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.' +
      describeReceived(value));
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }

  // JSON for the recorder that never throws: cycles and BigInts become strings, like a log line.
  function toJson(args) {
    try {
      return JSON.stringify(args, (k, v) => (typeof v === 'bigint' ? v.toString() + 'n' : v === undefined ? null : v));
    } catch (e) {
      return JSON.stringify(args.map((a) => String(a)));
    }
  }

  // Auth0's deepClone (plain objects and arrays; anything else as is).
  function deepClone(obj) {
    if (!obj) return obj;
    if (Array.isArray(obj)) return obj.map(deepClone);
    if (typeof obj === 'object') {
      const copy = {};
      for (const key of Object.keys(obj)) copy[key] = deepClone(obj[key]);
      return copy;
    }
    return obj;
  }

  function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function validateScope(scope) {
    if (typeof scope !== 'string') throw new TypeError('The value for the scope must be a string.');
    const value = scope.trim();
    if (value.length === 0) throw new Error('The value for the scope is required.');
    if (value.length > MAX_SCOPE_LENGTH) {
      throw new Error('The value for the scope exceeds the allowed maximum of ' + MAX_SCOPE_LENGTH + ' characters.');
    }
    if (/\s/.test(value)) throw new Error('The value for the scope must not have whitespace.');
    return value;
  }

  // Auth0's ServerSessionValidator / RefreshTokenValidator (copied from auth0-sessions-lib):
  // the metadata after the change, checked as a whole; `undefined` when valid.
  const METADATA_KEY_PATTERN = new RegExp('^[a-zA-Z0-9_-]{1,' + METADATA_KEY_MAX_LENGTH + '}$');
  function metadataProblem(metadata) {
    const entries = Object.entries(metadata);
    if (entries.length > METADATA_MAX_ENTRIES) return 'Metadata must not contain more than ' + METADATA_MAX_ENTRIES + ' entries';
    for (const [key, value] of entries) {
      if (key.length > METADATA_KEY_MAX_LENGTH) return 'All metadata keys must be at most ' + METADATA_KEY_MAX_LENGTH + ' characters long';
      if (key.includes('\x00')) return 'Metadata keys must not contain null bytes (\x00)';
      if (!METADATA_KEY_PATTERN.test(key)) return 'Metadata keys may only include letters, numbers, underscores, or hyphens';
      if (value.length > METADATA_VALUE_MAX_LENGTH) return 'All metadata values must be at most ' + METADATA_VALUE_MAX_LENGTH + ' characters long';
      if (value.includes('\x00')) return 'Metadata values must not contain null bytes (\x00)';
    }
    return undefined;
  }

  function validateExpiry(name, value) {
    if (!value) throw new Error('Either inactivity or absolute expiration time must be provided');
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(name + ' must be number');
  }

  function b64urlJson(value) {
    return native.b64url(JSON.stringify(value));
  }

  function makeApi(event, options) {
    const api = {};
    // primaryUserSet: Auth0's `hasSetPrimaryUser()` is per transaction, so an earlier Action's
    // call counts (handed in by the runner).
    const live = { rendered: false, redirected: false, primaryUserSet: !!options.primaryUserSet, scopeAdds: new Set() };
    const cache = new Map(options.cache || []);
    const rulesRun = options.rules || [];
    let mfaCommands = 0;

    // Records the call; when `body` throws, the call is recorded with the thrown message.
    function call(method, args, body) {
      const list = Array.prototype.slice.call(args);
      let result;
      try {
        result = body ? body.apply(null, list) : undefined;
      } catch (e) {
        native.record(method, toJson(list), String(e && e.message !== undefined ? e.message : e));
        throw e;
      }
      native.record(method, toJson(list), undefined);
      return result;
    }

    function abort(message) {
      native.abort(message);
    }

    api.access = {
      deny: function deny(reason) {
        call('access.deny', arguments);
        return api;
      },
    };

    function tokenApi(name, withScopes) {
      const token = {
        setCustomClaim: function setCustomClaim(key, value) {
          call(name + '.setCustomClaim', arguments, () => {
            if (key === 'scope') throw new Error('The "scope" claim cannot be set.');
          });
          return api;
        },
      };
      if (withScopes) {
        token.addScope = function addScope(scope) {
          call(name + '.addScope', arguments, () => {
            const value = validateScope(scope);
            live.scopeAdds.add(value);
            if (live.scopeAdds.size > MAX_SCOPES) {
              throw new Error('The number of scopes exceeds the allowed maximum of ' + MAX_SCOPES + '.');
            }
          });
          return undefined;
        };
        token.removeScope = function removeScope(scope) {
          call(name + '.removeScope', arguments, () => { validateScope(scope); });
          return undefined;
        };
      }
      return token;
    }
    api.accessToken = tokenApi('accessToken', true);
    api.idToken = tokenApi('idToken', false);

    function metadataSetter(method, field, message) {
      return function (key, value) {
        call('user.' + method, arguments, () => {
          const current = event && event.user ? event.user[field] : undefined;
          if (!isPlainObject(current)) throw new Error(message);
        });
        return api;
      };
    }
    api.user = {
      setAppMetadata: metadataSetter('setAppMetadata', 'app_metadata', 'Unexpected app_metadata format. Must be a valid JSON object'),
      setUserMetadata: metadataSetter('setUserMetadata', 'user_metadata', 'Unexpected user_metadata format. Must be a valid JSON object.'),
    };

    function mfaCommand(method) {
      return function () {
        call('authentication.' + method, arguments, () => { mfaCommands += 1; });
        return undefined;
      };
    }
    api.authentication = {
      challengeWith: mfaCommand('challengeWith'),
      challengeWithAny: mfaCommand('challengeWithAny'),
      enrollWith: mfaCommand('enrollWith'),
      enrollWithAny: mfaCommand('enrollWithAny'),
      recordMethod: function recordMethod(providerUrl) {
        call('authentication.recordMethod', arguments);
        return api;
      },
      setPrimaryUser: function setPrimaryUser(primaryUserId) {
        call('authentication.setPrimaryUser', arguments, () => {
          if (live.primaryUserSet) throw new Error('The primary user can only be altered once per transaction');
          if (typeof primaryUserId !== 'string' || primaryUserId.length === 0) {
            throw new Error('The provided primary_user_id must be a non-empty string');
          }
          if (primaryUserId.length > MAX_USER_ID_LENGTH) throw new Error('The provided primary_user_id exceeds the maximum length.');
          live.primaryUserSet = true;
        });
        return undefined;
      },
    };

    api.multifactor = {
      enable: function enable(provider, options) {
        call('multifactor.enable', arguments);
        return api;
      },
    };

    api.redirect = {
      sendUserTo: function sendUserTo(url, options) {
        if (live.rendered) {
          call('redirect.sendUserTo', arguments);
          abort('Redirect and render commands cannot be used in the same action.');
          return api;
        }
        const target = call('redirect.sendUserTo', arguments, () => {
          const parsed = new URL(url);
          const query = options && options.query ? options.query : {};
          for (const name of Object.keys(query)) parsed.searchParams.set(name, String(query[name]));
          live.redirected = true;
          return parsed.href;
        });
        native.redirectTarget(target);
        return api;
      },
      encodeToken: function encodeToken(options) {
        // The secret is never recorded.
        const shown = {};
        if (options && options.payload !== undefined) shown.payload = options.payload;
        if (options && options.expiresInSeconds !== undefined) shown.expiresInSeconds = options.expiresInSeconds;
        return call('redirect.encodeToken', [shown], () => {
          if (!options || typeof options.secret !== 'string') throw new TypeError('The "secret" option must be a string.');
          const iat = Math.floor(Date.now() / 1000);
          const expires = options.expiresInSeconds === undefined ? 900 : options.expiresInSeconds;
          const request = (event && event.request) || {};
          const claims = Object.assign({
            iat: iat,
            iss: request.hostname,
            sub: event && event.user ? event.user.user_id : undefined,
            exp: iat + expires,
            ip: request.ip,
          }, options.payload || {});
          const signingInput = b64urlJson({ alg: 'HS256', typ: 'JWT' }) + '.' + b64urlJson(claims);
          return signingInput + '.' + native.hs256(options.secret, signingInput);
        });
      },
      validateToken: function validateToken(options) {
        const shown = {};
        if (options && options.tokenParameterName !== undefined) shown.tokenParameterName = options.tokenParameterName;
        return call('redirect.validateToken', [shown], () => {
          const name = (options && options.tokenParameterName) || 'session_token';
          const request = (event && event.request) || {};
          const params = Object.assign({}, request.query || {}, request.body || {});
          const token = params[name];
          if (!token) {
            throw new Error("There is no parameter called '" + name + "' available in either the POST body or query string.");
          }
          const invalid = (reason) => new Error('The session token is invalid: ' + reason);
          const parts = String(token).split('.');
          if (parts.length !== 3) throw invalid('jwt malformed');
          let header, payload;
          try {
            header = JSON.parse(native.b64urlDecode(parts[0]));
            payload = JSON.parse(native.b64urlDecode(parts[1]));
          } catch (e) {
            throw invalid('jwt malformed');
          }
          if (!header || header.alg !== 'HS256') throw invalid('invalid algorithm');
          if (native.hs256(String(options && options.secret), parts[0] + '.' + parts[1]) !== parts[2]) {
            throw invalid('invalid signature');
          }
          if (typeof payload.exp === 'number' && Math.floor(Date.now() / 1000) >= payload.exp) throw invalid('jwt expired');
          if (request.hostname !== undefined && payload.iss !== request.hostname) {
            throw invalid('jwt issuer invalid. expected: ' + request.hostname);
          }
          const userId = event && event.user ? event.user.user_id : undefined;
          if (payload.sub !== userId) throw invalid('jwt subject invalid. expected: ' + userId);
          if (payload.state !== params.state) throw invalid('State in the token does not match the /continue state.');
          return payload;
        });
      },
      canRedirect: function canRedirect() {
        const request = (event && event.request) || {};
        const protocol = event && event.transaction ? event.transaction.protocol : undefined;
        const query = request.query || {};
        return !(query.prompt === 'none' || NOT_REDIRECTABLE.indexOf(protocol) !== -1);
      },
    };

    api.prompt = {
      render: function render(promptId, promptOptions) {
        if (live.redirected) {
          call('prompt.render', arguments);
          abort('Redirect and render commands cannot be used in the same action.');
          return undefined;
        }
        if (live.rendered) {
          call('prompt.render', arguments);
          abort('Only 1 render command per action is allowed.');
          return undefined;
        }
        call('prompt.render', arguments, () => {
          if (typeof promptId !== 'string') throw new Error('promptId must be string');
          if (promptId.length > 48) throw new Error('promptId must NOT have more than 48 characters');
          if (promptOptions !== undefined) {
            if (!isPlainObject(promptOptions)) throw new Error('promptOptions must be object');
            for (const key of Object.keys(promptOptions)) {
              if (key !== 'fields' && key !== 'vars') throw new Error('promptOptions must NOT have additional properties');
            }
            for (const part of ['fields', 'vars']) {
              const value = promptOptions[part];
              if (value === undefined) continue;
              if (!isPlainObject(value)) throw new Error(part + ' must be object');
              const keys = Object.keys(value);
              if (keys.length > 24) throw new Error(part + ' must NOT have more than 24 properties');
              if (part === 'fields') {
                for (const key of keys) {
                  if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,49}$/.test(key)) throw new Error('fields property name must match pattern "^[a-zA-Z_][a-zA-Z0-9_]{0,49}$"');
                }
              }
            }
            if (utf8Length(JSON.stringify(promptOptions)) > PROMPT_OPTIONS_LIMIT) {
              throw new Error('The total size of the prompt options exceeds the limit of ' + PROMPT_OPTIONS_LIMIT + ' bytes.');
            }
          }
          live.rendered = true;
        });
        return undefined;
      },
    };

    // Auth0's getCacheSize: every record counts, the one a `set` overwrites and expired ones
    // included.
    function cacheSize() {
      let total = 0;
      for (const [k, record] of cache) total += utf8Length(k) + byteLength(record.value);
      return total;
    }
    // Auth0's CacheAPIImpl: `get` returns the stored record itself, expired or not deleted;
    // `set` checks sizes with Buffer.byteLength (a TypeError for a number), then the expiry.
    api.cache = {
      get: function get(key) {
        const record = cache.get(key);
        if (!record) return undefined;
        if (record.expires_at < Date.now()) return undefined;
        return record;
      },
      set: function set(key, value, options) {
        return call('cache.set', arguments, () => {
          const keySize = byteLength(key);
          const valueSize = byteLength(value);
          if (keySize > CACHE_KEY_LIMIT) return { type: 'error', code: 'CacheKeySizeExceeded' };
          if (valueSize > CACHE_VALUE_LIMIT) return { type: 'error', code: 'CacheValueSizeExceeded' };
          if (cacheSize() + keySize + valueSize > CACHE_TOTAL_LIMIT) return { type: 'error', code: 'CacheSizeExceeded' };
          const now = Date.now();
          const finite = (n) => typeof n === 'number' && Number.isFinite(n);
          let expiresAt;
          const ttl = options ? options.ttl : undefined;
          if (ttl !== undefined) {
            if (!finite(ttl)) return { type: 'error', code: 'InvalidExpiry' };
            expiresAt = now + Math.floor(ttl);
          }
          const at = options ? options.expires_at : undefined;
          if (at !== undefined) {
            if (!finite(at)) return { type: 'error', code: 'InvalidExpiry' };
            expiresAt = finite(expiresAt) ? Math.min(expiresAt, Math.floor(at)) : Math.floor(at);
          }
          if (!finite(expiresAt)) expiresAt = now + CACHE_DEFAULT_TTL;
          if (expiresAt <= now) return { type: 'error', code: 'ItemAlreadyExpired' };
          if (!Number.isSafeInteger(expiresAt)) return { type: 'error', code: 'InvalidExpiry' };
          cache.set(key, { value: value, expires_at: expiresAt });
          return { type: 'success', record: cache.get(key) };
        });
      },
      delete: function del(key) {
        return call('cache.delete', arguments, () => {
          if (!cache.get(key)) return { type: 'error', code: 'CacheKeyDoesNotExist' };
          cache.delete(key);
          return { type: 'success' };
        });
      },
    };

    function notImplemented(method) {
      return function () {
        call('transaction.' + method, arguments, () => { throw new Error('Method not implemented.'); });
      };
    }
    api.transaction = {
      setMetadata: function setMetadata(key, value) {
        call('transaction.setMetadata', arguments, () => {
          if (typeof key !== 'string' || key.length === 0) throw new Error('The transaction metadata key must be a non-empty string.');
          if (key.length > TRANSACTION_METADATA_KEY_MAX_LENGTH) {
            throw new Error('The transaction metadata key exceeds the maximum length of ' + TRANSACTION_METADATA_KEY_MAX_LENGTH + ' characters.');
          }
          const t = typeof value;
          if (value !== null && t !== 'string' && t !== 'number' && t !== 'boolean') {
            throw new Error('The transaction metadata value must be a string, number, boolean or null.');
          }
          if (t === 'number' && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))) {
            throw new Error('The transaction metadata value must be a safe number.');
          }
          if (t === 'string' && utf8Length(value) > TRANSACTION_METADATA_VALUE_MAX_BYTES) {
            throw new Error('The transaction metadata value exceeds the maximum size of ' + TRANSACTION_METADATA_VALUE_MAX_BYTES / 1024 + ' KB.');
          }
          if (!event.transaction) event.transaction = { metadata: {} };
          if (!isPlainObject(event.transaction.metadata)) event.transaction.metadata = {};
          const next = Object.assign({}, event.transaction.metadata);
          if (value === null) delete next[key];
          else next[key] = value;
          if (utf8Length(JSON.stringify(next)) > TRANSACTION_METADATA_MAX_BYTES) {
            throw new Error('The transaction metadata exceeds the maximum total size of ' + TRANSACTION_METADATA_MAX_BYTES / 1024 + ' KB.');
          }
          if (value === null) delete event.transaction.metadata[key];
          else event.transaction.metadata[key] = value;
        });
        return undefined;
      },
      addTargetScope: notImplemented('addTargetScope'),
      removeTargetScope: notImplemented('removeTargetScope'),
      setTargetScopes: notImplemented('setTargetScopes'),
      clearTargetScopes: notImplemented('clearTargetScopes'),
    };

    // Auth0's SessionAPIImpl / RefreshTokenAPIImpl metadata methods. Each keeps its own copy of
    // the metadata taken when the api was made; a value that fails validation stays in that copy
    // (Auth0 assigns before validating), so later sets fail too, as on Auth0. The session needs a
    // session at that time; refresh-token metadata may be set before a refresh token exists.
    function metadataApi(prefix, name, holder, isSession, guard) {
      const errorPrefix = 'Failed to set ' + name + ' metadata: ';
      const initial = holder();
      let local;
      if (isSession) local = initial ? (isPlainObject(initial.metadata) ? deepClone(initial.metadata) : {}) : undefined;
      else local = initial && isPlainObject(initial.metadata) ? deepClone(initial.metadata) : {};
      function publish() {
        const target = holder();
        if (target) target.metadata = deepClone(local);
      }
      return {
        setMetadata: function setMetadata(key, value) {
          call(prefix + '.setMetadata', arguments, () => {
            try {
              if (guard) guard('setMetadata');
              if (!local || (isSession && !holder())) throw new Error('Cannot set metadata on a ' + name + ' that does not exist.');
              if (typeof key !== 'string') throw new Error('Invalid metadata: Metadata key must be a string');
              if (value === null) {
                if (!(key in local)) return;
                delete local[key];
              } else {
                if (typeof value !== 'string') throw new Error('Invalid metadata: Metadata value must be a string');
                local[key] = value;
                const problem = metadataProblem(local);
                if (problem) throw new Error('Invalid metadata: ' + problem);
              }
              publish();
            } catch (e) {
              throw new Error(errorPrefix + (e instanceof Error ? e.message : String(e)));
            }
          });
          return undefined;
        },
        deleteMetadata: function deleteMetadata(key) {
          call(prefix + '.deleteMetadata', arguments, () => {
            if (guard) guard('deleteMetadata');
            if (!local || (isSession && !holder())) return;
            if (key in local) {
              delete local[key];
              publish();
            }
          });
          return undefined;
        },
        evictMetadata: function evictMetadata() {
          call(prefix + '.evictMetadata', arguments, () => {
            if (guard) guard('evictMetadata');
            if (!local || (isSession && !holder())) return;
            if (!isSession && Object.keys(local).length === 0) return;
            local = {};
            const target = holder();
            if (target) target.metadata = {};
          });
          return undefined;
        },
      };
    }

    api.session = Object.assign(metadataApi('session', 'session', () => event.session, true, null), {
      revoke: function revoke(reason, options) {
        call('session.revoke', arguments, () => {
          // Auth0 validates `{ message: reason, options }`, so the schema errors name `message`.
          if (typeof reason !== 'string') throw new Error('message must be string');
          if (options !== undefined) {
            if (!isPlainObject(options)) throw new Error('options must be object');
            for (const k of Object.keys(options)) if (k !== 'preserveRefreshTokens') throw new Error('options must NOT have additional properties');
            if (options.preserveRefreshTokens !== undefined && typeof options.preserveRefreshTokens !== 'boolean') {
              throw new Error('options/preserveRefreshTokens must be boolean');
            }
          }
        });
        return undefined;
      },
      setExpiresAt: function setExpiresAt(absolute) {
        call('session.setExpiresAt', arguments, () => validateExpiry('absolute', absolute));
        return undefined;
      },
      setIdleExpiresAt: function setIdleExpiresAt(inactivity) {
        call('session.setIdleExpiresAt', arguments, () => validateExpiry('inactivity', inactivity));
        return undefined;
      },
      setCookieMode: function setCookieMode(mode) {
        call('session.setCookieMode', arguments, () => {
          if (!mode) throw new Error('Cookie mode must be provided');
          if (mode !== 'persistent' && mode !== 'non-persistent') {
            throw new Error('Invalid cookie mode: ' + mode + ". Valid values are 'persistent' and 'non-persistent'.");
          }
          if (event.session && Object.keys(event.session).length > 0) {
            event.session.cookie = Object.assign({}, event.session.cookie, { mode: mode });
          }
        });
        return undefined;
      },
    });

    function onlineCheck(method) {
      if (event.refresh_token && event.refresh_token.access === 'online') {
        throw new Error('Cannot call ' + method + ' on an online refresh token.');
      }
    }
    api.refreshToken = Object.assign(metadataApi('refreshToken', 'refresh token', () => event.refresh_token, false, onlineCheck), {
      revoke: function revoke(reason) {
        call('refreshToken.revoke', arguments, () => {
          if (typeof reason !== 'string') throw new Error('message must be string');
          if (reason.length > REVOKE_REASON_MAX_LENGTH) {
            throw new Error('message must NOT have more than ' + REVOKE_REASON_MAX_LENGTH + ' characters');
          }
        });
        return undefined;
      },
      setExpiresAt: function setExpiresAt(absolute) {
        call('refreshToken.setExpiresAt', arguments, () => {
          onlineCheck('setExpiresAt');
          validateExpiry('absolute', absolute);
        });
        return undefined;
      },
      setIdleExpiresAt: function setIdleExpiresAt(inactivity) {
        call('refreshToken.setIdleExpiresAt', arguments, () => {
          onlineCheck('setIdleExpiresAt');
          validateExpiry('inactivity', inactivity);
        });
        return undefined;
      },
    });

    const samlAttributes = {};
    function samlString(name, max) {
      return function (value) {
        call('samlResponse.' + name, arguments, () => {
          if (typeof value !== 'string') throw new Error(name + ' must be string');
          if (value.length > max) throw new Error(name + ' must NOT have more than ' + max + ' characters');
        });
        return api;
      };
    }
    function samlBoolean(name) {
      return function (value) {
        call('samlResponse.' + name, arguments, () => {
          if (typeof value !== 'boolean') throw new Error(name + ' must be boolean');
        });
        return api;
      };
    }
    function samlEnum(name, allowed) {
      return function (value) {
        call('samlResponse.' + name, arguments, () => {
          if (allowed.indexOf(value) === -1) throw new Error(name + ' must be equal to one of the allowed values: ' + allowed.join(', '));
        });
        return api;
      };
    }
    function samlScalar(v) {
      return v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= SAML_VALUE_MAX_LENGTH);
    }
    api.samlResponse = {
      setAttribute: function setAttribute(name, value) {
        call('samlResponse.setAttribute', arguments, () => {
          if (typeof name !== 'string') throw new Error('attribute name must be string');
          if (name.length > SAML_ATTRIBUTE_NAME_MAX_LENGTH) {
            throw new Error('attribute name must NOT have more than ' + SAML_ATTRIBUTE_NAME_MAX_LENGTH + ' characters');
          }
          const v = value === undefined ? null : value;
          if (!(samlScalar(v) || (Array.isArray(v) && v.every((x) => x !== null && samlScalar(x))))) {
            throw new Error('attribute value must be a string (at most ' + SAML_VALUE_MAX_LENGTH + ' characters), number, boolean, null or an array of those');
          }
          const next = Object.assign({}, samlAttributes);
          next[name] = v;
          if (utf8Length(JSON.stringify(next)) > SAML_ATTRIBUTES_LIMIT) {
            throw new Error('The total size of the SAML attributes exceeds the limit of ' + SAML_ATTRIBUTES_LIMIT + ' bytes.');
          }
          samlAttributes[name] = v;
        });
        return api;
      },
      setAudience: samlString('setAudience', SAML_VALUE_MAX_LENGTH),
      setRecipient: samlString('setRecipient', SAML_VALUE_MAX_LENGTH),
      setDestination: samlString('setDestination', SAML_VALUE_MAX_LENGTH),
      setCreateUpnClaim: samlBoolean('setCreateUpnClaim'),
      setPassthroughClaimsWithNoMapping: samlBoolean('setPassthroughClaimsWithNoMapping'),
      setMapUnknownClaimsAsIs: samlBoolean('setMapUnknownClaimsAsIs'),
      setMapIdentities: samlBoolean('setMapIdentities'),
      setSignResponse: samlBoolean('setSignResponse'),
      setIncludeAttributeNameFormat: samlBoolean('setIncludeAttributeNameFormat'),
      setTypedAttributes: samlBoolean('setTypedAttributes'),
      setLifetimeInSeconds: function setLifetimeInSeconds(value) {
        call('samlResponse.setLifetimeInSeconds', arguments, () => {
          if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error('setLifetimeInSeconds must be number');
        });
        return api;
      },
      setSignatureAlgorithm: samlEnum('setSignatureAlgorithm', ['rsa-sha256', 'rsa-sha1']),
      setDigestAlgorithm: samlEnum('setDigestAlgorithm', ['sha256', 'sha1']),
      setEncryptionAlgorithm: samlEnum('setEncryptionAlgorithm', ['aes256-gcm', 'aes256-cbc']),
      setNameIdentifierFormat: function setNameIdentifierFormat(value) {
        call('samlResponse.setNameIdentifierFormat', arguments, () => {
          if (value !== undefined && (typeof value !== 'string' || value.length > 512)) {
            throw new Error('setNameIdentifierFormat must be a string of at most 512 characters');
          }
        });
        return api;
      },
      setNameIdentifierProbes: function setNameIdentifierProbes(value) {
        call('samlResponse.setNameIdentifierProbes', arguments, () => {
          if (!Array.isArray(value) || value.length > 10 || !value.every((v) => typeof v === 'string' && v.length <= 512)) {
            throw new Error('setNameIdentifierProbes must be an array of at most 10 strings of at most 512 characters');
          }
        });
        return api;
      },
      setAuthnContextClassRef: samlString('setAuthnContextClassRef', 512),
      setSigningCert: samlString('setSigningCert', SAML_CERT_LIMIT),
      setEncryptionCert: samlString('setEncryptionCert', SAML_CERT_LIMIT),
      setEncryptionPublicKey: samlString('setEncryptionPublicKey', SAML_CERT_LIMIT),
      setCert: samlString('setCert', SAML_CERT_LIMIT),
      setKey: samlString('setKey', SAML_CERT_LIMIT),
      setRelayState: samlString('setRelayState', 512),
      setIssuer: samlString('setIssuer', 512),
    };

    api.validation = {
      error: function error(errorCode, errorMessage) {
        call('validation.error', arguments, () => {
          if (typeof errorCode !== 'string') throw new Error('errorCode must be string');
          if (errorCode.length > 100) throw new Error('errorCode must NOT have more than 100 characters');
          if (typeof errorMessage !== 'string') throw new Error('errorMessage must be string');
          if (errorMessage.length > 100) throw new Error('errorMessage must NOT have more than 100 characters');
        });
        return api;
      },
    };

    api.rules = {
      wasExecuted: function wasExecuted(ruleId) {
        return rulesRun.indexOf(ruleId) !== -1;
      },
    };

    function takeFrom(options, maxTake) {
      if (options === undefined) return;
      if (!isPlainObject(options)) throw new Error('options must be object');
      if (options.from !== undefined && typeof options.from !== 'string') throw new Error('from must be string');
      if (options.take !== undefined && !(Number.isInteger(options.take) && options.take > 0 && options.take <= maxTake)) {
        throw new Error('take must be a positive integer' + (maxTake < Infinity ? ' of at most ' + maxTake : ''));
      }
    }
    api.groups = {
      getUserGroups: function getUserGroups(options) {
        return new Promise((resolve) => {
          call('groups.getUserGroups', arguments, () => takeFrom(options, Infinity));
          resolve({ groups: [] });
        });
      },
      hasGroupMembership: function hasGroupMembership(groups) {
        return new Promise((resolve) => {
          call('groups.hasGroupMembership', arguments, () => {
            if (!Array.isArray(groups) || groups.length === 0) throw new Error('groups must be a non-empty array');
          });
          const memberships = {};
          for (const g of groups) memberships[g] = { is_member: false };
          resolve({ memberships: memberships });
        });
      },
    };
    api.roles = {
      getUserEffectiveRoles: function getUserEffectiveRoles(options) {
        return new Promise((resolve) => {
          call('roles.getUserEffectiveRoles', arguments, () => takeFrom(options, 100));
          resolve({ roles: [] });
        });
      },
      getUserEffectiveRolesByIds: function getUserEffectiveRolesByIds(ids) {
        return new Promise((resolve) => {
          call('roles.getUserEffectiveRolesByIds', arguments, () => {
            if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw new Error('ids must be an array of 1 to 100 role ids');
          });
          resolve({ roles: [] });
        });
      },
      getUserEffectiveRolesByNames: function getUserEffectiveRolesByNames(names) {
        return new Promise((resolve) => {
          call('roles.getUserEffectiveRolesByNames', arguments, () => {
            if (!Array.isArray(names) || names.length === 0 || names.length > 50) throw new Error('names must be an array of 1 to 50 role names');
          });
          resolve({ roles: [] });
        });
      },
    };

    return {
      api: api,
      cacheEntries: () => JSON.stringify(Array.from(cache.entries())),
    };
  }

  // The loader's handler lookup (A0L getHandlerFactory), with Auth0's exact messages.
  function getHandler(module, entry) {
    const exported = module.exports;
    if (exported === null || typeof exported !== 'object') throw new Error('The Action must export an object.');
    if (entry !== 'onExecutePostLogin' && entry !== 'onContinuePostLogin') {
      throw new Error('The Action can only be called with valid methods.');
    }
    const handler = exported[entry];
    if (typeof handler !== 'function' || !handler.constructor || handler.constructor.name !== 'AsyncFunction') {
      throw new Error('Invalid function signature for the "' + entry + '" handler. Use "exports.' + entry +
        ' = async function(event, api) { }" as the signature.');
    }
    return handler;
  }

  return { makeApi: makeApi, getHandler: getHandler };
})
