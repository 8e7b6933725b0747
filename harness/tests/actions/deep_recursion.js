// Recursion as deep as Node's default stack allows for such a function works; past the stack,
// the RangeError is catchable and the login goes on.
function depth(node) {
  return node ? 1 + depth(node.next) : 0;
}
function forever(n) {
  return forever(n + 1) + 1;
}
exports.onExecutePostLogin = async (event, api) => {
  let list = null;
  for (let i = 0; i < 5000; i++) list = { next: list };
  const result = { depth: depth(list) };
  try {
    forever(0);
  } catch (e) {
    result.overflow = `${e.name}: ${e.message}`;
    result.isRangeError = e instanceof RangeError;
  }
  api.idToken.setCustomClaim('https://example.com/recursion', result);
};
