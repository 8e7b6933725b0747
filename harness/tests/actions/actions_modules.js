// Actions Modules: `require('actions:NAME')` resolves a module the fixture declares; a second
// require returns the same exports; the module sees its own secrets as `actions.secrets`, while
// the Action sees neither `actions` nor the module's secrets. An undeclared name fails like a
// missing npm module.
const logger = require('actions:logger');
exports.onExecutePostLogin = async (event, api) => {
  const again = require('actions:logger');
  api.idToken.setCustomClaim('https://example.com/same_exports', again === logger);
  api.idToken.setCustomClaim('https://example.com/module_loads', logger.loads());
  api.idToken.setCustomClaim('https://example.com/module_secrets', logger.secretNames());
  api.idToken.setCustomClaim('https://example.com/action_secrets', Object.keys(event.secrets));
  api.idToken.setCustomClaim('https://example.com/action_sees_actions', typeof actions);
  try {
    require('actions:audit');
  } catch (e) {
    api.idToken.setCustomClaim('https://example.com/undeclared', { message: e.message, code: e.code });
  }
  logger.info('login', event.user.user_id);
};
