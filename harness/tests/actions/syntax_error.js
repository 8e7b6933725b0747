// Does not parse.
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('a', 1;
};
