// Waiting 30 s exceeds the 20 s budget (virtual time, so the test is instant).
exports.onExecutePostLogin = async (event, api) => {
  await new Promise((resolve) => setTimeout(resolve, 30000));
  api.idToken.setCustomClaim('https://example.com/woke', true);
};
