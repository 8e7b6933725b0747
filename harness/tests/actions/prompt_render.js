// Renders a Form, then reads the submitted fields in onContinuePostLogin.
exports.onExecutePostLogin = async (event, api) => {
  api.prompt.render('ap_profile_form', { vars: { email: event.user.email }, fields: { company: '' } });
};

exports.onContinuePostLogin = async (event, api) => {
  console.log('prompt', JSON.stringify(event.prompt));
  api.user.setUserMetadata('company', event.prompt.fields.company);
};
