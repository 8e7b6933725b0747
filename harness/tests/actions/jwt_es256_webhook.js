// Customer style: an ES256-signed login event for a security webhook (crypto.sign with the JOSE
// r||s encoding), verified locally before sending. ECDSA signatures are randomised in Node, so
// only what the Action decides from them is recorded.
const crypto = require('crypto');

exports.onExecutePostLogin = async (event, api) => {
  const key = crypto.createPrivateKey(event.secrets.WEBHOOK_EC_KEY);
  const publicKey = crypto.createPublicKey(key);
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ sub: event.user.user_id, ip: event.request.ip, at: Date.now() })).toString('base64url');
  const signature = crypto.sign('sha256', Buffer.from(`${header}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  const ok = crypto.verify('sha256', Buffer.from(`${header}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  const der = crypto.sign('sha256', Buffer.from('probe'), key);
  console.log('signature bytes', signature.length, 'der prefix', der[0].toString(16), 'self-check', ok);
  console.log('key', key.asymmetricKeyType, key.asymmetricKeyDetails.namedCurve, publicKey.export({ format: 'jwk' }).crv);
  const tampered = crypto.verify('sha256', Buffer.from(`${header}.${body}x`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  api.idToken.setCustomClaim('https://acme.example/webhook', { ok, tampered, length: `${header}.${body}.${signature.toString('base64url')}`.split('.')[2].length });
};
