// Large strings as Node builds them: a 10 MiB repeat works, one beyond V8's maximum length
// throws a catchable RangeError.
exports.onExecutePostLogin = async (event, api) => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const unicode = 'é€'.repeat(100000);
  const result = { length: big.length, unicode: unicode.length, tail: unicode.slice(-4) };
  try {
    'ab'.repeat(2 ** 28);
  } catch (e) {
    result.tooLong = `${e.name}: ${e.message}`;
  }
  api.idToken.setCustomClaim('https://example.com/strings', result);
};
