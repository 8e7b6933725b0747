// Auth0's facts for the Node 22 runners of the tests: the JSON of the Rust crate auth0-platform
// (`runtime_facts_json()`), which the test that starts a runner passes in ACTIONKIT_AUTH0_FACTS,
// so these runners and the harness enforce the same numbers and see the same events.
'use strict';

if (!process.env.ACTIONKIT_AUTH0_FACTS) throw new Error('ACTIONKIT_AUTH0_FACTS is not set (auth0_platform::runtime_facts_json())');
const FACTS = JSON.parse(process.env.ACTIONKIT_AUTH0_FACTS);

// Adds, in place, the objects Auth0 always supplies where the fixture left them out, as the
// harness and `explain` do.
function completeEvent(event) {
  for (const [parent, key] of FACTS.ALWAYS_PRESENT_OBJECTS) {
    let object = event;
    for (const segment of parent) object = object !== null && typeof object === 'object' ? object[segment] : undefined;
    if (object !== null && typeof object === 'object' && !Array.isArray(object) && !(key in object)) object[key] = {};
  }
  return event;
}

module.exports = { FACTS, completeEvent };
