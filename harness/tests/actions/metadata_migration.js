// Customer style: migrate a legacy app_metadata layout once (structuredClone, renamed keys,
// removed keys set to null), and record the schema version.
exports.onExecutePostLogin = async (event, api) => {
  const meta = event.user.app_metadata || {};
  if (meta.schema === 2) return;
  const legacy = structuredClone(meta);
  const next = {
    plan: legacy.subscription?.plan ?? 'free',
    seats: Number(legacy.subscription?.seats ?? 1),
    regions: Array.from(new Set([...(legacy.region ? [legacy.region] : []), ...(legacy.extra_regions || [])])),
  };
  for (const [key, value] of Object.entries(next)) api.user.setAppMetadata(key, value);
  for (const key of ['subscription', 'region', 'extra_regions']) if (key in legacy) api.user.setAppMetadata(key, null);
  api.user.setAppMetadata('schema', 2);
  console.log('migrated', Object.keys(legacy).sort().join(','), '->', JSON.stringify(next));
};
