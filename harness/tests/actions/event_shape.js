// Optional event fields stay absent, user metadata is always an object, and
// transaction.metadata exists when transaction does, even if the fixture leaves them out.
exports.onExecutePostLogin = async (event, api) => {
  const absent = ['organization', 'authorization', 'session', 'resource_server', 'refresh_token', 'prompt']
    .filter((key) => event[key] === undefined);
  console.log('absent:', absent.join(','));
  console.log('app_metadata:', JSON.stringify(event.user.app_metadata), 'user_metadata:', JSON.stringify(event.user.user_metadata));
  console.log('transaction.metadata:', JSON.stringify(event.transaction.metadata));
  console.log('request.query:', JSON.stringify(event.request.query), 'request.body:', JSON.stringify(event.request.body));
  console.log('secrets:', JSON.stringify(event.secrets));
};
