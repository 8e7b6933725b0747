// Node's assert messages for the common cases, as an Action's logs would show them.
const assert = require('node:assert');
const strict = require('assert/strict');

exports.onExecutePostLogin = async (event, api) => {
  const cases = [
    () => assert.strictEqual(event.user.logins_count, 2),
    () => assert.strictEqual('undefined', null),
    () => assert.strictEqual(event.user.name, 'Jane Doe Smith'),
    () => assert.deepStrictEqual(event.user.app_metadata, { plan: 'gold', seats: 5 }),
    () => assert.deepStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 11]),
    () => assert.deepStrictEqual({ a: 1 }, { a: '1' }),
    () => assert.deepEqual({ a: [1, 2] }, { a: [1, 3] }),
    () => assert.deepEqual({ a: 1 }, { a: '1' }),
    () => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }),
    () => assert.strictEqual({ id: 1 }, { id: 1 }),
    () => assert.notStrictEqual(event.user.user_id, 'auth0|5'),
    () => assert.equal(event.user.logins_count, 7),
    () => assert.notEqual(5, '5'),
    () => assert.ok(event.user.email_verified),
    () => assert(event.user.blocked === false, 'user must not be blocked'),
    () => assert.ok(),
    () => assert.match(event.user.email, /@acme\.example$/),
    () => assert.doesNotMatch(event.user.email, /example/),
    () => assert.fail(),
    () => assert.fail('boom'),
    () => assert.throws(() => JSON.parse('{')),
    () => assert.throws(() => {}),
    () => assert.throws(() => {}, TypeError, 'expected a TypeError'),
    () => assert.throws(() => { throw new RangeError('r'); }, TypeError),
    () => assert.throws(() => { throw new Error('bad input'); }, /timeout/),
    () => assert.throws(() => { throw new Error('bad input'); }, { message: 'bad output' }),
    () => assert.throws(() => { throw new Error('bad input'); }, { message: /bad/, name: 'Error' }),
    () => assert.doesNotThrow(() => { throw new Error('inner'); }),
    () => assert.ifError(new Error('callback failed')),
    () => assert.ifError(null),
    () => strict.equal(1, '1'),
    () => strict.deepEqual(new Map([[1, 'a']]), new Map([[1, 'a']])),
    () => assert.strictEqual(1, 2, new TypeError('custom error')),
    () => assert.deepStrictEqual(new Set([1, { x: 1 }]), new Set([{ x: 1 }, 1])),
    () => assert.deepStrictEqual(new Date(0), new Date(0)),
    () => assert.deepStrictEqual([1, [2, [3]]], [1, [2, [3]]]),
  ];
  for (const [i, run] of cases.entries()) {
    try {
      run();
      console.log(i, 'passed');
    } catch (e) {
      console.log(i, `${e.name} [${e.code}] generated=${e.generatedMessage} operator=${e.operator}\n${e.message}`);
    }
  }
  const results = await Promise.allSettled([
    assert.rejects(Promise.resolve(1)),
    assert.rejects(async () => { throw new TypeError('t'); }, TypeError),
    assert.rejects(Promise.reject(new Error('x')), /y/),
    assert.doesNotReject(Promise.reject(new Error('nope'))),
  ]);
  for (const r of results) console.log(r.status, r.reason ? r.reason.message : '');
  const e = new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
  console.log(String(e), Object.keys(e), e instanceof Error);
  console.log(require('util').isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), require('util').isDeepStrictEqual([1], ['1']));
};
