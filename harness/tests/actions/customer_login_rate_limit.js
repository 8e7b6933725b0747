// Customer style: a per-IP counter kept in api.cache with a TTL, failing closed when the cache
// is full, and a dated audit line.
exports.onExecutePostLogin = async (event, api) => {
  const key = `rl:${event.request.ip}`;
  const record = api.cache.get(key);
  const count = record ? Number(record.value) + 1 : 1;
  const result = api.cache.set(key, String(count), { ttl: 60 * 1000 });
  if (result.type === 'error') {
    console.error('cache error', result.code);
    api.access.deny('Please try again later');
    return;
  }
  const now = new Date();
  console.log(`[${now.toISOString()}] ${key} -> ${count}, expires ${new Date(result.record.expires_at).toISOString()}`);
  if (count > Number(event.configuration.MAX_LOGINS || 3)) api.access.deny('Too many logins from your network');
  api.idToken.setCustomClaim('https://acme.example/login_count', count);
};
