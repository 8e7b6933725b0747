// validation.error stops the login with a custom error code.
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.email_verified) {
    api.validation.error('email_not_verified', 'Please verify your email first.');
  }
};
