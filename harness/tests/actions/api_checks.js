// Auth0's own client-side checks (the @auth0/actions implementation), as customers trip over
// them: every call in try/catch, what it threw or returned recorded as a claim.
function attempt(results, name, f) {
  try {
    const value = f();
    results[name] = value === undefined ? 'ok' : value;
  } catch (e) {
    results[name] = `${e.name}: ${e.message}${e.code ? ` [${e.code}]` : ''}`;
  }
}
exports.onExecutePostLogin = async (event, api) => {
  const r = {};
  // Cache: sizes measured with Buffer.byteLength, so a number is a TypeError.
  attempt(r, 'cacheNumber', () => api.cache.set('k', 42));
  attempt(r, 'cacheNumberKey', () => api.cache.set(7, 'v'));
  attempt(r, 'cacheObject', () => api.cache.set('k', { a: 1 }));
  attempt(r, 'cacheUndefined', () => api.cache.set('k'));
  // Four values of 4,000 bytes fill most of the 16,640 bytes; overwriting one counts the old value.
  for (let i = 0; i < 4; i++) attempt(r, `fill${i}`, () => api.cache.set(`key${i}`, 'x'.repeat(4000)).type);
  attempt(r, 'overwrite', () => api.cache.set('key0', 'y'.repeat(700)));
  attempt(r, 'small', () => api.cache.set('s', 'tiny').type);
  attempt(r, 'expiredFirst', () => api.cache.set('e', 'v', { ttl: -1, expires_at: 2 ** 60 }));
  attempt(r, 'deleteMissing', () => api.cache.delete('nope'));
  attempt(r, 'getRecord', () => api.cache.get('s'));
  // Session / refresh token.
  attempt(r, 'revokeNumber', () => api.session.revoke(42));
  attempt(r, 'revokeOptions', () => api.session.revoke('bye', { other: true }));
  attempt(r, 'rtRevokeLong', () => api.refreshToken.revoke('r'.repeat(1025)));
  attempt(r, 'sessionKeyNumber', () => api.session.setMetadata(1, 'v'));
  attempt(r, 'sessionKeyChars', () => api.session.setMetadata('bad key', 'v'));
  attempt(r, 'sessionValueNumber', () => api.session.setMetadata('k', 5));
  attempt(r, 'sessionValueLong', () => api.session.setMetadata('long', 'v'.repeat(256)));
  attempt(r, 'sessionAfterBad', () => api.session.setMetadata('fine', 'v'));
  attempt(r, 'rtMany', () => {
    for (let i = 0; i < 26; i++) api.refreshToken.setMetadata(`k${i}`, 'v');
  });
  attempt(r, 'rtDeleteMissing', () => api.refreshToken.setMetadata('never_set', null));
  attempt(r, 'primaryEmpty', () => api.authentication.setPrimaryUser(''));
  attempt(r, 'primary', () => api.authentication.setPrimaryUser('auth0|primary'));
  attempt(r, 'primaryAgain', () => api.authentication.setPrimaryUser('auth0|other'));
  // A /continue whose token carries another state.
  const token = api.redirect.encodeToken({ secret: 'shh', payload: { state: 'other' } });
  event.request.query = { state: 'expected', session_token: token };
  attempt(r, 'stateMismatch', () => api.redirect.validateToken({ secret: 'shh' }));
  event.request.query = { state: 'other', session_token: token };
  attempt(r, 'stateMatches', () => api.redirect.validateToken({ secret: 'shh' }).state);
  api.idToken.setCustomClaim('https://example.com/checks', r);
  api.idToken.setCustomClaim('https://example.com/session', event.session && event.session.metadata);
};
