// Auth0's tenant log ("Action Details") keeps only the first 256 characters of an Action's
// console output, lines joined by "\n"; `logs` keeps all of it. Characters are code points, not
// bytes or UTF-16 units: each 'é' and each '🙂' counts once.
console.log('top-level line');
exports.onExecutePostLogin = async (event, api) => {
  console.log('é'.repeat(100));
  console.warn('second line');
  console.error('🙂'.repeat(200));
  console.info('never persisted');
  api.idToken.setCustomClaim('https://example.com/user', event.user.user_id);
};
