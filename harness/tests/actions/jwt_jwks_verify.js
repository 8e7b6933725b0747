// Customer style: verify an ID token from a federated partner against its JWKS (fetched, the key
// picked by `kid`, imported with createPublicKey({format: 'jwk'})), then map its groups to roles.
const crypto = require('crypto');

exports.onExecutePostLogin = async (event, api) => {
  const token = event.user.app_metadata.partner_token;
  if (!token) return;
  const [h, p, s] = token.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const jwks = await fetch('https://partner.example/.well-known/jwks.json').then((r) => r.json());
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) {
    console.warn('unknown kid', header.kid);
    return api.access.deny('Unknown partner key');
  }
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  console.log('partner key', key.type, key.asymmetricKeyDetails.modulusLength, 'verified', ok);
  if (!ok) return api.access.deny('Invalid partner token');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  api.accessToken.setCustomClaim('https://acme.example/partner_groups', claims.groups);
};
