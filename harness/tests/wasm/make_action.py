#!/usr/bin/env python3
"""Builds ../actions/engine_domain_aliases.js from the frozen engine sample (see README.md)."""
import base64
import gzip
import json
import pathlib

here = pathlib.Path(__file__).parent
wasm = (here / "action_core_bg.wasm").read_bytes()
glue = (here / "action_core.js").read_text()
lines = glue.splitlines()
out = []
skip = False
for line in lines:
    if "const wasmPath" in line:
        out.append("const wasmBytes = require('zlib').gunzipSync(Buffer.from(__WASM_B64, 'base64'));")
        skip = True
        continue
    if skip and "readFileSync" in line:
        skip = False
        continue
    out.append(line)
glue = "\n".join(out)
payload = base64.b64encode(gzip.compress(wasm, compresslevel=9, mtime=0)).decode()
policy = {
    "v": 1,
    "paths": ["resource_server.identifier", "organization.metadata"],
    "secrets": [],
    "gate": {"field": "resource_server", "api": "urn:auth0:express-configure"},
    "sp_claims": None,
    "domain_aliases": {
        "metadata_key": "domains",
        "claim": "express_configuration",
        "blocked": ["gmail.com"],
        "on_invalid": "drop",
        "deny_message": "Invalid organization domain",
    },
    "scopes": None,
    "mfa": None,
    "rules": [],
}
wrapper = """
// Generated-style Action: the engine above decides, this wrapper applies the decisions.
const __POLICY = new TextEncoder().encode(%s);
let __loaded = null;

exports.onExecutePostLogin = async (event, api) => {
  if (__loaded === null) {
    __loaded = JSON.parse(new TextDecoder().decode(__engine.load(__POLICY)));
  }
  if (!__loaded.ok) throw new Error('policy failed to load: ' + __loaded.error);
  const input = new TextEncoder().encode(JSON.stringify(event));
  const result = JSON.parse(new TextDecoder().decode(__engine.decide(input)));
  if (!result.ok) throw new Error(result.error);
  for (const d of result.decisions) {
    switch (d.type) {
      case 'set_claim':
        (d.token === 'access' ? api.accessToken : api.idToken).setCustomClaim(d.name, d.value);
        break;
      case 'add_scope': api.accessToken.addScope(d.scope); break;
      case 'remove_scope': api.accessToken.removeScope(d.scope); break;
      case 'deny': api.access.deny(d.reason); break;
      case 'fail': throw new Error(d.message);
      case 'multifactor_enable': api.multifactor.enable(d.provider); break;
      case 'challenge_with': api.authentication.challengeWith({ type: d.factor }); break;
      case 'enroll_with': api.authentication.enrollWith({ type: d.factor }); break;
    }
  }
  for (const t of result.trace) if (t.step === 'note') console.log(t.source + ': ' + t.message);
};
""" % json.dumps(json.dumps(policy))
action = (
    "// Generated from harness/tests/wasm (see README.md); do not edit by hand.\n"
    "const __WASM_B64 = '" + payload + "';\n"
    "const __engine = (() => {\nconst exports = {};\n" + glue + "\nreturn exports;\n})();\n" + wrapper
)
(here.parent / "actions" / "engine_domain_aliases.js").write_text(action)
print(len(action), "bytes")
