// `scope` is the one claim name the api refuses; uncaught, the throw fails the login and the
// commands issued before it are discarded.
exports.onExecutePostLogin = async (event, api) => {
  api.accessToken.setCustomClaim('https://example.com/before', true);
  api.accessToken.setCustomClaim('scope', 'admin');
  api.accessToken.setCustomClaim('https://example.com/after', true);
};
