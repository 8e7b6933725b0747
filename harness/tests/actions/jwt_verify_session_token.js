// Customer style: a redirect to an external consent app, which sends the user back with an RS256
// session token; onContinuePostLogin verifies it by hand (split, createVerify with the app's
// public key, exp/aud checks) before trusting its claims.
const crypto = require('crypto');

function verifyJwt(token, publicKeyPem, audience, nowSeconds) {
  const parts = String(token || '').split('.');
  if (parts.length !== 3) throw new Error('malformed token');
  const [h, p, s] = parts;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  if (header.alg !== 'RS256') throw new Error(`unexpected alg ${header.alg}`);
  const valid = crypto.createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKeyPem, s, 'base64url');
  if (!valid) throw new Error('bad signature');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (claims.aud !== audience) throw new Error('wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp < nowSeconds) throw new Error('token expired');
  return claims;
}

exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.consent_version === 3) return;
  api.redirect.sendUserTo('https://consent.example/review', { query: { v: '3' } });
};

exports.onContinuePostLogin = async (event, api) => {
  let claims;
  try {
    claims = verifyJwt(event.request.query.session_token, event.secrets.CONSENT_PUBLIC_KEY, 'https://login.acme.example', Math.floor(Date.now() / 1000));
  } catch (e) {
    console.warn('consent token rejected:', e.message);
    return api.access.deny('Consent could not be verified');
  }
  console.log('consent', claims.sub, claims.accepted);
  if (!claims.accepted) return api.access.deny('Consent declined');
  api.user.setAppMetadata('consent_version', 3);
};
