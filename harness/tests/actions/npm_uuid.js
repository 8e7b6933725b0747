// uuid: a stable per-user id derived with v5 (SHA-1), and a fresh v4 correlation id per login.
const { v4: uuidv4, v5: uuidv5, validate, version } = require('uuid');

const TENANT_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

exports.onExecutePostLogin = async (event, api) => {
  const stable = uuidv5(event.user.user_id, TENANT_NAMESPACE);
  const correlation = uuidv4();
  api.idToken.setCustomClaim('https://acme.example/uid', stable);
  api.idToken.setCustomClaim('https://acme.example/correlation', correlation);
  console.log('ids', validate(stable), version(stable), validate(correlation), version(correlation));
  const legacy = (event.user.app_metadata || {}).legacy_id;
  if (legacy !== undefined && !validate(legacy)) {
    api.access.deny('invalid legacy id');
  }
};
