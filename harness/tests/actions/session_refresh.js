// Session and refresh-token management with their validation messages.
exports.onExecutePostLogin = async (event, api) => {
  const tryIt = (label, f) => {
    try {
      f();
    } catch (e) {
      console.log(label + ': ' + e.message);
    }
  };
  api.session.setExpiresAt(Date.now() + 3600 * 1000);
  api.session.setExpiresAt(Date.now() + 1800 * 1000);
  api.session.setIdleExpiresAt(Date.now() + 600 * 1000);
  api.session.setCookieMode('non-persistent');
  api.session.setMetadata('device', 'laptop');
  console.log('cookie now', event.session.cookie.mode, 'metadata', JSON.stringify(event.session.metadata));
  tryIt('cookie', () => api.session.setCookieMode('forever'));
  tryIt('expiry', () => api.session.setExpiresAt(0));
  tryIt('key', () => api.session.setMetadata('bad key!', 'v'));
  api.refreshToken.setMetadata('origin', 'web');
  tryIt('online', () => api.refreshToken.setExpiresAt(Date.now() + 1000));
};
