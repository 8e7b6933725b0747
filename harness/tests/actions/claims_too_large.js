// More than 100 KB of custom claims in one token fails the login after the Action.
exports.onExecutePostLogin = async (event, api) => {
  api.accessToken.setCustomClaim('https://example.com/blob', 'x'.repeat(110 * 1024));
  api.idToken.setCustomClaim('https://example.com/small', 'ok');
};
