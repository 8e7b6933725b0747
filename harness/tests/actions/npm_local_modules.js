// In-house packages installed beside the Action (its node_modules directory): an ES module
// package with package `imports`, a JSON import, `import.meta` and a CommonJS dependency,
// required as Node 22.12+ requires ES modules; a CommonJS package that requires itself by name
// and uses `#` imports; and Node's errors for the ES modules `require` refuses (top-level await,
// a cycle through require).
const sessionKit = require('@acme/session-kit');
const legacy = require('@acme/legacy-config');

exports.onExecutePostLogin = async (event, api) => {
  const kind = event.user.app_metadata.kiosk ? 'kiosk' : 'default';
  api.idToken.setCustomClaim('https://acme.example/session', {
    package: `${sessionKit.name}@${sessionKit.version}`,
    ttl: sessionKit.sessionTtl(kind),
    token: sessionKit.token(event.user.user_id, event.secrets.SESSION_SECRET),
    units: sessionKit.units,
    ttl_exports: sessionKit.ttlExports,
    same_default: sessionKit.sameDefault,
    exports: Object.keys(sessionKit),
    es_module: sessionKit.__esModule,
    default_keys: Object.keys(sessionKit.default),
    where: sessionKit.where,
  });
  api.idToken.setCustomClaim('https://acme.example/legacy', legacy);
  const refused = {};
  for (const specifier of ['@acme/flags', '@acme/session-kit/cycle']) {
    try {
      require(specifier);
      refused[specifier] = 'loaded';
    } catch (e) {
      refused[specifier] = { name: e.name, code: e.code, message: e.message };
    }
  }
  api.idToken.setCustomClaim('https://acme.example/refused', refused);
};
