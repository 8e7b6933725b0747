// MFA factor selection: factors not enabled on the tenant or not enrolled are ignored by a
// challenge, enrolled or unenrollable ones by an enrollment; the simulated step passes with the
// first factor left that is not already satisfied; nothing left fails the login.
exports.onExecutePostLogin = async (event, api) => {
  api.authentication.challengeWithAny([{ type: 'phone' }, { type: 'otp' }, { type: 'push' }]);
  api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: [{ type: 'webauthn-roaming' }] });
  api.authentication.enrollWithAny([{ type: 'email' }, { type: 'otp' }, { type: 'webauthn-roaming' }]);
};
