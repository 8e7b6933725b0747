// qs: nested query strings, for an onboarding redirect and for state coming back.
const qs = require('qs');

exports.onExecutePostLogin = async (event, api) => {
  const meta = event.user.user_metadata || {};
  if (meta.onboarded) {
    const prefs = qs.parse(meta.prefs || '', { ignoreQueryPrefix: true });
    api.idToken.setCustomClaim('https://acme.example/prefs', prefs);
    return;
  }
  const query = qs.stringify(
    { user: { id: event.user.user_id, email: event.user.email }, steps: ['profile', 'team'], plan: 'pro' },
    { encodeValuesOnly: true, arrayFormat: 'brackets' },
  );
  console.log(query);
  api.redirect.sendUserTo('https://onboarding.acme.example/start?' + query);
};

exports.onContinuePostLogin = async (event, api) => {
  const answer = qs.parse(event.request.body.answer || '');
  api.user.setUserMetadata('onboarded', true);
  api.user.setUserMetadata('prefs', qs.stringify(answer));
};
