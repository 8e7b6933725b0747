// Customer style: a slow enrichment API raced against a timeout (AbortSignal.timeout and
// Promise.race on the virtual clock), falling back to cached defaults, with timing logged.
exports.onExecutePostLogin = async (event, api) => {
  const started = performance.now();
  const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms));
  let profile;
  try {
    const response = await Promise.race([
      fetch(`https://enrich.acme.example/v1/${encodeURIComponent(event.user.email)}`, { signal: AbortSignal.timeout(1500) }),
      timeout(1000),
    ]);
    profile = await response.json();
  } catch (e) {
    console.warn('enrichment failed:', e.message);
    profile = { segment: 'default' };
  }
  await new Promise((r) => setTimeout(r, 5));
  console.log('elapsed ms', Math.round(performance.now() - started), 'segment', profile.segment);
  const settled = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('x')), new Promise((r) => setTimeout(() => r('late'), 20))]);
  console.log(settled.map((s) => s.status + ':' + (s.value ?? s.reason.message)).join(' '));
  api.accessToken.setCustomClaim('https://acme.example/segment', profile.segment);
};
