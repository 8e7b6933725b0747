// The post-login `api` that does nothing, for timing an Action without recording what it does
// (bench.js, cold-phases.js). Every method returns the api, as Auth0's do, so chains work.
'use strict';
const noop = () => api;
const api = {
  access: { deny: noop }, accessToken: { setCustomClaim: noop, addScope: noop, removeScope: noop },
  idToken: { setCustomClaim: noop }, multifactor: { enable: noop },
  authentication: { challengeWith: noop, enrollWith: noop, challengeWithAny: noop, enrollWithAny: noop },
};
module.exports = api;
