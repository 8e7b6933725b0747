// An Actions Module, required as `actions:logger` by the `actions_modules` corpus Action. It is
// compiled once per Action instance and reads its own secrets from the `actions` pseudo-global.
let loads = 0;
loads += 1;
const prefix = actions.secrets.LOG_PREFIX;
module.exports = {
  loads: () => loads,
  secretNames: () => Object.keys(actions.secrets),
  info: (...args) => console.log(prefix, ...args),
};
