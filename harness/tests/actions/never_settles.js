// A promise nothing will ever resolve: Auth0 times the login out.
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/before', true);
  await new Promise(() => {});
};
