// Customer style: dates, times and amounts formatted for the user's locale with toLocale*String
// and Intl, in the user's time zone. Everything here prints the same on Node 22 and in the
// harness (Boa's Intl on ICU4X); what does not is pinned by `intl_unavailable` instead.
exports.onExecutePostLogin = async (event, api) => {
  const when = new Date('2026-03-04T10:15:07Z');
  const lastLogin = new Date('2026-12-25T23:59:59Z');
  const amount = 1234567.891;
  const out = {
    intl: typeof Intl,
    // Auth0's runtime: locale en-US, time zone UTC.
    defaults: [when.toLocaleDateString(), when.toLocaleString(), when.toLocaleTimeString(), amount.toLocaleString()],
    resolved: new Intl.DateTimeFormat().resolvedOptions(),
    numberResolved: new Intl.NumberFormat('en-US').resolvedOptions(),
    zones: ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'asia/kolkata', 'Etc/GMT', 'US/Eastern', '+05:30'].map((timeZone) => [
      lastLogin.toLocaleString('en-US', { timeZone }),
      new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone,
    ]),
  };
  for (const locale of ['en-US', 'en-GB', 'fr-FR']) {
    out[locale] = [
      when.toLocaleDateString(locale, { timeZone: 'UTC' }),
      when.toLocaleString(locale, { timeZone: 'UTC' }),
      amount.toLocaleString(locale),
      when.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }),
      new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(when),
    ];
  }
  out.de = [
    when.toLocaleDateString('de-DE', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }),
    new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(when),
    amount.toLocaleString('de-DE'),
  ];
  out.options = [
    when.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }),
    when.toLocaleTimeString('en-US', { hour12: false, timeZone: 'UTC' }),
    new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(3.14159),
    new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(3),
    new Intl.NumberFormat('en-US', { notation: 'compact' }).format(1234567),
    (1234567.891).toLocaleString('en-IN'),
    (12345678901234567890n).toLocaleString('en-US'),
    new Intl.NumberFormat().format(1e21),
  ];
  out.text = [
    ['b', 'a', 'ä', 'z'].sort(new Intl.Collator('de').compare).join(),
    ['b', 'a', 'ä', 'z'].sort((x, y) => x.localeCompare(y)).join(),
    'a'.localeCompare('B'),
    'ı'.toLocaleUpperCase('tr') + 'I'.toLocaleLowerCase('tr'),
    new Intl.PluralRules('en-US').select(1) + '/' + new Intl.PluralRules('en-US', { type: 'ordinal' }).select(2),
    new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(['SSO', 'SCIM', 'MFA']),
    Intl.DateTimeFormat.supportedLocalesOf(['en-US', 'xx']),
    new Intl.Locale('en-Latn-US').language,
    Intl.getCanonicalLocales('EN-us'),
    [...new Intl.Segmenter('en', { granularity: 'word' }).segment('Hello world')].length,
    new Date(NaN).toLocaleString(),
  ];
  // formatToParts: one field of a date in the user's zone (business hours, weekday checks).
  const parts = (locale, options) => new Intl.DateTimeFormat(locale, options).formatToParts(lastLogin).map((p) => `${p.type}=${p.value}`).join('|');
  out.parts = [
    parts('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }),
    parts('en-US', { timeZone: 'America/New_York', hour: 'numeric', hour12: false }),
    parts('en-US', { timeZone: 'Asia/Tokyo', weekday: 'long' }),
    parts('en-US', { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'short' }),
    parts('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'medium' }),
    parts('en-US', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }),
    new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kolkata', hour: 'numeric', hourCycle: 'h23' }).formatToParts(when).find((p) => p.type === 'hour').value,
  ];
  for (const bad of [() => when.toLocaleDateString('xx-invalid-locale-!!'), () => new Intl.DateTimeFormat('en', { timeZone: 'Mars/Base' })]) {
    try {
      bad();
    } catch (err) {
      out.text.push(`${err.name}: ${err.message}`);
    }
  }
  console.log(out);
  api.idToken.setCustomClaim('https://acme.example/last_login', lastLogin.toLocaleString('en-US', { timeZone: 'America/New_York' }));
};
