// Customer style: validate what an upstream system returned with Node's assert before using it,
// and turn a failed assertion into a denial that tells support what was wrong.
const assert = require('assert');

exports.onExecutePostLogin = async (event, api) => {
  const response = await fetch(`https://hr.acme.example/people/${encodeURIComponent(event.user.email)}`);
  let person;
  try {
    assert.strictEqual(response.status, 200, `HR lookup answered ${response.status}`);
    person = await response.json();
    assert.ok(person && typeof person === 'object', 'HR answer is not an object');
    assert(person.active);
    assert.match(person.employee_id, /^E\d{5}$/);
    assert.deepStrictEqual(Object.keys(person.org).sort(), ['cost_center', 'department']);
    assert.notStrictEqual(person.org.department, '');
    assert.equal(person.level, 3);
  } catch (e) {
    console.error('%s [%s] %s', e.name, e.code, e.message);
    console.log('generated=%s operator=%s', e.generatedMessage, e.operator);
    return api.access.deny('Your HR record is incomplete, contact support');
  }
  api.idToken.setCustomClaim('https://acme.example/employee', person.employee_id);
};
