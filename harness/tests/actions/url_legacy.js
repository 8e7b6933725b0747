// Node's legacy URL API, as older Actions and packages use it: url.parse of callback URLs with
// auth, ports, IPv6 hosts, international domain names, odd spacing and backslashes (with the
// query parsed or not), url.format of objects and of WHATWG URLs, url.resolve of redirects.
const url = require('url');

const inputs = [
  'https://user:p%40ss@Login.Acme.Example:8443/cb/../done?state=a%20b&x=1&x=2#frag',
  'http://[::1]:3000/api?q=1',
  'http://Bücher.de/über?ä=1',
  '  https://acme.example\\app\\cb?x=1  ',
  '//cdn.acme.example/lib.js',
  '/relative/path?with=query',
  'mailto:jane@customer.com',
  'javascript:alert(1)',
  'http://a b/path',
  'http://a@b@c/d',
  'http://0x7f.1/x',
  'HTTP://EXAMPLE.COM:/x',
  '?just=query',
  'file:///etc/passwd',
];

function plain(parsed) {
  const out = {};
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    out[key] = value !== null && typeof value === 'object' ? { ...value } : value;
  }
  return out;
}

exports.onExecutePostLogin = async (event, api) => {
  const parsed = inputs.map((input) => plain(url.parse(input)));
  const withQuery = inputs.slice(0, 6).map((input) => plain(url.parse(input, true)).query);
  const hostSlashes = plain(url.parse('//cdn.acme.example/lib.js', false, true));
  const errors = [];
  for (const bad of [() => url.parse('http://[::1:x/'), () => url.parse(42), () => url.format(null), () => url.format(7)]) {
    try {
      errors.push(bad());
    } catch (e) {
      errors.push({ name: e.name, code: e.code, message: e.message, input: e.input });
    }
  }
  const formatted = [
    url.format({ protocol: 'https', hostname: 'acme.example', port: 8443, pathname: '/cb', query: { a: '1', b: ['x', 'y'] } }),
    url.format({ protocol: 'http:', host: 'h.example', pathname: 'no-slash', search: 'q=1', hash: 'top' }),
    url.format({ hostname: '::1', pathname: '/p#x?y' }),
    url.format({ protocol: 'mailto', auth: 'jane doe', host: 'x.example' }),
    url.format('HTTP://Example.com/a b'),
    url.format(new URL('https://u:p@xn--bcher-kva.de/p?q=1#h'), { unicode: true, auth: false, search: false, fragment: false }),
    url.format(new URL('https://acme.example/p?q=1#h')),
  ];
  const base = event.request.query.redirect_base || 'https://acme.example/app/login/index.html?x=1';
  const resolved = ['callback', '../home', '/root', '?only=query', '#hash', '//other.example/x', 'https://third.example', '', '.', '../../..', 'mailto:x@y'].map(
    (relative) => url.resolve(base, relative),
  );
  const object = plain(url.resolveObject('http://a.example/b/c', '../d?e=f'));
  const legacy = new url.Url();
  api.idToken.setCustomClaim('https://acme.example/url', {
    parsed,
    withQuery,
    hostSlashes,
    errors,
    formatted,
    resolved,
    object,
    fresh: plain(legacy),
    same: url.parse(legacy) === legacy,
    keys: Object.keys(url).slice(0, 5),
  });
};
