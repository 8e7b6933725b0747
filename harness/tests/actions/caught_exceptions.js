// Validation by exception, the way customers write it: thousands of errors thrown from inside a
// called function (or from the api) and caught by the caller. Every one must be released.
function validateEmail(email) {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new TypeError(`invalid email: ${email}`);
  return email.toLowerCase();
}
function* candidates() {
  yield 'a@b.c';
  throw new Error('generator gave up');
}
exports.onExecutePostLogin = async (event, api) => {
  let rejected = 0;
  for (let i = 0; i < 5000; i++) {
    try {
      validateEmail(i % 2 ? `user${i}` : `user${i}@example.com`);
    } catch (e) {
      rejected++;
    }
  }
  let scopeErrors = 0;
  for (let i = 0; i < 1500; i++) {
    try {
      api.accessToken.addScope('bad scope');
    } catch (e) {
      scopeErrors++;
    }
  }
  let callbacks = 0;
  for (let i = 0; i < 3000; i++) {
    try {
      [1, 2].map((v) => validateEmail(String(v)));
    } catch (e) {
      callbacks++;
    }
    try {
      for (const c of candidates()) validateEmail(c);
    } catch (e) {
      callbacks++;
    }
  }
  let awaited = 0;
  for (let i = 0; i < 500; i++) {
    try {
      await Promise.reject(new Error('nope'));
    } catch (e) {
      awaited++;
    }
  }
  api.idToken.setCustomClaim('https://example.com/errors', { rejected, scopeErrors, callbacks, awaited });
};
