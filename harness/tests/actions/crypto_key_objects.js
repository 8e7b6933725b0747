// KeyObject as customers meet it: PEM in several encodings, JWK round trips, equality, secret
// keys for HMAC, PSS with Node's salt rules, and Node's errors for the usual mistakes.
const crypto = require('crypto');
function attempt(out, name, f) {
  try {
    out[name] = f();
  } catch (e) {
    out[name] = `${e.name}: ${e.message}${e.code ? ` [${e.code}]` : ''}`;
  }
}
exports.onExecutePostLogin = async (event, api) => {
  const r = {};
  const s = event.secrets;
  const key = crypto.createPrivateKey(s.RSA_PKCS1);
  const fromPkcs8 = crypto.createPrivateKey({ key: s.RSA_PKCS8, format: 'pem' });
  r.same = key.equals(fromPkcs8);
  r.kinds = [key.type, key.asymmetricKeyType, key.asymmetricKeyDetails.modulusLength, typeof key.asymmetricKeyDetails.publicExponent];
  r.pkcs8 = key.export({ type: 'pkcs8', format: 'pem' }) === s.RSA_PKCS8;
  r.pkcs1 = key.export({ type: 'pkcs1', format: 'pem' }) === s.RSA_PKCS1;
  const pub = crypto.createPublicKey(s.RSA_PKCS8);
  r.spki = pub.export({ type: 'spki', format: 'pem' }) === s.RSA_PUBLIC;
  r.pkcs1Public = pub.export({ type: 'pkcs1', format: 'pem' }).split('\n')[0];
  r.der = pub.export({ type: 'spki', format: 'der' }).toString('base64').slice(0, 40);
  const jwk = key.export({ format: 'jwk' });
  r.jwkMembers = Object.keys(jwk);
  r.jwkBack = crypto.createPrivateKey({ key: jwk, format: 'jwk' }).equals(key);
  r.publicFromJwk = crypto.createPublicKey({ key: jwk, format: 'jwk' }).equals(pub);
  r.derBack = crypto.createPublicKey({ key: pub.export({ type: 'spki', format: 'der' }), format: 'der', type: 'spki' }).equals(pub);
  r.toString = Object.prototype.toString.call(key);
  r.instance = key instanceof crypto.KeyObject;
  const secret = crypto.createSecretKey(Buffer.from(s.HMAC_SECRET));
  r.secret = [secret.type, secret.symmetricKeySize, secret.asymmetricKeyType];
  r.hmacWithKeyObject = crypto.createHmac('sha256', secret).update('x').digest('hex') === crypto.createHmac('sha256', s.HMAC_SECRET).update('x').digest('hex');
  const data = Buffer.from('order-1234');
  r.rs512 = crypto.sign('sha512', data, key).toString('base64').slice(0, 24);
  r.nullAlgorithm = crypto.sign(null, data, key).equals(crypto.sign('sha256', data, key));
  const pssMax = crypto.sign('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING });
  r.pss = [
    pssMax.length,
    crypto.verify('sha256', data, { key: pub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING }, pssMax),
    crypto.verify('sha256', data, { key: pub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }, pssMax),
  ];
  r.otherKey = crypto.verify('sha256', data, s.OTHER_PUBLIC, crypto.sign('sha256', data, key));
  r.verifyWithPrivate = crypto.createVerify('sha256').update(data).verify(s.RSA_PKCS8, crypto.sign('sha256', data, key));
  const ec = crypto.createPrivateKey(s.EC_PKCS8);
  r.ec = [ec.asymmetricKeyType, ec.asymmetricKeyDetails.namedCurve, ec.export({ type: 'sec1', format: 'pem' }).split('\n')[0], Object.keys(ec.export({ format: 'jwk' }))];
  r.ecPkcs8 = ec.export({ type: 'pkcs8', format: 'pem' }) === s.EC_PKCS8;
  r.ecSpki = crypto.createPublicKey(ec).export({ type: 'spki', format: 'pem' }) === s.EC_PUBLIC;
  attempt(r, 'notPem', () => crypto.createPrivateKey('not a key'));
  attempt(r, 'escapedNewlines', () => crypto.createPrivateKey(s.RSA_PKCS8.replace(/\n/g, '\\n')));
  attempt(r, 'publicAsPrivate', () => crypto.createPrivateKey(s.RSA_PUBLIC));
  attempt(r, 'signWithPublicPem', () => crypto.createSign('sha256').update('x').sign(s.RSA_PUBLIC));
  attempt(r, 'signWithPublicKey', () => crypto.createSign('sha256').update('x').sign(pub));
  attempt(r, 'signWithSecret', () => crypto.sign('sha256', data, secret));
  attempt(r, 'noKey', () => crypto.createSign('sha256').update('x').sign());
  attempt(r, 'badDigest', () => crypto.createSign('sha3-999'));
  attempt(r, 'badDigestOneShot', () => crypto.sign('sha3-999', data, key));
  attempt(r, 'signTwice', () => {
    const signer = crypto.createSign('sha256').update('x');
    signer.sign(key);
    return signer.sign(key);
  });
  attempt(r, 'ecAsPkcs1', () => ec.export({ type: 'pkcs1', format: 'pem' }));
  attempt(r, 'exportNoType', () => key.export({ format: 'pem' }));
  attempt(r, 'jwkMissing', () => crypto.createPublicKey({ key: { kty: 'RSA', e: 'AQAB' }, format: 'jwk' }));
  attempt(r, 'jwkPrivateWithoutD', () => crypto.createPrivateKey({ key: pub.export({ format: 'jwk' }), format: 'jwk' }));
  attempt(r, 'jwkCurve', () => crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-999', x: 'AA', y: 'AA' }, format: 'jwk' }));
  attempt(r, 'jwkBadPoint', () => crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, format: 'jwk' }));
  attempt(r, 'publicFromPrivateJwk', () => crypto.createPublicKey({ key: ec.export({ format: 'jwk' }), format: 'jwk' }).type);
  attempt(r, 'jwkKty', () => crypto.createPublicKey({ key: { kty: 'oct', k: 'c2VjcmV0' }, format: 'jwk' }));
  attempt(r, 'keyNumber', () => crypto.createPublicKey(42));
  attempt(r, 'signatureString', () => crypto.verify('sha256', data, pub, 'abc'));
  attempt(r, 'dsaEncoding', () => crypto.sign('sha256', data, { key: ec, dsaEncoding: 'raw' }));
  attempt(r, 'derNoType', () => crypto.createPublicKey({ key: pub.export({ type: 'spki', format: 'der' }), format: 'der' }));
  r.callback = await new Promise((resolve) => crypto.sign('sha256', data, key, (err, sig) => resolve([err, sig.length])));
  api.idToken.setCustomClaim('https://acme.example/keys', r);
};
