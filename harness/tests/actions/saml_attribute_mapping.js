// Customer style: SAML apps get mapped attributes, audience/recipient and signing settings.
exports.onExecutePostLogin = async (event, api) => {
  if (event.transaction.protocol !== 'samlp') return;
  const m = event.user.app_metadata;
  api.samlResponse.setAttribute('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', event.user.email);
  api.samlResponse.setAttribute('http://schemas.acme.example/claims/groups', (m.groups || []).join(';'));
  api.samlResponse.setAttribute('http://schemas.acme.example/claims/cost_center', m.cost_center || null);
  api.samlResponse.setAudience(`urn:acme:${event.client.client_id}`);
  api.samlResponse.setRecipient('https://sp.partner.example/acs');
  api.samlResponse.setNameIdentifierFormat('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
  api.samlResponse.setSignResponse(true);
  api.samlResponse.setLifetimeInSeconds(600);
  console.log('saml mapped for', event.client.name);
};
