// Customer style (pre-fetch Node code): notify a security webhook with https.request, signing the
// JSON body with an HMAC header, and read the answer from the response stream.
const https = require('https');
const crypto = require('crypto');

function post(url, payload, secret) {
  const body = JSON.stringify(payload);
  const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
  const { hostname, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname,
        path: pathname,
        method: 'POST',
        agent: new https.Agent({ keepAlive: false }),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-signature': `sha256=${signature}` },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode, message: res.statusMessage, type: res.headers['content-type'], length: res.headers['content-length'], data }));
      },
    );
    req.on('error', reject);
    req.write(body);
    req.end();
  });
}

exports.onExecutePostLogin = async (event, api) => {
  try {
    const answer = await post('https://hooks.acme.example/logins', { user: event.user.user_id, ip: event.request.ip }, event.secrets.HOOK_SECRET);
    console.log('webhook', answer.status, answer.message, answer.type, answer.length);
    const verdict = JSON.parse(answer.data);
    if (answer.status === 200 && verdict.risk === 'high') return api.access.deny('Login blocked by risk policy');
    api.idToken.setCustomClaim('https://acme.example/risk', verdict.risk);
  } catch (e) {
    console.error('webhook failed:', e.message);
  }
};
