// Work the handler does not await: Auth0 drops commands issued after the handler settled.
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/awaited', true);
  setTimeout(() => api.idToken.setCustomClaim('https://example.com/late', true), 10);
  Promise.resolve().then(() => api.idToken.setCustomClaim('https://example.com/microtask', true));
};
