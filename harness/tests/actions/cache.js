// api.cache returns record objects and result objects with Auth0's error codes.
exports.onExecutePostLogin = async (event, api) => {
  const log = (label, v) => console.log(label, JSON.stringify(v));
  log('miss', api.cache.get('token'));
  log('set', api.cache.set('token', 'abc'));
  log('get', api.cache.get('token'));
  log('ttl', api.cache.set('short', 'v', { ttl: 1000, expires_at: Date.now() + 5000 }));
  log('expired', api.cache.set('old', 'v', { expires_at: Date.now() - 1 }));
  log('bad expiry', api.cache.set('bad', 'v', { ttl: Infinity }));
  log('key too long', api.cache.set('k'.repeat(65), 'v'));
  log('value too long', api.cache.set('big', 'v'.repeat(4097)));
  log('delete', api.cache.delete('token'));
  log('delete again', api.cache.delete('token'));
};
