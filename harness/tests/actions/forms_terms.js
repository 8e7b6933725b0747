// Customer style: a Form asks for terms acceptance and a marketing choice; the continuation
// reads the submitted fields and stores them, denying when the terms are declined.
exports.onExecutePostLogin = async (event, api) => {
  const accepted = event.user.app_metadata.terms_version;
  if (accepted === event.secrets.TERMS_VERSION) return;
  api.prompt.render('ap_terms', {
    vars: { version: event.secrets.TERMS_VERSION, previous: accepted || 'none', email: event.user.email },
    fields: { marketing: event.user.user_metadata.marketing === true },
  });
};

exports.onContinuePostLogin = async (event, api) => {
  const fields = event.prompt?.fields || {};
  console.log('terms form', event.prompt?.id, JSON.stringify(fields));
  if (fields.accept_terms !== true && fields.accept_terms !== 'true') {
    return api.access.deny('You must accept the terms of service');
  }
  api.user.setAppMetadata('terms_version', event.secrets.TERMS_VERSION);
  api.user.setAppMetadata('terms_accepted_at', new Date().toISOString());
  api.user.setUserMetadata('marketing', fields.marketing === true || fields.marketing === 'true');
};
