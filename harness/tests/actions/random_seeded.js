// Math.random and crypto.randomUUID are seeded by the fixture, so runs are reproducible.
exports.onExecutePostLogin = async (event, api) => {
  const values = [Math.random(), Math.random()].map((v) => v.toFixed(6));
  api.idToken.setCustomClaim('https://example.com/random', values);
  api.idToken.setCustomClaim('https://example.com/nonce', crypto.randomUUID());
};
