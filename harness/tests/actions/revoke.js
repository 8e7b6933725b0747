// session.revoke and refreshToken.revoke end the login like a deny: no throw, the Action's
// other commands are kept, and the login ends as denied (refreshToken.revoke is allowed in the
// refresh-token exchange).
exports.onExecutePostLogin = async (event, api) => {
  try {
    api.session.revoke(42);
  } catch (e) {
    console.log(e.message);
  }
  if (event.transaction.protocol === 'oauth2-refresh-token') {
    api.refreshToken.revoke('device reported stolen');
  } else {
    api.session.revoke('risk too high', { preserveRefreshTokens: true });
  }
  api.user.setAppMetadata('revoked_by_action', true);
  console.log('still running after revoke');
};
