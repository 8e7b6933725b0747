// Customer style: a signed redirect to a partner portal: the query is built with URLSearchParams,
// signed with webcrypto HMAC (hex), and the partner's signature on the way back is verified with
// crypto.subtle.verify before trusting it.
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text) => new Uint8Array(text.match(/../g).map((h) => parseInt(h, 16)));

async function key(secret) {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

exports.onExecutePostLogin = async (event, api) => {
  const params = new URLSearchParams({ uid: event.user.user_id, email: event.user.email, ts: String(Date.now()), return_to: 'https://login.acme.example/continue?a=1&b=2' });
  params.sort();
  const signature = hex(await crypto.subtle.sign('HMAC', await key(event.secrets.PORTAL_SECRET), new TextEncoder().encode(params.toString())));
  params.set('sig', signature);
  api.redirect.sendUserTo(`https://portal.partner.example/sso?${params}`);
};

exports.onContinuePostLogin = async (event, api) => {
  const { status, sig } = event.request.query;
  const ok = await crypto.subtle.verify('HMAC', await key(event.secrets.PORTAL_SECRET), fromHex(sig || '00'), new TextEncoder().encode(`status=${status}`));
  console.log('portal answered', status, 'signature valid:', ok);
  if (!ok || status !== 'approved') return api.access.deny('Partner portal did not approve the sign-in');
  api.user.setAppMetadata('portal_approved_at', new Date().toISOString());
};
