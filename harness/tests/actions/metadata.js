// Metadata updates are commands: this Action's own event.user does not change.
exports.onExecutePostLogin = async (event, api) => {
  const r1 = api.user.setAppMetadata('plan', 'gold');
  api.user.setAppMetadata('legacy_flag', null);
  api.user.setUserMetadata('theme', { dark: true });
  console.log('chainable:', r1 === api);
  console.log('own event unchanged:', JSON.stringify(event.user.app_metadata));
};
