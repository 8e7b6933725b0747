// Claims Auth0 silently leaves out: restricted names, Auth0 namespaces, and non-namespaced
// access-token claims for Auth0's own APIs.
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('roles', ['admin']);
  api.idToken.setCustomClaim('https://tenant.auth0.com/roles', ['admin']);
  api.idToken.setCustomClaim('urn:auth0:thing', 1);
  api.idToken.setCustomClaim('employee_id', 'E-1');
  api.accessToken.setCustomClaim('employee_id', 'E-1');
  api.accessToken.setCustomClaim('https://example.com/employee_id', 'E-1');
};
