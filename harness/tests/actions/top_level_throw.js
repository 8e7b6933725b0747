// Top-level code fails (no CONFIG in the empty environment): the same error on every execution.
console.log('loading');
const config = JSON.parse(process.env.CONFIG);
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/config', config);
};
