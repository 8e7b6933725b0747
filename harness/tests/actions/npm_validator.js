// validator: email, IP, URL and phone checks on profile data before it goes into tokens.
const validator = require('validator');

exports.onExecutePostLogin = async (event, api) => {
  const email = event.user.email || '';
  if (!validator.isEmail(email, { allow_utf8_local_part: false })) {
    api.access.deny('invalid email address');
    return;
  }
  const meta = event.user.user_metadata || {};
  const checks = {
    normalized: validator.normalizeEmail(email),
    ipv4: validator.isIP(event.request.ip, 4),
    website: validator.isURL(meta.website || '', { require_protocol: true }),
    phone: validator.isMobilePhone(meta.phone || '', 'en-US'),
    postcode: validator.isPostalCode(meta.postcode || '', 'US'),
  };
  api.idToken.setCustomClaim('https://acme.example/checks', checks);
  if (meta.bio) api.idToken.setCustomClaim('https://acme.example/bio', validator.escape(validator.trim(meta.bio)));
};
