// Node's `util.format` / `util.inspect` (defaults: depth 2, breakLength 80, compact 3) for the
// values Actions log, so console lines read as they would in Auth0's Node runtime. Returns
// `{format, inspect}`; `console.js` routes every console method through `format`.
(function () {
  'use strict';

  const IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

  function quote(s) {
    let q = "'";
    if (s.includes("'")) {
      if (!s.includes('"')) q = '"';
      else if (!s.includes('`') && !s.includes('${')) q = '`';
    }
    const escaped = s.replace(/[\\\n\t\r\b\f\v]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' })[c]);
    return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
  }

  function formatKey(key) {
    if (typeof key === 'symbol') return '[' + key.toString() + ']';
    return IDENT.test(key) ? key : quote(key);
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? '-0' : String(n);
  }

  function formatPrimitive(v) {
    switch (typeof v) {
      case 'string': return quote(v);
      case 'number': return formatNumber(v);
      case 'bigint': return v + 'n';
      case 'boolean': return String(v);
      case 'undefined': return 'undefined';
      case 'symbol': return v.toString();
      default: return v === null ? 'null' : String(v);
    }
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let total = output.length + start;
    if (total + output.length > ctx.breakLength) return false;
    for (const entry of output) {
      total += entry.length;
      if (total > ctx.breakLength) return false;
    }
    return base === '' || !base.includes('\n');
  }

  // Node's groupArrayElements: lays out long arrays of short items in aligned columns.
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let i = 0;
    let outputLength = output.length;
    // The "... n more items" entry stays out of the columns (Node: maxArrayLength 100).
    if (ctx.extraEntry) outputLength--;
    const separatorSpace = 2;
    const dataLen = new Array(outputLength);
    for (; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
        (totalLength / actualMax > 5 || maxLength <= 6)) {
      const approxCharHeights = 2.5;
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let c = 0; c < columns; c++) {
        let lineLength = 0;
        for (let j = c; j < output.length; j += columns) {
          if (dataLen[j] > lineLength) lineLength = dataLen[j];
        }
        maxLineLength.push(lineLength + separatorSpace);
      }
      const numeric = value !== undefined && value.every((v) => typeof v === 'number' || typeof v === 'bigint');
      for (let k = 0; k < outputLength; k += columns) {
        const max = Math.min(k + columns, outputLength);
        let str = '';
        let j = k;
        for (; j < max - 1; j++) {
          const padding = maxLineLength[j - k] + output[j].length - dataLen[j];
          str += numeric ? (output[j] + ', ').padStart(padding, ' ') : (output[j] + ', ').padEnd(padding, ' ');
        }
        if (numeric) {
          const padding = maxLineLength[j - k] + output[j].length - dataLen[j] - separatorSpace;
          str += output[j].padStart(padding, ' ');
        } else {
          str += output[j];
        }
        tmp.push(str);
      }
      if (ctx.extraEntry) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, value) {
    const entries = output.length;
    // compact: false (as assert prints values) puts every entry on a line of its own.
    const compact = typeof ctx.compact === 'number' && ctx.compact >= 1;
    if (compact && isArray && entries > 6) {
      ctx.extraEntry = value !== undefined && value.length > 100;
      output = groupArrayElements(ctx, output, value);
      ctx.extraEntry = false;
    }
    if (compact && ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
      }
    }
    const indentation = '\n' + ' '.repeat(ctx.indentationLvl);
    return (base ? base + ' ' : '') + braces[0] + indentation + '  ' + output.join(',' + indentation + '  ') + indentation + braces[1];
  }

  // Boa's Function.prototype.toString gives no class source; a class's `prototype` is the one
  // that is not writable (built-in constructors, whose `prototype` is not writable either, are
  // the globals of the same name).
  function isClass(fn) {
    const src = Function.prototype.toString.call(fn);
    if (src.startsWith('class')) return true;
    const desc = Object.getOwnPropertyDescriptor(fn, 'prototype');
    return !!desc && desc.writable === false && globalThis[fn.name] !== fn;
  }

  function constructorName(obj) {
    let proto = Object.getPrototypeOf(obj);
    while (proto !== null) {
      const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
      if (desc && typeof desc.value === 'function' && desc.value.name !== '') return desc.value.name;
      proto = Object.getPrototypeOf(proto);
    }
    return null;
  }

  // An Error as Node prints it: its stack (Boa's frames have no header line, so the harness
  // prints `name: message` alone), in brackets when no frame follows, then its own enumerable
  // properties and a non-enumerable own `cause` as `[cause]`, like an object's.
  function formatError(ctx, value, recurseTimes) {
    const stack = typeof value.stack === 'string' && value.stack.startsWith(String(value.name)) ? value.stack : String(value.name) + ': ' + String(value.message);
    const text = /\n\s+at /.test(stack) ? stack : '[' + stack + ']';
    const keys = Object.keys(value).filter((k) => k !== 'stack');
    const cause = Object.prototype.hasOwnProperty.call(value, 'cause') && !keys.includes('cause');
    if (keys.length === 0 && !cause) return text;
    if (recurseTimes > ctx.depth) return '[' + (constructorName(value) || 'Error') + ']';
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    const output = [];
    ctx.indentationLvl += 2;
    for (const key of keys) output.push(formatKey(key) + ': ' + formatValue(ctx, value[key], recurseTimes + 1));
    if (cause) output.push('[cause]: ' + formatValue(ctx, value.cause, recurseTimes + 1));
    ctx.indentationLvl -= 2;
    ctx.seen.pop();
    return reduceToSingleString(ctx, output, text, ['{', '}'], false, recurseTimes, undefined);
  }

  function formatValue(ctx, value, recurseTimes) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return formatPrimitive(value);
    if (ctx.seen.includes(value)) {
      // Node numbers the objects a cycle leads back to, and marks each with `<ref *n>`.
      let index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
      return '[Circular *' + index + ']';
    }
    if (typeof value === 'function') {
      if (isClass(value)) {
        const parent = Object.getPrototypeOf(value);
        const extendsPart = parent && parent !== Function.prototype && parent.name ? ' extends ' + parent.name : '';
        return '[class ' + (value.name || '(anonymous)') + extendsPart + ']';
      }
      const kind = value.constructor && value.constructor.name === 'AsyncFunction' ? 'AsyncFunction' : 'Function';
      return '[' + kind + (value.name ? ': ' + value.name : ' (anonymous)') + ']';
    }
    if (value instanceof Error) return formatError(ctx, value, recurseTimes);
    if (value instanceof Date) return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (recurseTimes > ctx.depth) {
      return Array.isArray(value) ? '[Array]' : '[' + (constructorName(value) || 'Object') + ']';
    }
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    const output = [];
    let braces;
    let isArray = false;
    const name = constructorName(value);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView) && name === 'Buffer') {
      // Buffer's own inspect: hex bytes, at most 50 (buffer.INSPECT_MAX_BYTES).
      ctx.seen.pop();
      const shown = Array.from(value.subarray(0, 50), (b) => (b < 16 ? '0' : '') + b.toString(16)).join(' ');
      const more = value.length > 50 ? ' ... ' + (value.length - 50) + ' more byte' + (value.length - 50 > 1 ? 's' : '') : '';
      return '<Buffer' + (shown ? ' ' + shown : '') + more + '>';
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      isArray = true;
      braces = [name + '(' + value.length + ') [', ']'];
      const shown = Math.min(value.length, 100);
      for (let i = 0; i < shown; i++) output.push(typeof value[i] === 'bigint' ? value[i] + 'n' : formatNumber(value[i]));
      if (value.length > shown) output.push('... ' + (value.length - shown) + ' more item' + (value.length - shown > 1 ? 's' : ''));
      if (value.length === 0) {
        ctx.seen.pop();
        return braces[0] + ']';
      }
    } else if (Array.isArray(value)) {
      isArray = true;
      braces = ['[', ']'];
      if (name !== 'Array') braces[0] = name + '(' + value.length + ') [';
      const shown = Math.min(value.length, ctx.maxArrayLength);
      ctx.indentationLvl += 2;
      for (let i = 0; i < shown; i++) output.push(i in value ? formatValue(ctx, value[i], recurseTimes + 1) : '<1 empty item>');
      ctx.indentationLvl -= 2;
      if (value.length > shown) output.push('... ' + (value.length - shown) + ' more item' + (value.length - shown > 1 ? 's' : ''));
      if (ctx.showHidden) output.push('[length]: ' + value.length);
      if (value.length === 0 && !ctx.showHidden) {
        ctx.seen.pop();
        return braces[0] + ']';
      }
    } else if (value instanceof Map || value instanceof Set) {
      const isMap = value instanceof Map;
      braces = [(name || (isMap ? 'Map' : 'Set')) + '(' + value.size + ') {', '}'];
      ctx.indentationLvl += 2;
      for (const entry of value) {
        output.push(isMap ? formatValue(ctx, entry[0], recurseTimes + 1) + ' => ' + formatValue(ctx, entry[1], recurseTimes + 1) : formatValue(ctx, entry, recurseTimes + 1));
      }
      ctx.indentationLvl -= 2;
      if (value.size === 0) {
        ctx.seen.pop();
        return braces[0] + '}';
      }
    } else {
      const prefix = name === null ? '[Object: null prototype] ' : name !== 'Object' ? name + ' ' : '';
      braces = [prefix + '{', '}'];
      ctx.indentationLvl += 2;
      const keys = Object.keys(value);
      if (ctx.sorted) keys.sort();
      for (const key of keys) {
        output.push(formatKey(key) + ': ' + formatValue(ctx, value[key], recurseTimes + 1));
      }
      ctx.indentationLvl -= 2;
      if (output.length === 0) {
        ctx.seen.pop();
        return braces[0] + '}';
      }
    }
    ctx.seen.pop();
    const index = ctx.circular.get(value);
    const base = index === undefined ? '' : '<ref *' + index + '>';
    return reduceToSingleString(ctx, output, base, braces, isArray, recurseTimes, isArray ? Array.from(value) : undefined);
  }

  function inspect(value, options) {
    const opts = options !== null && typeof options === 'object' ? options : {};
    return formatValue({
      seen: [], circular: new Map(), depth: opts.depth === undefined ? 2 : opts.depth === null ? Infinity : opts.depth,
      showHidden: !!opts.showHidden, breakLength: 80, compact: opts.compact === undefined ? 3 : opts.compact,
      sorted: !!opts.sorted, maxArrayLength: opts.maxArrayLength === undefined ? 100 : opts.maxArrayLength,
      indentationLvl: 0, currentDepth: 0,
    }, value, 0);
  }

  function format(...args) {
    if (args.length === 0) return '';
    let out = '';
    let a = 0;
    if (typeof args[0] === 'string') {
      const fmt = args[0];
      a = 1;
      let last = 0;
      // indexOf jumps from one `%` to the next natively: a character-by-character loop took
      // seconds per MiB of logged text (and counted against the loop-iteration limit).
      for (let i = fmt.indexOf('%'); i !== -1 && i < fmt.length - 1; i = fmt.indexOf('%', i + 1)) {
        const c = fmt[i + 1];
        let piece;
        if (c === '%') {
          out += fmt.slice(last, i) + '%';
          last = i + 2;
          i++;
          continue;
        }
        if (a >= args.length || 'sdifjoOc'.indexOf(c) === -1) continue;
        const arg = args[a];
        switch (c) {
          case 's': piece = typeof arg === 'string' ? arg : typeof arg === 'bigint' ? arg + 'n' : typeof arg === 'object' && arg !== null ? inspect(arg) : String(arg); break;
          case 'd': piece = typeof arg === 'bigint' ? arg + 'n' : typeof arg === 'object' && arg !== null ? 'NaN' : formatNumber(Number(arg)); break;
          case 'i': piece = typeof arg === 'bigint' ? arg + 'n' : String(parseInt(arg, 10)); break;
          case 'f': piece = String(parseFloat(arg)); break;
          case 'j': try { piece = JSON.stringify(arg); } catch (e) { piece = '[Circular]'; } break;
          case 'o': piece = inspect(arg, { showHidden: true, depth: 4 }); break;
          case 'O': piece = inspect(arg); break;
          default: piece = ''; break;
        }
        out += fmt.slice(last, i) + piece;
        last = i + 2;
        i++;
        a++;
      }
      out += fmt.slice(last);
    }
    for (; a < args.length; a++) {
      const arg = args[a];
      out += (out.length > 0 || a > 0 ? ' ' : '') + (typeof arg === 'string' ? arg : inspect(arg));
    }
    return out;
  }

  return { format: format, inspect: inspect };
})
