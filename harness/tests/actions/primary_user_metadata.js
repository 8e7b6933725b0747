// setPrimaryUser: the same Action's user_metadata changes are discarded (they belonged to the
// user switched away from), app_metadata is kept, and tokens are issued only if the identity
// that logged in is a secondary identity of the new primary user.
exports.onExecutePostLogin = async (event, api) => {
  api.user.setUserMetadata('theme', 'light');
  api.user.setAppMetadata('linked_to', 'auth0|primary');
  api.authentication.setPrimaryUser('auth0|primary');
  api.user.setUserMetadata('locale', 'fr');
};
