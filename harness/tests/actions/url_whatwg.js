// WHATWG URL details customers hit when building redirect and API URLs: IDNA hostnames, dot
// segments, relative references, percent-encoding of each component, setters, and
// URLSearchParams' form encoding (`+` for spaces only there).
const { URL: URLFromModule, URLSearchParams: ParamsFromModule, domainToASCII, domainToUnicode } = require('url');

exports.onExecutePostLogin = async (event, api) => {
  const r = {};
  const show = (u) => [u.href, u.origin, u.host, u.pathname, u.search, u.hash];
  r.idna = show(new URL('https://Bücher.Example/ä?q=ü#frag ment'));
  r.dots = show(new URL('https://acme.example/a/b/../c/./d/%2e%2E/e'));
  r.relative = [
    new URL('../up?x=1', 'https://acme.example/a/b/c').href,
    new URL('//other.example/p', 'https://acme.example/a').href,
    new URL('?only=query', 'https://acme.example/a/b?old=1#h').href,
    new URL('#only-hash', 'https://acme.example/a/b?old=1').href,
    new URL('/abs path', 'https://acme.example/a/b').href,
  ];
  r.spaces = new URL('https://acme.example/p?q=a b&r=c+d').search;
  r.userinfo = show(new URL('https://user:p%40ss@acme.example:8443/x'));
  r.ports = [new URL('https://acme.example:443/').port, new URL('http://acme.example:8080/').host, new URL('HTTPS://ACME.example/').href];
  r.ipv6 = new URL('http://[::1]:3000/x').host;
  r.ipv4 = new URL('http://0x7f.1/').hostname;
  r.special = [new URL('mailto:ann@acme.example').pathname, new URL('urn:isbn:0451450523').protocol, new URL('custom://host/path').host];
  r.canParse = [URL.canParse('nope'), URL.canParse('/x', 'https://acme.example'), URL.canParse('https://a b.example')];
  r.parse = [URL.parse('https://acme.example/x')?.href, URL.parse('no')];
  r.sameClass = URLFromModule === URL && ParamsFromModule === URLSearchParams;
  for (const bad of ['', 'https://', 'http://exa mple.com', 'https://acme.example:99999/']) {
    try {
      new URL(bad);
      r[`bad ${bad}`] = 'parsed';
    } catch (e) {
      r[`bad ${bad}`] = `${e.name} ${e.code} ${e.message} ${e.input}`;
    }
  }
  const u = new URL('https://login.acme.example/authorize');
  u.searchParams.set('redirect_uri', 'https://app.acme.example/cb?x=1&y=two words');
  u.searchParams.append('scope', "openid profile email!'()~*");
  u.searchParams.append('state', 'ünïcødé');
  r.built = u.href;
  u.hash = 'section 2';
  u.pathname = '/a b/ç';
  u.port = '8443';
  u.protocol = 'http';
  u.hostname = 'Ex.Example';
  r.setters = show(u);
  u.search = '?a=1&a=2&b=%zz&c=%E2%82%AC';
  r.afterSearch = [u.searchParams.getAll('a'), u.searchParams.get('b'), u.searchParams.get('c'), u.searchParams.size];
  u.searchParams.delete('a', '1');
  r.deleteValue = u.search;
  u.searchParams.delete('a');
  u.searchParams.delete('b');
  u.searchParams.delete('c');
  r.emptied = u.href;
  const p = new URLSearchParams('z=1&a=2&z=0&b=+x%20y');
  p.sort();
  r.sorted = [p.toString(), p.has('z', '0'), p.has('z', '9'), [...p.keys()]];
  r.fromObject = new URLSearchParams({ email: event.user.email, n: 5, t: true }).toString();
  r.fromEntries = new URLSearchParams(new Map([['a', '1'], ['b', '2']])).toString();
  r.domains = [domainToASCII('español.example'), domainToUnicode('xn--espaol-zwa.example'), domainToASCII('xn--iñvalid.com')];
  api.redirect.sendUserTo('https://verify.acme.example/start', { query: { email: event.user.email, note: 'a b+c' } });
  api.idToken.setCustomClaim('https://acme.example/url', r);
};
