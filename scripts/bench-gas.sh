#!/usr/bin/env bash
# Gas of every suite message on cosmwasm-vm 3 (the VM chains run) with
# wasmd's gas schedule, at N = 10 … 100,000 members, a member settling
# across k = 1, 5, 20 defaults, plus the optimized wasm sizes. Method and
# results: docs/gas.md.
#
#   scripts/bench-gas.sh                    # Markdown tables, N = 10 … 100,000 (~10 s once built)
#   scripts/bench-gas.sh --json             # {"rows": [{"message", "target", "sdk_gas": {"10": n, …}}], "sizes": {…}}
#   scripts/bench-gas.sh --check            # CI: N = 10 and 10,000; fails if a message's gas
#                                           # grows by more than 5%, a message is over its gas
#                                           # target or a wasm exceeds 600 KiB
#   scripts/bench-gas.sh --members 10,1000  # other member counts (with any of the above)
#
# Installs what it needs (Debian's Rust 1.96 for cosmwasm-vm 3, the wasm
# toolchain); rebuilds artifacts/ when the contracts changed. The bench is
# its own cargo project (packages/bench, target dir target-bench): the first
# build compiles the VM and takes ~10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh

ensure_wasm_toolchain

# Rebuild the artifacts if any is missing or older than what goes into them.
stale=0
for c in margin_vault default_fund governance; do
    [ -f "artifacts/$c.wasm" ] || stale=1
done
if [ "$stale" = 0 ] && [ -n "$(find contracts packages/types Cargo.toml Cargo.lock scripts/build.sh \
        -newer artifacts/checksums.txt -type f -print -quit 2>/dev/null)" ]; then
    stale=1
fi
if [ "$stale" = 1 ]; then
    scripts/build.sh >&2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=target-bench \
    /usr/bin/cargo build --quiet --release --locked --manifest-path packages/bench/Cargo.toml >"$log" 2>&1; then
    cat "$log" >&2
    echo "bench-gas.sh: building packages/bench failed" >&2
    exit 1
fi
exec env RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=target-bench \
    /usr/bin/cargo run --quiet --release --locked --manifest-path packages/bench/Cargo.toml -- \
    --artifacts artifacts --cache-dir target-bench/vm-cache "$@"
