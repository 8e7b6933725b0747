// setPrimaryUser: once per transaction, non-empty, at most 128 characters.
exports.onExecutePostLogin = async (event, api) => {
  for (const id of ['', 'x'.repeat(129), 'auth0|primary', 'auth0|other']) {
    try {
      console.log('returned', String(api.authentication.setPrimaryUser(id)));
    } catch (e) {
      console.log(e.message);
    }
  }
};
