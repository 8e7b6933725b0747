// Scope validation: trimming, whitespace, type and length errors with Auth0's messages, and
// "last operation per scope wins".
exports.onExecutePostLogin = async (event, api) => {
  const attempts = ['  read:users  ', 'read users', 42, '', 'x'.repeat(281)];
  for (const scope of attempts) {
    try {
      const result = api.accessToken.addScope(scope);
      console.log('added', JSON.stringify(scope), 'returned', String(result));
    } catch (e) {
      console.log(e.name + ': ' + e.message);
    }
  }
  api.accessToken.addScope('write:users');
  api.accessToken.removeScope('write:users');
  api.accessToken.removeScope('delete:users');
  api.accessToken.addScope('delete:users');
};
