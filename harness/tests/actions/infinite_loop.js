// A runaway loop is stopped by the iteration limit; try/catch cannot swallow it.
exports.onExecutePostLogin = async (event, api) => {
  try {
    let i = 0;
    while (true) {
      i++;
    }
  } catch (e) {
    api.idToken.setCustomClaim('https://example.com/caught', true);
  }
};
