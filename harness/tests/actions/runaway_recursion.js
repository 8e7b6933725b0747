// Unbounded recursion is stopped by the recursion limit.
function depth(n) {
  return depth(n + 1) + 1;
}
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/depth', depth(0));
};
