#!/usr/bin/env bash
# The whole check, as CI runs it: formatting, clippy, unit + multi-test +
# property tests, schema drift, the scenario runner on the shared examples,
# the optimized wasm build checked by cosmwasm-check, and the gas check
# on cosmwasm-vm (no message's gas grows with the member count).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's wall time is printed when the next starts (and at the end).
started=$(date +%s)
step_start=$started
step_name=
step_end() {
    [ -z "$step_name" ] || printf '== %s: %d s\n' "$step_name" "$(( $(date +%s) - step_start ))"
}
step() {
    step_end
    step_name=$*
    step_start=$(date +%s)
    printf '\n== %s\n' "$*"
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --quiet --locked --workspace --all-targets -- -D warnings

step "cargo test"
mkdir -p target
status=0
cargo test --locked --workspace >target/test-output.txt 2>&1 || status=$?
grep -E '^(test result|     Running)|panicked' target/test-output.txt || true
if [ "$status" != 0 ]; then
    grep -A40 -E '^failures:|^error' target/test-output.txt | head -200 >&2
    echo "cargo test failed" >&2
    exit 1
fi
count() { grep -E '^test result' target/test-output.txt | grep -oE "[0-9]+ $1" | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(count failed)

step "scenario runner: the demo (the README's main job)"
scripts/simulate.sh scenarios/demo.json --no-chart > target/demo-report.txt
grep -q "^Default 1:" target/demo-report.txt

step "schema drift"
scripts/schema.sh --check

step "wasm build + cosmwasm-check"
scripts/build.sh

step "gas on cosmwasm-vm: constant in the member count, wasm sizes"
scripts/bench-gas.sh --check > target/bench-check.txt
tail -1 target/bench-check.txt

step "on a real chain: client drift, local wasmd, deploy, end-to-end story, gas"
scripts/chain-e2e.sh

step_end
printf '\n%s passed, %s failed; %d s in all\n' "$passed" "$failed" "$(( $(date +%s) - started ))"
