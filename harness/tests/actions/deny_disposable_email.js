// Customer style: block sign-ups from disposable email domains and unverified emails on
// sensitive applications, with a validation error for the sign-up flow.
const DISPOSABLE = new Set(['mailinator.com', 'tempmail.dev', 'guerrillamail.com']);
exports.onExecutePostLogin = async (event, api) => {
  const email = (event.user.email || '').toLowerCase();
  const domain = email.split('@')[1] || '';
  if (DISPOSABLE.has(domain) || [...DISPOSABLE].some((d) => domain.endsWith(`.${d}`))) {
    console.log('disposable domain', domain);
    return api.access.deny('invalid_request', 'Please use a permanent email address');
  }
  if (!event.user.email_verified && event.stats.logins_count > 3) {
    return api.validation.error('email_not_verified', `Verify ${email.replace(/(.).+(@.*)/, '$1***$2')} to continue`);
  }
  api.idToken.setCustomClaim('https://acme.example/email_domain', domain);
};
