// Errors with a cause, as an Action logs them when an upstream call fails: `new Error(msg,
// {cause})`, a `code`, nested causes. The stack is set to its first line so that both runtimes
// print the same text (Node would print its own stack frames, Boa its own).
exports.onExecutePostLogin = async (event, api) => {
  const plain = (error) => {
    error.stack = `${error.name}: ${error.message}`;
    return error;
  };
  const network = plain(new TypeError('fetch failed', { cause: plain(new Error('connect ECONNREFUSED')) }));
  const wrapped = plain(new Error('profile lookup failed', { cause: network }));
  wrapped.code = 'E_PROFILE';
  console.log(wrapped);
  console.error('lookup error:', plain(new Error('bad answer', { cause: { status: 502, body: 'Bad Gateway' } })));
  console.log({ error: plain(new RangeError('too many', { cause: 'limit 10' })) });
  console.log([plain(new Error('in array'))]);
  const long = plain(new Error('details', { cause: network }));
  long.details = 'x'.repeat(70);
  console.log(long);
  console.log(require('util').inspect(wrapped, { depth: 0 }));
  api.idToken.setCustomClaim('https://acme.example/cause', String(wrapped.cause.cause.message));
};
