// Render and redirect in one Action abort the execution with Auth0's message.
exports.onExecutePostLogin = async (event, api) => {
  api.prompt.render('ap_form');
  api.redirect.sendUserTo('https://example.com/elsewhere');
};
