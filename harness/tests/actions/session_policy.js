// Customer style: session and refresh-token policy by risk. Untrusted networks get short
// sessions and refresh tokens; a revoked device's session is revoked; metadata tags the session.
exports.onExecutePostLogin = async (event, api) => {
  const trusted = (event.secrets.TRUSTED_PREFIXES || '').split(',').some((p) => p && event.request.ip.startsWith(p));
  const now = Date.now();
  if (event.session && event.session.device && event.user.app_metadata.revoked_devices?.includes(event.session.device.last_ip)) {
    api.session.revoke('device revoked', { preserveRefreshTokens: false });
    return;
  }
  if (!trusted) {
    api.session.setExpiresAt(now + 8 * 60 * 60 * 1000);
    api.session.setIdleExpiresAt(now + 30 * 60 * 1000);
    if (event.refresh_token) {
      api.refreshToken.setExpiresAt(now + 24 * 60 * 60 * 1000);
      api.refreshToken.setIdleExpiresAt(now + 2 * 60 * 60 * 1000);
    }
  }
  api.session.setMetadata('network', trusted ? 'corporate' : 'public');
  api.session.setMetadata('login_at', new Date(now).toISOString());
  if (event.session?.metadata?.legacy) api.session.deleteMetadata('legacy');
  if (event.refresh_token) api.refreshToken.setMetadata('issued_for', event.client.name);
  console.log('session policy', trusted ? 'trusted' : 'untrusted', event.session ? event.session.id : 'no session');
};
