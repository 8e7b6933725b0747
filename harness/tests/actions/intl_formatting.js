// Customer style: dates and amounts formatted for the user's locale (en-US, de-DE) with
// toLocale*String and Intl, guarded for runtimes without Intl. On Boa the harness has no Intl
// (a listed difference, docs/outcome.md): this Action pins what each runtime prints.
exports.onExecutePostLogin = async (event, api) => {
  const when = new Date('2026-03-04T10:15:00Z');
  const amount = 1234567.891;
  const out = { intl: typeof Intl };
  for (const locale of ['en-US', 'de-DE']) {
    out[locale] = [
      when.toLocaleDateString(locale, { timeZone: 'UTC' }),
      when.toLocaleString(locale, { timeZone: 'UTC' }),
      amount.toLocaleString(locale),
    ];
    if (typeof Intl === 'object') {
      out[locale].push(
        new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(when),
        new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount),
      );
    }
  }
  console.log(out);
  api.idToken.setCustomClaim('https://acme.example/greeting_date', out['en-US'][0]);
};
