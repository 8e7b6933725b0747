// An MFA command in an Action that then denies: the login stops after the Action, the MFA step
// never happens, so the step is reported without a factor.
exports.onExecutePostLogin = async (event, api) => {
  api.authentication.challengeWith({ type: 'otp' });
  api.access.deny('not today');
};
