// Customer style: step-up MFA by risk. New country, new device or a sensitive application
// requires a challenge with the factors the user has; low risk skips MFA.
exports.onExecutePostLogin = async (event, api) => {
  const sensitive = (event.secrets.SENSITIVE_CLIENTS || '').split(',').includes(event.client.client_id);
  const knownCountries = event.user.app_metadata.countries || [];
  const country = event.request.geoip?.countryCode;
  const newCountry = country && !knownCountries.includes(country);
  const enrolled = (event.user.enrolledFactors || []).map((f) => f.type);
  const score = (sensitive ? 2 : 0) + (newCountry ? 2 : 0) + (event.authentication?.riskAssessment?.confidence === 'low' ? 3 : 0);
  console.log('risk', { score, sensitive, newCountry, enrolled });
  if (newCountry) api.user.setAppMetadata('countries', [...knownCountries, country]);
  if (score < 2) return;
  if (enrolled.length === 0) {
    api.authentication.enrollWithAny([{ type: 'otp' }, { type: 'phone' }]);
    return;
  }
  const preferred = enrolled.includes('webauthn-roaming') ? 'webauthn-roaming' : enrolled.includes('otp') ? 'otp' : enrolled[0];
  api.authentication.challengeWith({ type: preferred }, { additionalFactors: enrolled.filter((t) => t !== preferred).map((type) => ({ type })) });
};
