// At most four challenge/enroll commands per flow.
exports.onExecutePostLogin = async (event, api) => {
  for (const type of ['otp', 'email', 'phone', 'push-notification', 'webauthn-roaming']) {
    api.authentication.challengeWith({ type }, { additionalFactors: [{ type: 'recovery-code' }] });
  }
};
