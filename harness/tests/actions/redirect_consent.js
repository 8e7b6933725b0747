// Redirects to a consent page with a signed token, and records the answer on the way back.
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.consented) return;
  if (!api.redirect.canRedirect()) {
    api.access.deny('consent required');
    return;
  }
  const token = api.redirect.encodeToken({
    secret: event.secrets.CONSENT_SECRET,
    payload: { purpose: 'consent' },
  });
  api.redirect.sendUserTo('https://consent.example.com/ask?lang=en&lang=fr', {
    query: { session_token: token, lang: 'de' },
  });
};

exports.onContinuePostLogin = async (event, api) => {
  try {
    api.redirect.validateToken({ secret: event.secrets.CONSENT_SECRET, tokenParameterName: 'consent_token' });
  } catch (e) {
    console.log(e.message);
  }
  if (event.request.body.answer === 'yes') {
    api.user.setAppMetadata('consented', true);
  } else {
    api.access.deny('consent refused');
  }
};
