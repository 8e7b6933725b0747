// A user who already has a factor (email aside) must pass a challenge before enrolling another.
exports.onExecutePostLogin = async (event, api) => {
  api.authentication.enrollWith({ type: 'otp' }, { additionalFactors: [{ type: 'phone' }] });
};
