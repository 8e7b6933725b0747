#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer on the stable toolchain (no sanitizers, as cargo-fuzz's
# `--sanitizer none`): builds the target with SanitizerCoverage instrumentation and runs it on
# its corpus, which grows in fuzz/corpus/TARGET (commit what it adds). Crashes land in
# fuzz/artifacts/TARGET. CI does not run this; it replays the corpora (tests/e2e/fuzz_replay.rs).
# Usage: scripts/fuzz.sh TARGET [SECONDS=300] [extra libFuzzer flags]
#   TARGET: policy_compile | ir_decode | decide_event | fixture_load
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
target="${1:?usage: scripts/fuzz.sh TARGET [SECONDS]}"
seconds="${2:-300}"
shift $(( $# > 1 ? 2 : 1 ))
host="$(rustc -vV | sed -n 's/^host: //p')"
# Instrument our code only (an explicit --target keeps build scripts and proc macros plain).
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
cargo build --release --target "$host" --bin "$target"
mkdir -p "corpus/$target" "artifacts/$target"
exec "target/$host/release/$target" "corpus/$target" -artifact_prefix="artifacts/$target/" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 "$@"
