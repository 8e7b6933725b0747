// Chaining SAML setters fails: they return api, which has no `setAudience`.
exports.onExecutePostLogin = async (event, api) => {
  api.samlResponse.setAttribute('group', 'admins').setAudience('urn:sp:example');
};
