// Customer style: progressive profiling. Users missing a company are sent to a profile app
// with a signed session token and their context in the query; on return the answer is read
// from the validated token and stored.
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.user_metadata.company) return;
  if (!api.redirect.canRedirect()) {
    console.log('cannot redirect for', event.transaction.protocol);
    return;
  }
  const token = api.redirect.encodeToken({
    secret: event.secrets.PROFILE_SECRET,
    expiresInSeconds: 300,
    payload: { email: event.user.email, locale: event.request.language || 'en', continue_uri: `https://${event.request.hostname}/continue` },
  });
  api.redirect.sendUserTo('https://profile.acme.example/complete', {
    query: { session_token: token, user: event.user.user_id, fields: ['company', 'role'].join(','), lang: 'en US' },
  });
};

exports.onContinuePostLogin = async (event, api) => {
  const payload = api.redirect.validateToken({ secret: event.secrets.PROFILE_SECRET, tokenParameterName: 'profile_token' });
  console.log('profile answer', payload.company, payload.role);
  api.user.setUserMetadata('company', payload.company);
  api.user.setUserMetadata('role', payload.role || null);
  api.idToken.setCustomClaim('https://acme.example/company', payload.company);
};
