// Return values of the api methods (chainable ones return api, the rest undefined).
exports.onExecutePostLogin = async (event, api) => {
  const kind = (v) => (v === api ? 'api' : v === undefined ? 'undefined' : typeof v);
  const results = {
    'idToken.setCustomClaim': kind(api.idToken.setCustomClaim('https://example.com/a', 1)),
    'accessToken.setCustomClaim': kind(api.accessToken.setCustomClaim('https://example.com/a', 1)),
    'accessToken.addScope': kind(api.accessToken.addScope('a')),
    'accessToken.removeScope': kind(api.accessToken.removeScope('b')),
    'user.setAppMetadata': kind(api.user.setAppMetadata('a', 1)),
    'multifactor.enable': kind(api.multifactor.enable('guardian', { allowRememberBrowser: true })),
    'authentication.recordMethod': kind(api.authentication.recordMethod('https://idp.example.com')),
    'transaction.setMetadata': kind(api.transaction.setMetadata('step', 1)),
    'redirect.canRedirect': kind(api.redirect.canRedirect()),
    'rules.wasExecuted': kind(api.rules.wasExecuted('rul_1')),
    'validation.error': 'not called',
  };
  console.log(JSON.stringify(results));
};
