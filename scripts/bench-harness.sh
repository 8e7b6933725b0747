#!/usr/bin/env bash
# Benchmark: the bundled example's generated Action in the harness (release build) versus Node 22
# one process per fixture, as a test suite would run it. Prints Markdown for docs/PERFORMANCE.md.
# Usage: scripts/bench-harness.sh [RUNS=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000}"
node22="$(scripts/setup.sh | tail -n 1)"
cargo build --quiet --locked --bin actionkit
cargo build --quiet --locked --release -p harness --example suite
# Auth0's facts (the objects always in an event) for the Node 22 runner, from the one definition.
ACTIONKIT_AUTH0_FACTS="$(cargo run --quiet --locked -p auth0-platform --example facts)"
export ACTIONKIT_AUTH0_FACTS
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
target/debug/actionkit -q build examples/express-configure -o "$out/ec"
action="$out/ec/express-configure.js"
fixture=examples/express-configure/fixtures/admin.json
boa="$(target/release/examples/suite "$action" "$fixture" "$runs")"
start=$(date +%s%N)
for _ in $(seq "$runs"); do "$node22" tests/node/run-flow.js "$fixture" "$action" >/dev/null; done
node_ms=$(( ($(date +%s%N) - start) / 1000000 ))
field() { printf '%s' "$boa" | sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }
echo "Generated \`express-configure\` Action ($(wc -c < "$action") bytes), fixture \`admin.json\`, $runs runs."
echo
echo "| measure | harness (Boa + wasmi, release) | Node 22 |"
echo "|---|---:|---:|"
echo "| Boa context + Action load | $(field setup_ms) ms | |"
echo "| first run (WASM compile + instantiate + decision) | $(field first_run_ms) ms | |"
echo "| warm run, median (decision after load), through \`Flow::run\` | $(field warm_median_ms) ms | |"
echo "| the same, timed on the worker thread (without the hand-off between threads) | $(field warm_engine_median_ms) ms | |"
echo "| $runs fixtures, one warm instance | $(field warm_suite_ms) ms | |"
echo "| $runs fixtures, fresh instance each, one after another | $(field fresh_suite_ms) ms | ${node_ms} ms (one process each) |"
echo "| $runs fixtures, fresh instance each, $(field threads) threads (as \`actionkit test\`) | $(field parallel_suite_ms) ms | |"
