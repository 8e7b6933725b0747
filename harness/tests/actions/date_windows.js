// Customer style: date handling. Business hours in UTC, account age in days, password age
// policy, a trial that expires, and ISO/UTC formatting of the values put in claims.
const DAY = 24 * 60 * 60 * 1000;

exports.onExecutePostLogin = async (event, api) => {
  const now = new Date();
  const created = new Date(event.user.created_at);
  const ageDays = Math.floor((now - created) / DAY);
  const hour = now.getUTCHours();
  const weekday = now.getUTCDay();
  const businessHours = weekday >= 1 && weekday <= 5 && hour >= 8 && hour < 18;
  const trialEnds = new Date(created.getTime() + 14 * DAY);
  const lastReset = event.user.last_password_reset ? Date.parse(event.user.last_password_reset) : created.getTime();
  const passwordAgeDays = Math.floor((now.getTime() - lastReset) / DAY);
  console.log('now', now.toISOString(), 'weekday', weekday, 'hour', hour);
  console.log('created', created.toUTCString(), 'age', ageDays, 'days');
  console.log('json', JSON.stringify({ trialEnds }), 'valueOf', trialEnds.valueOf());
  const endOfMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  console.log('end of month', endOfMonth.toISOString().slice(0, 10), 'invalid', String(new Date('not a date')), Number.isNaN(Date.parse('2025-13-40')));
  api.accessToken.setCustomClaim('https://acme.example/trial_active', now < trialEnds);
  api.accessToken.setCustomClaim('https://acme.example/trial_ends', trialEnds.toISOString());
  if (!businessHours && event.user.app_metadata.role === 'contractor') {
    return api.access.deny('Contractors may sign in during business hours only');
  }
  if (passwordAgeDays > 90) {
    api.idToken.setCustomClaim('https://acme.example/password_expired', true);
  }
};
