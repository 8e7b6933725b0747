// Customer style, written for "web standard" runtimes: crypto.subtle imports a PKCS #8 key from
// the PEM body and signs an RS256 token; PS256 and ES256 with imported JWKs are checked by verify.
exports.onExecutePostLogin = async (event, api) => {
  const subtle = globalThis.crypto.subtle;
  const pemBody = event.secrets.SIGNING_KEY.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(pemBody), (c) => c.charCodeAt(0));
  const rs = await subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const enc = (obj) => btoa(JSON.stringify(obj)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const input = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ sub: event.user.user_id, scope: 'read:orders' })}`;
  const sig = new Uint8Array(await subtle.sign('RSASSA-PKCS1-v1_5', rs, new TextEncoder().encode(input)));
  const token = `${input}.${btoa(String.fromCharCode(...sig)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`;
  console.log('algorithm', rs.algorithm.name, rs.algorithm.modulusLength, rs.algorithm.hash.name, rs.type, rs.extractable, rs.usages);

  const pub = await subtle.importKey('jwk', JSON.parse(event.secrets.SIGNING_JWK), { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify']);
  const pssKey = await subtle.importKey('pkcs8', der, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
  const pss = await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pssKey, new TextEncoder().encode(input));
  const pssOk = await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pub, pss, new TextEncoder().encode(input));
  const exported = await subtle.exportKey('jwk', pub);

  const ecJwk = JSON.parse(event.secrets.EC_JWK);
  const ec = await subtle.importKey('jwk', ecJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const { d, ...ecPublicJwk } = ecJwk;
  const ecPub = await subtle.importKey('jwk', ecPublicJwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  const es = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec, new TextEncoder().encode(input));
  const esOk = await subtle.verify({ name: 'ECDSA', hash: { name: 'SHA-256' } }, ecPub, es, new TextEncoder().encode(input));
  const raw = await subtle.exportKey('raw', ecPub);

  const errors = [];
  for (const attempt of [
    () => subtle.exportKey('jwk', rs),
    () => subtle.sign('RSASSA-PKCS1-v1_5', pub, new Uint8Array(1)),
    () => subtle.importKey('pkcs8', new Uint8Array([1, 2, 3]), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']),
    () => subtle.importKey('spki', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']),
    () => subtle.sign({ name: 'RSA-PSS' }, pssKey, new Uint8Array(1)),
    () => subtle.importKey('raw', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']),
    () => subtle.importKey('jwk', JSON.parse(event.secrets.SIGNING_JWK), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']),
  ]) {
    try {
      await attempt();
      errors.push('no error');
    } catch (e) {
      errors.push(`${e.name}: ${e.message}`);
    }
  }
  api.idToken.setCustomClaim('https://acme.example/token', token);
  api.idToken.setCustomClaim('https://acme.example/checks', {
    pss: [pss.byteLength, pssOk], es: [es.byteLength, esOk], raw: raw.byteLength,
    exported: Object.keys(exported), alg: exported.alg, errors,
  });
};
