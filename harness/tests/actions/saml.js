// SAML response configuration: setters validate their input and return api (not samlResponse),
// so they cannot be chained on `samlResponse`.
exports.onExecutePostLogin = async (event, api) => {
  const saml = api.samlResponse;
  console.log('setAttribute returns api:', saml.setAttribute('http://schemas.xmlsoap.org/claims/Group', ['admins', 'users']) === api);
  saml.setAudience('urn:sp:example');
  saml.setSignResponse(true);
  saml.setLifetimeInSeconds(600);
  saml.setSignatureAlgorithm('rsa-sha256');
  saml.setRelayState('state-1');
  try {
    saml.setDigestAlgorithm('md5');
  } catch (e) {
    console.log(e.message);
  }
  saml.setAttribute('http://schemas.example.com/legacy', null);
};
