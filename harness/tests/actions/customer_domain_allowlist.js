// Customer style: only employees of allowed domains get the admin role claim; others are
// denied for the admin app, with the reason logged.
const ADMIN_APP = 'admin-portal';
exports.onExecutePostLogin = async (event, api) => {
  const allowed = (event.configuration.ALLOWED_DOMAINS || '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  const email = (event.user.email || '').toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  console.log(`login of ${email} (domain ${domain}) to ${event.client.name}`);
  if (event.client.client_id === ADMIN_APP && !allowed.includes(domain)) {
    console.warn('denied: domain not allowed', { domain, allowed });
    api.access.deny(`Access to ${event.client.name} is restricted`);
    return;
  }
  const roles = (event.authorization && event.authorization.roles) || [];
  api.idToken.setCustomClaim('https://acme.example/roles', roles);
  api.accessToken.setCustomClaim('https://acme.example/domain', domain);
};
