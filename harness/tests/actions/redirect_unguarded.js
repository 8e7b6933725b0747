// Redirects without checking whether the login can be redirected.
exports.onExecutePostLogin = async (event, api) => {
  api.redirect.sendUserTo('https://app.example.com/terms');
};
