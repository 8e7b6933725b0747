// The legacy MFA trigger, skipped on refresh-token exchanges as Auth0 recommends.
exports.onExecutePostLogin = async (event, api) => {
  if (event.transaction && event.transaction.protocol === 'oauth2-refresh-token') return;
  api.multifactor.enable('duo', {
    allowRememberBrowser: false,
    providerOptions: { host: 'api-xxx.duosecurity.com', ikey: event.secrets.DUO_IKEY, skey: event.secrets.DUO_SKEY },
  });
};
