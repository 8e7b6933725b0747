// Customer style: private_key_jwt client authentication to a partner API. The assertion is an
// RS256 JWT built by hand (base64url header.payload, crypto.createSign), posted as a form; the
// partner's access token then fetches the user's entitlements.
const crypto = require('crypto');

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function clientAssertion(clientId, audience, privateKeyPem, now) {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'partner-2025' };
  const payload = { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: crypto.randomUUID() };
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = crypto.createSign('RSA-SHA256').update(input).sign(privateKeyPem, 'base64url');
  return `${input}.${signature}`;
}

exports.onExecutePostLogin = async (event, api) => {
  const now = Math.floor(Date.now() / 1000);
  // Secrets pasted through a UI often arrive with escaped newlines.
  const pem = event.secrets.PARTNER_KEY.replace(/\\n/g, '\n');
  const assertion = clientAssertion(event.secrets.PARTNER_CLIENT_ID, 'https://partner.example/oauth/token', pem, now);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  const tokenResponse = await fetch('https://partner.example/oauth/token', { method: 'POST', body: form });
  if (!tokenResponse.ok) {
    console.error('partner token failed', tokenResponse.status);
    return api.access.deny('Entitlements unavailable');
  }
  const { access_token } = await tokenResponse.json();
  const entitlements = await fetch(`https://partner.example/v1/entitlements/${encodeURIComponent(event.user.user_id)}`, {
    headers: { authorization: `Bearer ${access_token}` },
  }).then((r) => r.json());
  console.log('assertion header', assertion.split('.')[0]);
  api.accessToken.setCustomClaim('https://partner.example/entitlements', entitlements.items);
};
