#!/usr/bin/env bash
# Runs every test of the workspace, as CI does: set-up (wasm32 target, Node 22), then
# `cargo test --workspace`. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONKIT_NODE22="$(scripts/setup.sh | tail -n 1)"
export ACTIONKIT_NODE22
cargo test --workspace --locked --no-fail-fast "$@"
