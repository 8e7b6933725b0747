// lodash: roles and permissions merged from app_metadata, claims shaped with pick/groupBy.
const _ = require('lodash');

exports.onExecutePostLogin = async (event, api) => {
  const meta = event.user.app_metadata || {};
  const plan = _.get(meta, 'billing.plan', 'free');
  const roles = _.uniq(_.map(_.get(meta, 'roles', []), _.toLower)).sort();
  const teams = _.mapValues(_.groupBy(_.get(meta, 'teams', []), 'org'), (list) => _.map(list, 'name'));
  api.idToken.setCustomClaim('https://acme.example/plan', _.upperFirst(plan));
  api.idToken.setCustomClaim('https://acme.example/roles', roles);
  api.idToken.setCustomClaim('https://acme.example/teams', teams);
  api.idToken.setCustomClaim('https://acme.example/profile', _.pick(event.user, ['email', 'name']));
  const greeting = _.template('Welcome back, <%= first %> (<%= count %> logins)');
  console.log(greeting({ first: _.head(_.words(event.user.name)), count: event.stats.logins_count }));
  if (_.intersection(roles, ['suspended', 'banned']).length > 0) {
    api.access.deny(_.kebabCase('Account Suspended By Admin'));
  }
};
