// FormData converts names and values as WebIDL USVStrings (a Symbol throws, a lone surrogate
// becomes U+FFFD) and fetch records its entries, not what a replaced iterator yields.
exports.onExecutePostLogin = async (event, api) => {
  const fd = new FormData();
  fd.append('lone\uD800', 'v\uDC00');
  fd.append('k', 42);
  fd[Symbol.iterator] = function* () { yield ['', '']; };
  let threw = null;
  try { fd.append('s', Symbol('q')); } catch (e) { threw = e.constructor.name; }
  api.idToken.setCustomClaim('https://x.example/r', [fd.get('lone\uFFFD'), fd.has('k'), threw]);
  await fetch('https://api.example.com/form', { method: 'POST', body: fd });
};
