// email-validator: only well-formed addresses from the allowed domains may sign up.
const EmailValidator = require('email-validator');

exports.onExecutePostLogin = async (event, api) => {
  const email = event.user.email;
  const allowed = (event.secrets.ALLOWED_DOMAINS || '').split(',');
  if (!EmailValidator.validate(email)) {
    api.access.deny('email `' + email + '` is not valid');
    return;
  }
  const domain = email.split('@')[1].toLowerCase();
  if (!allowed.includes(domain)) api.access.deny('domain ' + domain + ' is not allowed');
};
