// semver: native apps below the supported version are asked to upgrade; betas get a scope.
const semver = require('semver');
const satisfies = require('semver/functions/satisfies');

exports.onExecutePostLogin = async (event, api) => {
  const minimum = event.client.metadata.min_app_version || '0.0.0';
  const reported = semver.coerce(event.request.query.app_version || '');
  if (!reported) {
    api.access.deny('app version missing');
    return;
  }
  console.log('app', reported.version, 'minimum', minimum, semver.gte(reported, minimum));
  if (semver.lt(reported, minimum)) {
    api.access.deny('please upgrade to ' + minimum + ' or later');
    return;
  }
  if (satisfies(event.request.query.app_version, '>=3.0.0-beta <3.0.0', { includePrerelease: true })) {
    api.accessToken.addScope('beta');
  }
  api.idToken.setCustomClaim('https://acme.example/app', { major: semver.major(reported), diff: semver.diff(reported, minimum) });
};
