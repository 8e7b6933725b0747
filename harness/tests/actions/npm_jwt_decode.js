// jwt-decode (v4, `exports` with a `require` condition): reads the claims of a partner token
// passed in the authorize request, and refuses expired or malformed ones.
const { jwtDecode, InvalidTokenError } = require('jwt-decode');

exports.onExecutePostLogin = async (event, api) => {
  const token = event.request.query.partner_token;
  if (!token) return;
  let claims;
  try {
    claims = jwtDecode(token);
  } catch (e) {
    console.log(e instanceof InvalidTokenError, e.name, e.message);
    api.access.deny('malformed partner token');
    return;
  }
  const header = jwtDecode(token, { header: true });
  if (claims.exp * 1000 < Date.now()) {
    api.access.deny('partner token expired at ' + new Date(claims.exp * 1000).toISOString());
    return;
  }
  api.idToken.setCustomClaim('https://acme.example/partner', { org: claims.org, alg: header.alg, sub: claims.sub });
};
