// Customer style: send users who have not accepted the current terms to a consent page with a
// signed session token and a return URL built with URL/URLSearchParams; record acceptance on
// the way back.
const TERMS_VERSION = '2025-01';
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.terms === TERMS_VERSION) return;
  if (!api.redirect.canRedirect()) {
    api.access.deny('Terms must be accepted interactively');
    return;
  }
  const token = api.redirect.encodeToken({
    secret: event.secrets.CONSENT_SECRET,
    expiresInSeconds: 300,
    payload: { version: TERMS_VERSION, email: event.user.email },
  });
  const url = new URL('/consent', event.configuration.CONSENT_URL);
  url.searchParams.set('lang', (event.request.language || 'en').split('-')[0]);
  api.redirect.sendUserTo(url.toString(), { query: { session_token: token } });
};
exports.onContinuePostLogin = async (event, api) => {
  const payload = api.redirect.validateToken({ secret: event.secrets.CONSENT_SECRET });
  api.user.setAppMetadata('terms', payload.version);
  api.idToken.setCustomClaim('https://acme.example/terms', payload.version);
};
