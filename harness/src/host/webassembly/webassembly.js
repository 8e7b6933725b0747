// The `WebAssembly` JS API over the wasmi-backed natives (`mod.rs`). JS objects hold integer
// handles into the Rust side; imports are resolved here and handed to one native
// `instantiate`. `memory.buffer` is materialized lazily by the native and detached at the next
// call into wasm, which is exactly the invariant wasm-bindgen glue already honours.
(function (native) {
  'use strict';

  const HANDLE = Symbol('handle');

  class CompileError extends Error {
    constructor(message) {
      super(message);
      this.name = 'CompileError';
    }
  }
  class LinkError extends Error {
    constructor(message) {
      super(message);
      this.name = 'LinkError';
    }
  }
  class RuntimeError extends Error {
    constructor(message) {
      super(message);
      this.name = 'RuntimeError';
    }
  }
  native.errors = { CompileError: CompileError, LinkError: LinkError, RuntimeError: RuntimeError };

  function bytesOf(source, what) {
    if (source instanceof ArrayBuffer) return source.slice(0);
    if (ArrayBuffer.isView(source)) return source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength);
    throw new TypeError(what + ': Argument 0 must be a buffer source');
  }

  function wrap(kind, handle) {
    const proto = { function: null, memory: Memory.prototype, table: Table.prototype, global: Global.prototype }[kind];
    if (kind === 'function') return native.exportFunction(handle);
    const object = Object.create(proto);
    object[HANDLE] = handle;
    return object;
  }

  class Module {
    constructor(bytes) {
      if (new.target === undefined) throw new TypeError("WebAssembly.Module must be invoked with 'new'");
      this[HANDLE] = native.compile(bytesOf(bytes, 'WebAssembly.Module()'));
    }
    static imports(module) {
      return JSON.parse(native.moduleImports(module[HANDLE])).map((d) => ({ module: d.module, name: d.name, kind: d.kind }));
    }
    static exports(module) {
      return JSON.parse(native.moduleExports(module[HANDLE])).map((d) => ({ name: d.name, kind: d.kind }));
    }
    static customSections() {
      return [];
    }
  }

  class Instance {
    constructor(module, importObject) {
      if (!(module instanceof Module)) throw new TypeError('WebAssembly.Instance(): Argument 0 must be a WebAssembly.Module');
      const descriptors = JSON.parse(native.moduleImports(module[HANDLE]));
      if (descriptors.length > 0 && (importObject === undefined || importObject === null || typeof importObject !== 'object')) {
        throw new TypeError('WebAssembly.Instance(): Imports argument must be present and must be an object');
      }
      const resolved = descriptors.map((d, i) => {
        const where = 'WebAssembly.Instance(): Import #' + i + ' "' + d.module + '"';
        const namespace = importObject[d.module];
        if (namespace === undefined || namespace === null || (typeof namespace !== 'object' && typeof namespace !== 'function')) {
          throw new TypeError(where + ': module is not an object or function');
        }
        const value = namespace[d.name];
        const full = where + ' "' + d.name + '"';
        switch (d.kind) {
          case 'function':
            if (typeof value !== 'function') throw new LinkError(full + ': function import requires a callable');
            return value;
          case 'memory':
            if (!(value instanceof Memory)) throw new LinkError(full + ': memory import must be a WebAssembly.Memory object');
            return value[HANDLE];
          case 'table':
            if (!(value instanceof Table)) throw new LinkError(full + ': table import requires a WebAssembly.Table');
            return value[HANDLE];
          default:
            if (value instanceof Global) return value[HANDLE];
            if (typeof value === 'number' || typeof value === 'bigint') return new Global({ value: d.type, mutable: false }, value)[HANDLE];
            throw new LinkError(full + ': global import must be a number, valid Wasm reference, or WebAssembly.Global object');
        }
      });
      const exported = native.instantiate(module[HANDLE], resolved);
      const exports = Object.create(null);
      for (const [name, kind, handle] of exported) exports[name] = wrap(kind, handle);
      Object.defineProperty(this, 'exports', { value: Object.freeze(exports), enumerable: true });
    }
  }

  class Memory {
    constructor(descriptor) {
      if (!descriptor || typeof descriptor !== 'object') throw new TypeError('WebAssembly.Memory(): Argument 0 must be a memory descriptor');
      this[HANDLE] = native.memoryNew(descriptor.initial >>> 0, descriptor.maximum === undefined ? -1 : descriptor.maximum >>> 0);
    }
    get buffer() {
      return native.memoryBuffer(this[HANDLE]);
    }
    grow(delta) {
      return native.memoryGrow(this[HANDLE], delta >>> 0);
    }
  }

  class Table {
    constructor(descriptor, value) {
      if (!descriptor || typeof descriptor !== 'object') throw new TypeError('WebAssembly.Table(): Argument 0 must be a table descriptor');
      const element = descriptor.element === 'anyfunc' ? 'funcref' : descriptor.element;
      if (element !== 'externref' && element !== 'funcref') {
        throw new TypeError("WebAssembly.Table(): Descriptor property 'element' must be a WebAssembly reference type");
      }
      this[HANDLE] = native.tableNew(element, descriptor.initial >>> 0, descriptor.maximum === undefined ? -1 : descriptor.maximum >>> 0, value);
    }
    get length() {
      return native.tableSize(this[HANDLE]);
    }
    get(index) {
      return native.tableGet(this[HANDLE], index >>> 0);
    }
    set(index, value) {
      native.tableSet(this[HANDLE], index >>> 0, value);
    }
    grow(delta, value) {
      return native.tableGrow(this[HANDLE], delta >>> 0, value);
    }
  }

  class Global {
    constructor(descriptor, value) {
      if (!descriptor || typeof descriptor !== 'object') throw new TypeError('WebAssembly.Global(): Argument 0 must be a global descriptor');
      this[HANDLE] = native.globalNew(String(descriptor.value), !!descriptor.mutable, value);
    }
    get value() {
      return native.globalGet(this[HANDLE]);
    }
    set value(v) {
      native.globalSet(this[HANDLE], v);
    }
    valueOf() {
      return native.globalGet(this[HANDLE]);
    }
  }

  function validate(bytes) {
    return native.validate(bytesOf(bytes, 'WebAssembly.validate()'));
  }

  function compile(bytes) {
    return new Promise((resolve) => resolve(new Module(bytes)));
  }

  function instantiate(source, importObject) {
    return new Promise((resolve) => {
      if (source instanceof Module) {
        resolve(new Instance(source, importObject));
        return;
      }
      const module = new Module(source);
      resolve({ module: module, instance: new Instance(module, importObject) });
    });
  }

  const WebAssembly = {
    Module: Module,
    Instance: Instance,
    Memory: Memory,
    Table: Table,
    Global: Global,
    CompileError: CompileError,
    LinkError: LinkError,
    RuntimeError: RuntimeError,
    validate: validate,
    compile: compile,
    instantiate: instantiate,
  };
  Object.defineProperty(globalThis, 'WebAssembly', { value: WebAssembly, writable: true, configurable: true, enumerable: false });
})
