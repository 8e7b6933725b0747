// p-retry 6 (an ES module importing the CommonJS `retry` and the ES module `is-network-error`):
// enrich the ID token from a CRM that sometimes answers 503, retrying twice, giving up on a 404,
// and never failing the login over it. `require` of an ES module with a default export returns
// Node's facade: `.default` is the function, `__esModule` is true.
const pRetryModule = require('p-retry');
const pRetry = pRetryModule.default;
const { AbortError } = pRetryModule;

exports.onExecutePostLogin = async (event, api) => {
  const attempts = [];
  const url = `https://crm.acme.example/users/${encodeURIComponent(event.user.user_id)}`;
  try {
    const profile = await pRetry(
      async (attempt) => {
        attempts.push(attempt);
        const response = await fetch(url);
        if (response.status === 404) throw new AbortError(`no CRM record for ${event.user.user_id}`);
        if (!response.ok) throw new Error(`CRM answered ${response.status}`);
        return response.json();
      },
      {
        retries: 2,
        minTimeout: 20,
        factor: 1,
        onFailedAttempt: (error) =>
          console.warn(`attempt ${error.attemptNumber} failed: ${error.message} (${error.retriesLeft} left)`),
      },
    );
    api.idToken.setCustomClaim('https://acme.example/tier', profile.tier);
  } catch (error) {
    console.error('CRM unavailable:', error.name, error.message);
    api.idToken.setCustomClaim('https://acme.example/tier', 'unknown');
  }
  api.idToken.setCustomClaim('https://acme.example/crm', {
    attempts,
    es_module: pRetryModule.__esModule,
    exports: Object.keys(pRetryModule),
  });
};
