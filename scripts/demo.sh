#!/usr/bin/env bash
# The main job on the bundled example: check the policy (with its inline tests), build the
# deployable Action and its deploy artifacts into examples/express-configure/dist/, and show the
# decisions for one recorded login. Pass another project directory to use that instead.
set -euo pipefail
cd "$(dirname "$0")/.."
project="${1:-examples/express-configure}"
scripts/setup.sh >/dev/null
cargo build --quiet --locked --bin actionkit
actionkit=target/debug/actionkit
"$actionkit" check "$project"
"$actionkit" build "$project"
fixture="$(ls "$project"/fixtures/*.json | head -n 1)"
"$actionkit" explain "$project" --event "$fixture"
