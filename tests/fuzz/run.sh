#!/usr/bin/env bash
# Fuzzes the sync protocol for a given time (not part of CI):
#   bash tests/fuzz/run.sh [seconds per target, default 60] [target…]
# Installs cargo-fuzz from crates.io if needed. cargo-fuzz wants nightly features; on this
# stable toolchain RUSTC_BOOTSTRAP=1 enables them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frame_decode hub)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for t in "${targets[@]}"; do
  echo "==> fuzzing $t for ${seconds}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" -- -max_total_time="$seconds" -max_len=4096
done
