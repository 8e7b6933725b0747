// Customer style: cache a Management API style token across executions with api.cache (set
// with a TTL, get, reuse, and fall back when the cache is empty or the value is stale).
exports.onExecutePostLogin = async (event, api) => {
  const key = 'mgmt-token';
  const cached = api.cache.get(key);
  let token;
  if (cached && cached.value) {
    const { access_token, expires_at } = JSON.parse(cached.value);
    if (expires_at > Date.now() + 30000) {
      token = access_token;
      console.log('token from cache, expires', new Date(expires_at).toISOString());
    } else {
      console.log('cached token stale');
      api.cache.delete(key);
    }
  }
  if (!token) {
    const response = await fetch('https://acme.eu.auth0.com/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: event.secrets.M2M_ID, client_secret: event.secrets.M2M_SECRET, audience: 'https://acme.eu.auth0.com/api/v2/' }),
    });
    const data = await response.json();
    token = data.access_token;
    const stored = api.cache.set(key, JSON.stringify({ access_token: token, expires_at: Date.now() + data.expires_in * 1000 }), { ttl: data.expires_in * 1000 });
    console.log('cache set', stored.type);
  }
  const roles = await fetch(`https://acme.eu.auth0.com/api/v2/users/${encodeURIComponent(event.user.user_id)}/roles`, {
    headers: { authorization: `Bearer ${token}` },
  }).then((r) => r.json());
  api.accessToken.setCustomClaim('https://acme.example/roles', roles.map((r) => r.name));
};
