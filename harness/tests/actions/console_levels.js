// Console output at every level is captured, formatted by the runtime, attributed in order.
console.log('top-level code runs on the first execution');
exports.onExecutePostLogin = async (event, api) => {
  console.log('user', event.user.user_id, { logins: event.stats.logins_count });
  console.info('info %s', 'formatted');
  console.warn('warn', [1, 2, 3]);
  console.error(new Error('boom').message);
  console.debug('debug', true, null, undefined);
};
