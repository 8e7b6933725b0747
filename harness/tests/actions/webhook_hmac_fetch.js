// Customer style: post a login event to a SIEM webhook over fetch, signed with an HMAC of the
// timestamp and body (Stripe-like header), with a retry on a 5xx answer.
const crypto = require('crypto');

async function send(url, payload, secret, attempt = 1) {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': `t=${timestamp},v1=${signature}` },
    body,
  });
  if (response.status >= 500 && attempt < 2) {
    console.warn(`attempt ${attempt} failed with ${response.status}, retrying`);
    await new Promise((r) => setTimeout(r, 250));
    return send(url, payload, secret, attempt + 1);
  }
  return { status: response.status, signature: signature.slice(0, 12), timestamp };
}

exports.onExecutePostLogin = async (event, api) => {
  const payload = {
    type: 'login',
    user_id: event.user.user_id,
    connection: event.connection.name,
    ip: event.request.ip,
    at: new Date().toISOString(),
  };
  const result = await send('https://siem.acme.example/ingest', payload, event.secrets.SIEM_SECRET);
  console.log('siem', result);
};
