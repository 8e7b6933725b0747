// ms: human-readable durations from configuration, checked against the fixture's clock.
const ms = require('ms');

exports.onExecutePostLogin = async (event, api) => {
  const maxIdle = ms(event.secrets.MAX_IDLE || '30d');
  const lastPassword = Date.parse(event.user.last_password_reset || event.user.created_at);
  const age = Date.now() - lastPassword;
  console.log('password age', ms(age), ms(age, { long: true }), 'limit', ms(maxIdle, { long: true }));
  api.idToken.setCustomClaim('https://acme.example/session_ttl', ms('8h') / 1000);
  if (age > maxIdle) {
    api.access.deny('password older than ' + ms(maxIdle, { long: true }) + ': reset it');
  }
};
