// The Node built-ins the harness provides: Buffer, zlib, URL, and Node's error for a missing module.
const zlib = require('zlib');
const { URL } = require('node:url');
exports.onExecutePostLogin = async (event, api) => {
  const packed = Buffer.from(event.secrets.PACKED, 'base64');
  const text = zlib.gunzipSync(packed).toString('utf8');
  const url = new URL('https://example.com/cb?a=1');
  url.searchParams.set('user', event.user.user_id);
  api.idToken.setCustomClaim('https://example.com/unpacked', text);
  api.idToken.setCustomClaim('https://example.com/url', url.href);
  api.idToken.setCustomClaim('https://example.com/b64', Buffer.from('héllo').toString('base64'));
  try {
    require('axios');
  } catch (e) {
    console.log(e.code, e.message);
  }
};
