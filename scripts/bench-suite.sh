#!/usr/bin/env bash
# Benchmark: `actionkit test` (release build) on the express-configure example's fixtures copied
# to N fixtures, against Node 22 run once per fixture (tests/node/run-flow.js, as a suite without
# the harness would run). Prints Markdown rows for docs/PERFORMANCE.md.
# Usage: scripts/bench-suite.sh [SIZES="130 1010"] [NODE_SAMPLE=100]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-130 1010}"; node_sample="${2:-100}"
node22="$(scripts/setup.sh | tail -n 1)"
cargo build --quiet --locked --release --bin actionkit
ACTIONKIT_AUTH0_FACTS="$(cargo run --quiet --locked -p auth0-platform --example facts)"
export ACTIONKIT_AUTH0_FACTS
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
example=examples/express-configure
target/release/actionkit -q build "$example" -o "$work/dist"
action="$work/dist/express-configure.js"
echo "| fixtures | \`actionkit test\` (release) | fixtures/s | Node 22, one process per fixture (${node_sample} timed, scaled) | ratio |"
echo "|---:|---:|---:|---:|---:|"
for n in $sizes; do
  project="$work/p$n"
  mkdir -p "$project/fixtures/snapshots"
  cp "$example/actionkit.toml" "$example/policy.toml" "$project/"
  originals=("$example"/fixtures/*.json)
  for i in $(seq 0 $((n - 1))); do
    source="${originals[$((i % ${#originals[@]}))]}"
    base="$(basename "$source" .json)"
    cp "$source" "$project/fixtures/$base-$i.json"
    cp "$example/fixtures/snapshots/$base.snap" "$project/fixtures/snapshots/$base-$i.snap"
  done
  start=$(date +%s%N)
  target/release/actionkit -q test "$project" >/dev/null
  ak_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  start=$(date +%s%N)
  for i in $(seq 0 $((node_sample - 1))); do
    source="${originals[$((i % ${#originals[@]}))]}"
    "$node22" tests/node/run-flow.js "$source" "$action" >/dev/null
  done
  node_ms=$(( ($(date +%s%N) - start) * n / node_sample / 1000000 ))
  echo "| $n | ${ak_ms} ms | $(( n * 1000 / (ak_ms > 0 ? ak_ms : 1) )) | ${node_ms} ms | $(awk "BEGIN {printf \"%.1f\", $node_ms / $ak_ms}")× |"
done
