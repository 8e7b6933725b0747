// Node's `assert` module: ok, equal/notEqual, strictEqual/notStrictEqual, deepEqual and
// deepStrictEqual (and their negations), throws/doesNotThrow, rejects/doesNotReject,
// match/doesNotMatch, fail, ifError, `strict`, AssertionError. Messages are Node 22's: the
// one-line form for short values, the `+ actual - expected` line diff of `util.inspect` output
// (compact: false, sorted) otherwise, and for a failed `assert(x)` the source of the call, read
// from the Action as Node reads it from the file. Returns the module and `isDeepStrictEqual`.
(function (native) {
  'use strict';

  const inspect = native.format.inspect;
  const inspectValue = (value) => inspect(value, { compact: false, sorted: true, depth: 1000, customInspect: false });

  const READABLE = {
    deepStrictEqual: 'Expected values to be strictly deep-equal:',
    strictEqual: 'Expected values to be strictly equal:',
    strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
    deepEqual: 'Expected values to be loosely deep-equal:',
    notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
    notStrictEqual: 'Expected "actual" to be strictly unequal to:',
    notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
    notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
    notIdentical: 'Values have same structure but are not reference-equal:',
    notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
  };
  // Node shows values this short (quotes not counted) as `a !== b` on one line.
  const SHORT_PAIR = 12;
  // Unchanged lines of a diff shown before the rest of a run collapses to `...`.
  const CONTEXT_LINES = 5;
  const isObjectLike = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';

  // The changes from `expected` lines to `actual` lines: an LCS table, walked so that in each
  // changed block the actual (+) lines come before the expected (-) ones, as Node prints them.
  // Lines differing only by a trailing comma are the same line (the last entry of an object
  // has none).
  function lineDiff(actual, expected, commaBlind) {
    const same = (a, e) => a === e || (commaBlind && (a + ',' === e || a === e + ','));
    const n = actual.length;
    const m = expected.length;
    const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = same(actual[i], expected[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const out = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same(actual[i], expected[j])) {
        const a = actual[i];
        out.push(['=', commaBlind && !a.endsWith(',') ? expected[j] : a]);
        i++;
        j++;
        continue;
      }
      const plus = [];
      const minus = [];
      while (i < n || j < m) {
        if (i < n && j < m && same(actual[i], expected[j])) break;
        if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) plus.push(actual[i++]);
        else minus.push(expected[j++]);
      }
      for (const line of plus) out.push(['+', line]);
      for (const line of minus) out.push(['-', line]);
    }
    return out;
  }

  // A diff as Node prints it: unchanged runs longer than CONTEXT_LINES + 2 collapse to their
  // first lines, `...` and their last line.
  function printDiff(diff) {
    let message = '';
    let skipped = false;
    let run = [];
    const flush = () => {
      if (run.length <= CONTEXT_LINES + 2) {
        for (const line of run) message += '  ' + line + '\n';
      } else {
        for (const line of run.slice(0, CONTEXT_LINES)) message += '  ' + line + '\n';
        message += '...\n  ' + run[run.length - 1] + '\n';
        skipped = true;
      }
      run = [];
    };
    for (const [op, line] of diff) {
      if (op === '=') {
        run.push(line);
        continue;
      }
      flush();
      message += op + ' ' + line + '\n';
    }
    // A trailing unchanged run keeps only its first lines (nothing follows to anchor it).
    for (const line of run.slice(0, CONTEXT_LINES)) message += '  ' + line + '\n';
    return { message: '\n' + message.trimEnd(), skipped };
  }

  function stackedDiff(actual, expected) {
    let message = '\n+ ' + actual + '\n- ' + expected;
    if (actual.length + expected.length <= 80) {
      for (let i = 0; i < actual.length; i++) {
        if (actual[i] !== expected[i]) {
          // The first characters (a quote and one more) make the difference plain already.
          if (i >= 3) message += '\n' + ' '.repeat(i + 2) + '^';
          break;
        }
      }
    }
    return message;
  }

  function diffMessage(actual, expected, operator, custom) {
    if (operator === 'strictEqual' && ((isObjectLike(actual) && typeof actual !== 'function' && isObjectLike(expected) && typeof expected !== 'function') ||
        (typeof actual === 'function' && typeof expected === 'function'))) {
      operator = 'strictEqualObject';
    }
    const shownActual = inspectValue(actual);
    const shownExpected = inspectValue(expected);
    const actualLines = shownActual.split('\n');
    const expectedLines = shownExpected.split('\n');
    let header = '+ actual - expected';
    let message;
    let skipped = false;
    const simple = actualLines.length === 1 && expectedLines.length === 1 &&
      (!isObjectLike(actual) || typeof actual === 'function' || !isObjectLike(expected) || typeof expected === 'function');
    if (simple) {
      let length = shownActual.length + shownExpected.length;
      if (typeof actual === 'string') length -= 2;
      if (typeof expected === 'string') length -= 2;
      if (length <= SHORT_PAIR && (actual !== 0 || expected !== 0)) {
        message = shownActual + ' !== ' + shownExpected;
        header = '';
      } else {
        message = stackedDiff(shownActual, shownExpected);
      }
    } else if (shownActual === shownExpected) {
      operator = 'notIdentical';
      header = '';
      if (actualLines.length > 50) {
        message = actualLines.slice(0, 50).join('\n') + '\n...}';
        skipped = true;
      } else {
        message = shownActual;
      }
    } else {
      const printed = printDiff(lineDiff(actualLines, expectedLines, isObjectLike(actual)));
      message = printed.message;
      skipped = printed.skipped;
    }
    return (custom || READABLE[operator]) + '\n' + header + (skipped ? '\n... Skipped lines' : '') + '\n' + message + '\n';
  }

  class AssertionError extends Error {
    constructor(options) {
      if (options === null || typeof options !== 'object') {
        const error = new TypeError('The "options" argument must be of type object. Received ' + inspect(options));
        error.code = 'ERR_INVALID_ARG_TYPE';
        throw error;
      }
      const { message, operator, actual, expected, diff = 'simple' } = options;
      const withDiff = operator === 'strictEqual' || operator === 'deepStrictEqual';
      let text;
      if (withDiff) text = diffMessage(actual, expected, operator, message == null ? undefined : String(message));
      else if (message != null) text = String(message);
      else if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
        const base = operator === 'notStrictEqual' && isObjectLike(actual) ? READABLE.notStrictEqualObject : READABLE[operator];
        const lines = inspectValue(actual).split('\n');
        if (lines.length > 50) {
          lines[46] = '...';
          lines.length = 47;
        }
        text = lines.length === 1 ? base + (lines[0].length > 5 ? '\n\n' : ' ') + lines[0] : base + '\n\n' + lines.join('\n') + '\n';
      } else {
        let shown = inspectValue(actual);
        let other = inspectValue(expected);
        if (operator === 'notDeepEqual' && shown === other) {
          text = READABLE.notDeepEqual + '\n\n' + shown;
          if (text.length > 1024) text = text.slice(0, 1021) + '...';
        } else {
          if (shown.length > 512) shown = shown.slice(0, 509) + '...';
          if (other.length > 512) other = other.slice(0, 509) + '...';
          if (operator === 'deepEqual') text = READABLE.deepEqual + '\n\n' + shown + '\n\nshould loosely deep-equal\n\n' + other;
          else if (operator === 'notDeepEqual') text = READABLE.notDeepEqualUnequal + '\n\n' + shown + '\n\nshould not loosely deep-equal\n\n' + other;
          else text = shown + ' ' + operator + ' ' + other;
        }
      }
      super(text);
      this.generatedMessage = message == null;
      this.code = 'ERR_ASSERTION';
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
      Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true });
      this.diff = diff;
    }
    toString() {
      return this.name + ' [' + this.code + ']: ' + this.message;
    }
  }

  function innerFail(fields) {
    if (fields.message instanceof Error) throw fields.message;
    const error = new AssertionError(fields);
    if (fields.generated !== undefined) error.generatedMessage = fields.generated;
    throw error;
  }

  // The source of the failed `assert(...)`/`assert.ok(...)` call, as Node quotes it: found
  // through the call's position in the Action (Boa's stack names the opening parenthesis).
  function callSource() {
    // Frames: callSource, innerOk, assert or assert.ok, then its caller, which must be the
    // Action itself (code of an Actions Module has no file to quote).
    const frames = String(new Error().stack || '').split('\n').filter((f) => f.trim() !== '');
    for (const frame of frames.slice(3, 4)) {
      const found = /\(([^()]*):(\d+):(\d+)\)$/.exec(frame.trim());
      if (!found || found[1].startsWith('unknown')) return undefined;
      const text = native.actionLine(found[1], Number(found[2]));
      if (text === undefined) return undefined;
      const open = Number(found[3]) - 1;
      if (text[open] !== '(') return undefined;
      let start = open;
      while (start > 0 && /[\w$.]/.test(text[start - 1])) start--;
      let depth = 0;
      let quote = null;
      for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (quote) {
          if (c === '\\') i++;
          else if (c === quote) quote = null;
        } else if (c === '"' || c === "'" || c === '`') quote = c;
        else if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') {
          depth--;
          if (depth === 0) return text.slice(start, i + 1);
        }
      }
      return undefined;
    }
    return undefined;
  }

  function innerOk(argCount, value, message) {
    if (value) return;
    let generated = false;
    if (argCount === 0) {
      generated = true;
      message = 'No value argument passed to `assert.ok()`';
    } else if (message == null) {
      generated = true;
      const source = callSource();
      if (source !== undefined) message = 'The expression evaluated to a falsy value:\n\n  ' + source + '\n';
    } else if (message instanceof Error) {
      throw message;
    }
    const error = new AssertionError({ actual: value, expected: true, message, operator: '==' });
    error.generatedMessage = generated;
    throw error;
  }

  // --- Deep equality (Node's comparisons: strict compares prototypes, tags and uses Object.is;
  // loose uses == for primitives). ---
  const tagOf = (v) => Object.prototype.toString.call(v);
  function isDeepEqual(a, b, strict, memo) {
    if (a === b) return a !== 0 || !strict || Object.is(a, b);
    if (strict) {
      if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
        return typeof a === 'number' && typeof b === 'number' ? Number.isNaN(a) && Number.isNaN(b) : false;
      }
      if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    } else {
      if (a === null || typeof a !== 'object') {
        if (b === null || typeof b !== 'object') return a == b || (Number.isNaN(a) && Number.isNaN(b)); // eslint-disable-line eqeqeq
        return false;
      }
      if (b === null || typeof b !== 'object') return false;
    }
    if (tagOf(a) !== tagOf(b)) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (a instanceof Date) {
      if (!(b instanceof Date) || a.getTime() !== b.getTime()) return false;
    } else if (a instanceof RegExp) {
      if (!(b instanceof RegExp) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
    } else if (a instanceof Error) {
      if (!(b instanceof Error) || a.message !== b.message || a.name !== b.name) return false;
    } else if (ArrayBuffer.isView(a)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] === b[i])) return false;
    } else if (a instanceof Number || a instanceof String || a instanceof Boolean) {
      if (!Object.is(a.valueOf(), b.valueOf())) return false;
    }
    memo = memo || { a: new Map(), b: new Map() };
    const seenA = memo.a.get(a);
    if (seenA !== undefined) {
      const seenB = memo.b.get(b);
      if (seenB !== undefined) return seenA === seenB;
    }
    memo.a.set(a, memo.a.size);
    memo.b.set(b, memo.b.size);
    const result = compareEntries(a, b, strict, memo);
    memo.a.delete(a);
    memo.b.delete(b);
    return result;
  }
  function ownKeys(v, strict) {
    const keys = Object.keys(v);
    if (strict) for (const s of Object.getOwnPropertySymbols(v)) if (Object.prototype.propertyIsEnumerable.call(v, s)) keys.push(s);
    return keys;
  }
  function compareEntries(a, b, strict, memo) {
    if (Array.isArray(a) && a.length !== b.length) return false;
    const keysA = ownKeys(a, strict);
    const keysB = ownKeys(b, strict);
    if (keysA.length !== keysB.length) return false;
    for (const key of keysA) {
      if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
      if (!isDeepEqual(a[key], b[key], strict, memo)) return false;
    }
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      outer: for (const [key, value] of a) {
        if (b.has(key)) {
          if (isDeepEqual(value, b.get(key), strict, memo)) continue;
          return false;
        }
        for (const [otherKey, otherValue] of b) {
          if (isDeepEqual(key, otherKey, strict, memo) && isDeepEqual(value, otherValue, strict, memo)) continue outer;
        }
        return false;
      }
    } else if (a instanceof Set) {
      if (a.size !== b.size) return false;
      outer: for (const value of a) {
        if (b.has(value)) continue;
        for (const other of b) if (isDeepEqual(value, other, strict, memo)) continue outer;
        return false;
      }
    }
    return true;
  }

  function invalidArgType(name, expected, value) {
    const shown = value === null || value === undefined ? 'Received ' + value
      : typeof value === 'object' || typeof value === 'function' ? 'Received ' + inspect(value)
      : 'Received type ' + typeof value + ' (' + inspect(value) + ')';
    const error = new TypeError('The "' + name + '" argument must be ' + expected + '. ' + shown);
    error.code = 'ERR_INVALID_ARG_TYPE';
    return error;
  }

  // throws/rejects: the thrown value checked against a class, a RegExp, a validation function
  // or an object of expected properties.
  function checkThrown(actual, expected, message, operator) {
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && actual instanceof expected) return;
      if (Error.isPrototypeOf(expected) || expected === Error) {
        const received = actual && actual.constructor && actual.constructor.name;
        let text = message || 'The error is expected to be an instance of "' + expected.name + '". Received "' + (received || inspect(actual)) + '"';
        if (!message && actual instanceof Error) text += '\n\nError message:\n\n' + actual.message;
        innerFail({ actual, expected, message: text, operator, generated: !message });
      }
      const returned = expected.call({}, actual);
      if (returned === true) return;
      const text = message || 'The ' + (expected.name ? '"' + expected.name + '" validation function' : 'validation function') + ' is expected to return "true". Received ' + inspect(returned);
      innerFail({ actual, expected, message: text, operator, generated: !message });
    }
    if (expected instanceof RegExp) {
      const text = String(actual);
      if (expected.test(text)) return;
      innerFail({ actual, expected, message: message || 'The input did not match the regular expression ' + inspect(expected) + '. Input:\n\n' + inspect(text) + '\n', operator, generated: !message });
    }
    if (expected !== null && typeof expected === 'object') {
      const keys = Object.keys(expected);
      if (expected instanceof Error) keys.push('name', 'message');
      for (const key of keys) {
        const want = expected[key];
        const got = actual == null ? undefined : actual[key];
        if (want instanceof RegExp && typeof got === 'string' && want.test(got)) continue;
        if (!(key in Object(actual)) || !isDeepEqual(got, want, true)) {
          const comparedActual = new Comparison(actual, keys);
          const comparedExpected = new Comparison(expected, keys, actual);
          const error = new AssertionError({ actual: comparedActual, expected: comparedExpected, operator: 'deepStrictEqual', message });
          error.actual = actual;
          error.expected = expected;
          error.operator = operator;
          throw error;
        }
      }
    }
  }
  // The object Node compares a thrown error with: only the expected keys.
  class Comparison {
    constructor(source, keys, actual) {
      for (const key of keys) {
        if (key in Object(source)) {
          const value = source[key];
          this[key] = actual !== undefined && value instanceof RegExp && typeof actual[key] === 'string' && value.test(actual[key]) ? actual[key] : value;
        }
      }
    }
  }

  function missing(kind, expected, message) {
    let details = '';
    if (expected && expected.name) details += ' (' + expected.name + ')';
    details += message ? ': ' + message : '.';
    // Node builds this message itself yet reports it as not generated.
    throw new AssertionError({ actual: undefined, expected, operator: kind === 'exception' ? 'throws' : 'rejects', message: 'Missing expected ' + kind + details });
  }

  function throws(fn, expected, message) {
    if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
    if (typeof expected === 'string') {
      message = expected;
      expected = undefined;
    }
    try {
      fn();
    } catch (actual) {
      if (expected !== undefined) checkThrown(actual, expected, message, 'throws');
      return;
    }
    missing('exception', expected, message);
  }
  async function rejects(promiseFn, expected, message) {
    if (typeof expected === 'string') {
      message = expected;
      expected = undefined;
    }
    let promise = promiseFn;
    if (typeof promiseFn === 'function') promise = promiseFn();
    if (!promise || typeof promise.then !== 'function') {
      throw invalidArgType('promiseFn', 'of type function or an instance of Promise', promiseFn);
    }
    try {
      await promise;
    } catch (actual) {
      if (expected !== undefined) checkThrown(actual, expected, message, 'rejects');
      return;
    }
    missing('rejection', expected, message);
  }
  // doesNotThrow/doesNotReject: an error matching `expected` (any, without it) fails the
  // assertion; any other is thrown on.
  function unwanted(kind, actual, expected, message, operator) {
    if (typeof expected === 'string') {
      message = expected;
      expected = undefined;
    }
    if (expected !== undefined) {
      try {
        checkThrown(actual, expected, undefined, operator);
      } catch (mismatch) {
        throw actual;
      }
    }
    innerFail({
      actual, expected, operator,
      message: 'Got unwanted ' + kind + (message ? ': ' + message : '.') + '\nActual message: "' + (actual == null ? undefined : actual.message) + '"',
    });
  }
  function doesNotThrow(fn, expected, message) {
    if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
    try {
      fn();
    } catch (actual) {
      unwanted('exception', actual, expected, message, 'doesNotThrow');
    }
  }
  async function doesNotReject(promiseFn, expected, message) {
    try {
      await (typeof promiseFn === 'function' ? promiseFn() : promiseFn);
    } catch (actual) {
      unwanted('rejection', actual, expected, message, 'doesNotReject');
    }
  }

  function matching(string, regexp, message, operator, wanted) {
    if (!(regexp instanceof RegExp)) throw invalidArgType('regexp', 'an instance of RegExp', regexp);
    if (typeof string !== 'string' || regexp.test(string) !== wanted) {
      if (message instanceof Error) throw message;
      const generated = !message;
      const text = message || (typeof string !== 'string'
        ? 'The "string" argument must be of type string. Received type ' + typeof string + ' (' + inspect(string) + ')'
        : (wanted ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression ') +
          inspect(regexp) + '. Input:\n\n' + inspect(string) + '\n');
      const error = new AssertionError({ actual: string, expected: regexp, message: text, operator });
      error.generatedMessage = generated;
      throw error;
    }
  }

  function assert(...args) {
    innerOk(args.length, args[0], args[1]);
  }
  const api = {
    ok: (...args) => innerOk(args.length, args[0], args[1]),
    fail(message) {
      if (message instanceof Error) throw message;
      const error = new AssertionError({ message: message === undefined ? 'Failed' : message, operator: 'fail' });
      error.generatedMessage = message === undefined;
      throw error;
    },
    equal(actual, expected, message) {
      // eslint-disable-next-line eqeqeq
      if (!(actual == expected || (Number.isNaN(actual) && Number.isNaN(expected)))) innerFail({ actual, expected, message, operator: '==' });
    },
    notEqual(actual, expected, message) {
      // eslint-disable-next-line eqeqeq
      if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) innerFail({ actual, expected, message, operator: '!=' });
    },
    strictEqual(actual, expected, message) {
      if (!Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'strictEqual' });
    },
    notStrictEqual(actual, expected, message) {
      if (Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'notStrictEqual' });
    },
    deepEqual(actual, expected, message) {
      if (!isDeepEqual(actual, expected, false)) innerFail({ actual, expected, message, operator: 'deepEqual' });
    },
    notDeepEqual(actual, expected, message) {
      if (isDeepEqual(actual, expected, false)) innerFail({ actual, expected, message, operator: 'notDeepEqual' });
    },
    deepStrictEqual(actual, expected, message) {
      if (!isDeepEqual(actual, expected, true)) innerFail({ actual, expected, message, operator: 'deepStrictEqual' });
    },
    notDeepStrictEqual(actual, expected, message) {
      if (isDeepEqual(actual, expected, true)) innerFail({ actual, expected, message, operator: 'notDeepStrictEqual' });
    },
    throws,
    doesNotThrow,
    rejects,
    doesNotReject,
    match: (string, regexp, message) => matching(string, regexp, message, 'match', true),
    doesNotMatch: (string, regexp, message) => matching(string, regexp, message, 'doesNotMatch', false),
    ifError(value) {
      if (value === null || value === undefined) return;
      let message = 'ifError got unwanted exception: ';
      message += typeof value === 'object' && typeof value.message === 'string'
        ? (value.message.length === 0 && value.constructor ? value.constructor.name : value.message)
        : inspect(value);
      const error = new AssertionError({ actual: value, expected: null, operator: 'ifError', message });
      error.generatedMessage = false;
      throw error;
    },
    AssertionError,
  };
  Object.assign(assert, api);
  // `assert.strict`: the same functions with the loose ones made strict.
  function strict(...args) {
    innerOk(args.length, args[0], args[1]);
  }
  Object.assign(strict, api, {
    equal: api.strictEqual,
    notEqual: api.notStrictEqual,
    deepEqual: api.deepStrictEqual,
    notDeepEqual: api.notDeepStrictEqual,
  });
  assert.strict = strict;
  strict.strict = strict;

  return { assert, isDeepStrictEqual: (a, b) => isDeepEqual(a, b, true) };
})
