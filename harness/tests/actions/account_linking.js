// Customer style: account linking. Look up users with the same verified email through the
// Management API (recorded answers), link the social identity to the database user, and switch
// the session to the primary user.
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.email_verified || event.user.identities.length > 1) return;
  const response = await fetch(`https://acme.eu.auth0.com/api/v2/users-by-email?email=${encodeURIComponent(event.user.email)}`, {
    headers: { authorization: `Bearer ${event.secrets.MGMT_TOKEN}` },
  });
  const candidates = (await response.json()).filter((u) => u.user_id !== event.user.user_id && u.email_verified);
  if (candidates.length === 0) return;
  if (candidates.length > 1) {
    console.warn('ambiguous link candidates', candidates.map((c) => c.user_id));
    return;
  }
  const [primary] = candidates;
  const [provider, ...rest] = event.user.user_id.split('|');
  const link = await fetch(`https://acme.eu.auth0.com/api/v2/users/${encodeURIComponent(primary.user_id)}/identities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${event.secrets.MGMT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ provider, user_id: rest.join('|') }),
  });
  console.log('link', primary.user_id, link.status);
  if (link.status === 201) api.authentication.setPrimaryUser(primary.user_id);
};
