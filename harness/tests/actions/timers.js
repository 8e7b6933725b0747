// Timers run on virtual time: waiting 1.5 s completes at once and Date.now() moves by 1.5 s.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
exports.onExecutePostLogin = async (event, api) => {
  const start = Date.now();
  console.log('start', new Date(start).toISOString());
  const order = [];
  setTimeout(() => order.push('b'), 20);
  setTimeout(() => order.push('a'), 10);
  const t = setTimeout(() => order.push('cancelled'), 5);
  clearTimeout(t);
  await sleep(1500);
  api.idToken.setCustomClaim('https://example.com/waited_ms', Date.now() - start);
  console.log('order', order.join(','));
};
