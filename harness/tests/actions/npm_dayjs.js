// dayjs with its utc and relativeTime plugins (subpath requires): account age and trial end.
const dayjs = require('dayjs');
const utc = require('dayjs/plugin/utc');
const relativeTime = require('dayjs/plugin/relativeTime');

dayjs.extend(utc);
dayjs.extend(relativeTime);

exports.onExecutePostLogin = async (event, api) => {
  const now = dayjs.utc();
  const created = dayjs.utc(event.user.created_at);
  const trialEnds = created.add(14, 'day');
  api.idToken.setCustomClaim('https://acme.example/account_age_days', now.diff(created, 'day'));
  api.idToken.setCustomClaim('https://acme.example/trial_ends', trialEnds.format('YYYY-MM-DD'));
  console.log('created', created.from(now), 'trial', trialEnds.isBefore(now) ? 'over' : 'running');
  if (trialEnds.isBefore(now) && !(event.user.app_metadata || {}).paid) {
    api.access.deny('trial ended on ' + trialEnds.format('D MMM YYYY'));
  }
};
