// One render per Action: prompt options are validated (24 KiB cap) before anything is recorded,
// and a second render aborts the execution with Auth0's message.
exports.onExecutePostLogin = async (event, api) => {
  try {
    api.prompt.render('big-form', { vars: { blob: 'x'.repeat(25 * 1024) } });
  } catch (e) {
    console.log(e.message);
  }
  api.prompt.render('consent-form', { vars: { step: 1 } });
  api.prompt.render('consent-form', { vars: { step: 2 } });
};
