// crypto as customers use it: hashes for Gravatar and fingerprints, HMAC webhook signatures,
// constant-time comparison, webcrypto HMAC, and Node's errors for the usual mistakes.
const crypto = require('crypto');
function attempt(r, name, f) {
  try {
    r[name] = f();
  } catch (e) {
    r[name] = `${e.name}: ${e.message}${e.code ? ` [${e.code}]` : ''}`;
  }
}
exports.onExecutePostLogin = async (event, api) => {
  const r = {};
  const email = event.user.email.trim().toLowerCase();
  r.gravatar = `https://www.gravatar.com/avatar/${crypto.createHash('md5').update(email).digest('hex')}`;
  r.sha1 = crypto.createHash('sha1').update('abc').digest('hex');
  r.sha256b64 = crypto.createHash('sha256').update('a').update(Buffer.from('bc')).digest('base64');
  r.sha384 = crypto.createHash('SHA384').update('').digest('base64url');
  r.sha512len = crypto.createHash('sha512').update('x').digest().length;
  r.latin1 = crypto.createHash('sha256').update('caf\u00e9', 'latin1').digest('hex');
  const sig = crypto.createHmac('sha256', event.secrets.WEBHOOK_SECRET).update(JSON.stringify({ id: event.user.user_id })).digest('hex');
  r.hmac = sig;
  r.hmacBufferKey = crypto.createHmac('sha1', Buffer.from('6b6579', 'hex')).update('data').digest('base64');
  r.safeEqual = crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(sig));
  r.safeDiffers = crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd'));
  attempt(r, 'safeLength', () => crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')));
  attempt(r, 'unknownHash', () => crypto.createHash('whirlpool9'));
  attempt(r, 'unknownHmac', () => crypto.createHmac('nope', 'k'));
  attempt(r, 'hashNumber', () => crypto.createHash('sha256').update(42));
  attempt(r, 'twice', () => {
    const h = crypto.createHash('sha256');
    h.digest();
    return h.digest('hex');
  });
  const copy = crypto.createHash('sha256').update('part');
  r.copy = [copy.copy().update('1').digest('hex').slice(0, 16), copy.digest('hex').slice(0, 16)];
  r.randomLengths = [crypto.randomBytes(16).length, crypto.randomBytes(8).toString('hex').length, crypto.randomUUID().length];
  r.uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());
  const int = crypto.randomInt(10);
  r.randomInt = int >= 0 && int < 10;
  const digest = await crypto.webcrypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
  r.subtleDigest = Buffer.from(digest).toString('hex');
  const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, new TextEncoder().encode('msg'));
  r.subtleSign = Buffer.from(mac).toString('hex');
  r.subtleVerify = await globalThis.crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode('msg'));
  r.subtleVerifyBad = await globalThis.crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode('other'));
  api.idToken.setCustomClaim('https://example.com/crypto', r);
};
