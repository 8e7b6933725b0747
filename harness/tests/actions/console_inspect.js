// What customers log while debugging, printed as Node's util.inspect does: cycles with
// `<ref *1>`, Buffers and typed arrays, classes, long arrays, Maps and Sets.
const util = require('util');
class Base {}
class Session extends Base {
  constructor(id) {
    super();
    this.id = id;
  }
}
exports.onExecutePostLogin = async (event, api) => {
  const user = { id: event.user.user_id, tags: ['a', 'b'] };
  user.self = user;
  console.log(user);
  const parent = { name: 'parent', children: [] };
  parent.children.push({ name: 'child', parent });
  console.log('tree %o', parent);
  console.log(Buffer.from('hello'));
  console.log(Buffer.alloc(60, 1));
  console.log(new Uint8Array([1, 2, 3]), new Float64Array(2), new Uint8Array(0));
  console.log(Base, Session, new Session('s1'));
  console.log(Array.from({ length: 30 }, (_, i) => i * 3));
  console.log(Array.from({ length: 120 }, (_, i) => i));
  console.log(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']);
  console.log(new Map([['k', { v: 1 }]]), new Set(['x', 'y']));
  console.log(util.inspect({ deep: { deeper: { deepest: { gone: 1 } } } }));
  console.log(util.format('%s is %d years and %j', 'Jane', 42.5, { ok: true }), 'extra', 7);
};
