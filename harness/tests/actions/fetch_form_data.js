// FormData (a Node 22 global; Auth0's docs post one with fetch): string entries in order, values
// coerced to strings, undici's errors. The recorded fetch keeps a FormData body as its
// [name, value] entries, because the multipart encoding has a random boundary.
exports.onExecutePostLogin = async (event, api) => {
  const form = new FormData();
  form.append('user_id', event.user.user_id);
  form.append('logins', event.stats.logins_count);
  form.append('tag', 'a');
  form.append('tag', 'b');
  form.append('tag', null);
  const checks = {
    get: form.get('user_id'),
    missing: form.get('nope'),
    all: form.getAll('tag'),
    has: [form.has('tag'), form.has('nope')],
  };
  form.set('tag', 'set-wins');
  form.set('added', 'by-set');
  form.delete('logins');
  form.append('note', 'line 1\r\nline 2');
  const seen = [];
  form.forEach(function (value, name, target) {
    seen.push(`${name}=${value}`, this.marker, target === form);
  }, { marker: 'this' });
  checks.for_each = seen;
  checks.keys = [...form.keys()];
  checks.values = [...form.values()];
  checks.entries = [...form.entries()];
  checks.iterated = Array.from(form);
  checks.tag = Object.prototype.toString.call(form);
  checks.json = JSON.stringify(form);
  const errors = [];
  const attempt = (f) => {
    try {
      f();
    } catch (e) {
      errors.push(`${e.name}: ${e.message}`);
    }
  };
  attempt(() => form.append('file', 'text', 'name.txt'));
  attempt(() => form.set('file', 'text', 'name.txt'));
  attempt(() => form.append('only-name'));
  attempt(() => form.get());
  attempt(() => new FormData({}));
  checks.errors = errors;
  api.idToken.setCustomClaim('https://example.com/form', checks);
  const response = await fetch('https://hooks.example.com/logins', { method: 'POST', body: form });
  console.log('hook', response.status, await response.text());
};
