// Routes the console methods through Node's formatting (`format.js`), keeping boa_runtime's
// console (groups, counters, timers, the recording logger) underneath.
(function (native) {
  'use strict';
  const console = globalThis.console;
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    const original = console[method];
    console[method] = function (...args) {
      return original.call(console, '%s', native.format.format(...args));
    };
  }
})
