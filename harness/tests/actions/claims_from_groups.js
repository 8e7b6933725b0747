// Customer style: map IdP groups to roles and permissions claims, with namespaced claim names,
// de-duplication, sorting, and a size guard before setting them.
const MAP = {
  'okta-admins': { role: 'admin', permissions: ['read:all', 'write:all'] },
  'okta-support': { role: 'support', permissions: ['read:tickets', 'write:tickets'] },
  'okta-eng': { role: 'engineer', permissions: ['read:all', 'deploy:staging'] },
};
exports.onExecutePostLogin = async (event, api) => {
  const groups = [].concat(event.user.groups || [], event.user.app_metadata.extra_groups || []);
  const matched = groups.map((g) => MAP[String(g).toLowerCase()]).filter(Boolean);
  const roles = [...new Set(matched.map((m) => m.role))].sort();
  const permissions = [...new Set(matched.flatMap((m) => m.permissions))].sort();
  const ns = 'https://acme.example/';
  api.idToken.setCustomClaim(`${ns}roles`, roles);
  api.accessToken.setCustomClaim(`${ns}roles`, roles);
  if (JSON.stringify(permissions).length < 2048) api.accessToken.setCustomClaim(`${ns}permissions`, permissions);
  for (const p of permissions.filter((p) => p.startsWith('write:'))) api.accessToken.addScope(p);
  if (roles.length === 0) api.accessToken.removeScope('read:all');
  console.log('groups %j -> roles %j', groups, roles);
};
