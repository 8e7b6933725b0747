// Denies logins from a blocked country; deny does not throw, so the code after it still runs
// and its metadata update is kept.
exports.onExecutePostLogin = async (event, api) => {
  const blocked = (event.secrets.BLOCKED_COUNTRIES || '').split(',');
  if (blocked.includes(event.request.geoip.countryCode)) {
    const same = api.access.deny(`Logins from ${event.request.geoip.countryName} are not allowed`);
    console.log('deny returned api:', same === api);
    api.user.setAppMetadata('last_blocked_country', event.request.geoip.countryCode);
    return;
  }
  api.idToken.setCustomClaim('https://example.com/country', event.request.geoip.countryCode);
};
