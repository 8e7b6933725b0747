#!/usr/bin/env bash
# Benchmark: the generated Actions vs the guides' hand-written snippets under Node 22 (size, cold
# start = load + first call in a fresh process, warm per-call time). Prints a Markdown table for
# docs/PERFORMANCE.md, then where the generated Action's cold start goes (tests/node/cold-phases.js).
# Usage: scripts/bench-node.sh [RUNS=15] [WARM_CALLS=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-15}"; warm="${2:-2000}"
node22="$(scripts/setup.sh | tail -n 1)"
cargo build --quiet --locked --bin actionkit
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
target/debug/actionkit -q build examples/express-configure -o "$out/ec"
target/debug/actionkit -q build examples/okta-express-configure -o "$out/okta"
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
row() {
  local label="$1" event="$2"; shift 2
  local results=()
  for _ in $(seq "$runs"); do results+=("$("$node22" tests/node/bench.js "$event" "$warm" "$@")"); done
  local field
  printf '| %s | %s' "$label" "$(printf '%s\n' "${results[0]}" | sed -E 's/.*"bytes":([0-9]+).*/\1/')"
  for field in cold_ms load_ms first_call_ms warm_median_us; do
    printf ' | %s' "$(printf '%s\n' "${results[@]}" | sed -E "s/.*\"$field\":([0-9.e+-]+).*/\1/" | median)"
  done
  printf ' |\n'
}
echo "Node $("$node22" --version), $runs fresh processes each, $warm warm calls per process (medians)."
echo
echo "| Action | bytes | cold start (ms) | load (ms) | first call (ms) | warm call (µs) |"
echo "|---|---:|---:|---:|---:|---:|"
ec=examples/express-configure/fixtures/admin.json
okta=examples/okta-express-configure/fixtures/express-configure-request.json
row "generated express-configure" "$ec" "$out/ec/express-configure.js"
row "guide snippets: ABAC + HRD + MFA (3 Actions)" "$ec" harness/tests/actions/abac_scopes.js harness/tests/actions/domain_aliases.js harness/tests/actions/mfa_express.js
other=examples/express-configure/fixtures/other-api.json
row "generated express-configure, login for another API" "$other" "$out/ec/express-configure.js"
row "guide snippets, login for another API" "$other" harness/tests/actions/abac_scopes.js harness/tests/actions/domain_aliases.js harness/tests/actions/mfa_express.js
row "generated okta-express-configure" "$okta" "$out/okta/express_configure_postlogin_action.js"
row "guide snippet: Okta sp_client_id" "$okta" harness/tests/actions/sp_client_id.js

# The warm decision on every bundled fixture (the issue's goal is per fixture): one process per
# Action, each fixture WARM_CALLS times after a first call; the median of a whole call and of the
# engine's `decide` export inside it (tests/node/bench-fixtures.js), medians over RUNS processes.
echo
echo "Warm call per fixture (µs; whole call / the WASM \`decide\` inside it), medians of $runs processes:"
echo
echo "| fixture | generated Action | WASM part | guide snippets |"
echo "|---|---:|---:|---:|"
per_fixture() {
  local example="$1" action="$2"; shift 2
  local generated=() snippets=()
  for _ in $(seq "$runs"); do
    generated+=("$("$node22" tests/node/bench-fixtures.js "$warm" "$action" -- "examples/$example"/fixtures/*.json)")
    snippets+=("$("$node22" tests/node/bench-fixtures.js "$warm" "$@" -- "examples/$example"/fixtures/*.json)")
  done
  local fixture
  for fixture in "examples/$example"/fixtures/*.json; do
    fixture="$(basename "$fixture")"
    printf '| %s/%s' "$example" "$fixture"
    for field in warm_median_us wasm_median_us; do
      printf ' | %s' "$(printf '%s\n' "${generated[@]}" | grep "\"event\":\"$fixture\"" | sed -E "s/.*\"$field\":([0-9.e+-]+).*/\1/" | median)"
    done
    printf ' | %s |\n' "$(printf '%s\n' "${snippets[@]}" | grep "\"event\":\"$fixture\"" | sed -E 's/.*"warm_median_us":([0-9.e+-]+).*/\1/' | median)"
  done
}
per_fixture express-configure "$out/ec/express-configure.js" harness/tests/actions/abac_scopes.js harness/tests/actions/domain_aliases.js harness/tests/actions/mfa_express.js
per_fixture okta-express-configure "$out/okta/express_configure_postlogin_action.js" harness/tests/actions/sp_client_id.js

# The same cold start in a process that has already loaded Node's stream and HTTP modules, as any
# server process (Auth0's Action runtime among them) has: `require('zlib')` then costs less.
echo
echo "Cold start after \`require('http')\` (a server process), medians of $runs:"
echo
echo "| Action | cold start (ms) | first call (ms) |"
echo "|---|---:|---:|"
preloaded() {
  local label="$1" event="$2"; shift 2
  local results=()
  for _ in $(seq "$runs"); do results+=("$("$node22" -r http tests/node/bench.js "$event" 1 "$@")"); done
  printf '| %s' "$label"
  for field in cold_ms first_call_ms; do
    printf ' | %s' "$(printf '%s\n' "${results[@]}" | sed -E "s/.*\"$field\":([0-9.e+-]+).*/\1/" | median)"
  done
  printf ' |\n'
}
preloaded "generated express-configure" "$ec" "$out/ec/express-configure.js"
preloaded "guide snippets: ABAC + HRD + MFA (3 Actions)" "$ec" harness/tests/actions/abac_scopes.js harness/tests/actions/domain_aliases.js harness/tests/actions/mfa_express.js

echo
echo "Where the generated express-configure Action's cold start goes (ms, medians of $runs fresh processes):"
echo
phases=()
for _ in $(seq "$runs"); do phases+=("$("$node22" tests/node/cold-phases.js "$ec" "$out/ec/express-configure.js")"); done
fields=(load_file require_zlib brotli compile instantiate first_decide wrapper cold)
printf '|'; printf ' %s |' "${fields[@]}"; printf '\n|'; printf -- '---:|%.0s' "${fields[@]}"; printf '\n|'
for field in "${fields[@]}"; do
  printf ' %s |' "$(printf '%s\n' "${phases[@]}" | sed -E "s/.*\"$field\":([0-9.e+-]+).*/\1/" | median)"
done
printf '\n'
