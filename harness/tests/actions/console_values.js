// Console output of the values Actions log while debugging: nested event parts, arrays, Maps,
// Sets, typed arrays, Buffers, dates, symbols, functions, classes, format specifiers.
class Tier {
  constructor(name) {
    this.name = name;
    this.limits = { rpm: 100, burst: [1, 2, 3] };
  }
}
exports.onExecutePostLogin = async (event, api) => {
  console.log('user %s (%d logins) from %s', event.user.email, event.user.logins_count, event.request.geoip.countryCode);
  console.log(event.user.app_metadata);
  console.log('identities:', event.user.identities);
  console.info({ nested: { a: { b: { c: { d: 1 } } } }, list: Array.from({ length: 30 }, (_, i) => i * 3) });
  console.warn(new Map([['roles', ['admin', 'editor']], ['mfa', true]]), new Set(['a', 'b']));
  console.log(new Tier('gold'), [new Tier('free')]);
  console.log(Buffer.from('hello'), new Uint8Array([1, 2, 3]), new Date(0));
  console.log(Symbol('token'), () => 1, async function named() {}, class Local {}, null, undefined, -0, 10n);
  console.log('%o | %O | %j | %i | %f | %c | %%', { a: [1] }, { b: 2 }, { c: 3 }, '42.9px', '3.5', 'color: red');
  console.log('multi\nline', 'tab\there', "quote's", `back\`tick`);
  console.error([undefined, null, , 3], { 'kebab-key': 1, 2: 'two', valid_id: true });
  console.debug(JSON.stringify(event.user.user_metadata, null, 2));
  const circular = { name: 'loop' };
  circular.self = circular;
  console.log(circular);
  console.log(Object.create(null), Object.assign(Object.create(null), { x: 1 }));
};
