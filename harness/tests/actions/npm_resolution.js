// How require finds files in packages: subpaths without `exports` (lodash, validator), a
// package.json through `exports`, and Node's errors for a subpath `exports` hides and for a
// package that is not installed, as an Action sees them (message with Node's
// `Require stack:`, `code`, `requireStack`).
const kebabCase = require('lodash/kebabCase');
const isEmail = require('validator/lib/isEmail');
const { version } = require('uuid/package.json');

exports.onExecutePostLogin = async (event, api) => {
  const errors = [];
  const messages = [];
  for (const name of ['uuid/dist/v4', 'left-pad', 'lodash/no-such-file']) {
    try {
      require(name);
      errors.push(name + ': loaded');
    } catch (e) {
      errors.push(name + ': ' + e.code);
      // In a claim rather than a log: the persisted log keeps 256 characters, which would cut
      // the paths at a point that depends on where the checkout is.
      messages.push({ message: e.message, requireStack: e.requireStack });
    }
  }
  api.idToken.setCustomClaim('https://acme.example/resolution', {
    kebab: kebabCase(event.user.name),
    email: isEmail(event.user.email),
    uuid: version,
    same: require('lodash/kebabCase') === kebabCase,
    errors,
    messages,
  });
};
