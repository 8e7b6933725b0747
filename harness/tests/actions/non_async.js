// A plain function returning a promise is rejected by Auth0's loader.
exports.onExecutePostLogin = function (event, api) {
  api.access.deny('never recorded');
  return Promise.resolve();
};
