// A non-object app_metadata makes setAppMetadata throw Auth0's exact message.
exports.onExecutePostLogin = async (event, api) => {
  try {
    api.user.setUserMetadata('x', 1);
  } catch (e) {
    console.log(e.message);
  }
  event.user.app_metadata = 'corrupt';
  api.user.setAppMetadata('plan', 'gold');
};
