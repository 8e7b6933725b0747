#!/usr/bin/env bash
# Runs every test of the workspace, as CI does: set-up (wasm32 target, Node 22, the corpus's npm
# packages), then `cargo test --workspace`. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
setup="$(scripts/setup.sh)"
ACTIONKIT_NODE22="$(tail -n 1 <<<"$setup")"
ACTIONKIT_NODE_MODULES="$(tail -n 2 <<<"$setup" | head -n 1)"
export ACTIONKIT_NODE22 ACTIONKIT_NODE_MODULES
cargo test --workspace --locked --no-fail-fast "$@"
