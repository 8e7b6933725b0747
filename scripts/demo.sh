#!/usr/bin/env bash
# The main job on the bundled example: check the policy (with its inline tests), build the
# deployable Action and its deploy artifacts into examples/express-configure/dist/, run the built
# Action (WASM included) on every recorded login against the committed snapshots, and explain
# one login. Pass another project directory to use that instead.
set -euo pipefail
cd "$(dirname "$0")/.."
project="${1:-examples/express-configure}"
scripts/setup.sh >/dev/null
cargo build --quiet --locked --bin actionkit
actionkit=target/debug/actionkit
"$actionkit" check "$project"
"$actionkit" build "$project"
"$actionkit" test "$project"
fixture="$project/fixtures/admin.json"
[ -f "$fixture" ] || fixture="$(ls "$project"/fixtures/*.json | head -n 1)"
"$actionkit" explain "$project" --event "$fixture"
