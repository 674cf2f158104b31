#!/usr/bin/env bash
# The suite on a real chain, as CI runs it (one step of scripts/test.sh):
#   1. packages/client: npm ci, the generated client matches schema/, tsc --strict, unit tests
#   2. the optimized wasm (scripts/build.sh, unless artifacts/ has them) and cw20-base
#   3. wasmd built once and cached (scripts/localnet.sh build)
#   4. a fresh local chain with its own home and ports (.localnet-e2e/,
#      RPC 36757), so the chain of `scripts/localnet.sh start` is never touched
#   5. scripts/deploy.sh, native and cw20, into target/chain/
#   6. the end-to-end story (packages/client/test/e2e.test.ts)
#   7. the loss reporting page, built and read in headless chromium against
#      the story's deployments (packages/client/test/page.test.ts)
#   8. real gas at 20 and 1,000 members (npm run gas; skip with --no-gas)
#   9. the chain is stopped, whatever happened
# Reports go to target/chain/ (chain-e2e.md, chain-gas.md and their JSON,
# the page's screenshots loss-page-*.png);
# docs/chain-e2e.md and docs/chain-gas.md are committed copies of such a run.
# Prints the wall time of every step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
source scripts/lib/client.sh

gas=true
[ "${1:-}" = --no-gas ] && gas=false

export CHF_LOCALNET_DIR=${CHF_LOCALNET_DIR:-$PWD/.localnet-e2e}
export LOCALNET_RPC_PORT=${LOCALNET_RPC_PORT:-36757}
export LOCALNET_P2P_PORT=${LOCALNET_P2P_PORT:-36756}
export LOCALNET_API_PORT=${LOCALNET_API_PORT:-31417}
export LOCALNET_GRPC_PORT=${LOCALNET_GRPC_PORT:-39190}
out=target/chain
mkdir -p "$out"
chain_id=$(sed -n 's/.*"chain_id": *"\([^"]*\)".*/\1/p' chain/localnet.json)

# The timings go to the script's stdout even when a step's own output is redirected.
exec 3>&1
timed() {
    local label=$1 start
    shift
    start=$(date +%s%N)
    local rc=0
    "$@" || rc=$?
    printf 'chain-e2e: %-34s %6.1f s%s\n' "$label" "$(( ($(date +%s%N) - start) / 1000000 ))e-3" \
        "$([ "$rc" = 0 ] || echo "  FAILED ($rc)")" >&3
    return "$rc"
}

# (Steps run under `timed`, where `set -e` does not reach: each returns its first failure.)
client_checks() {
    ensure_client_deps || return
    (cd packages/client && node scripts/codegen.mjs --check && npx --no-install tsc --noEmit -p . \
        && npx --no-install tsc --noEmit -p page && npm run -s unit >/dev/null)
}
# CHF_ARTIFACTS (default artifacts/) is where the wasm is read from, here and in packages/client.
artifacts=${CHF_ARTIFACTS:-artifacts}
wasm() {
    if [ ! -f "$artifacts/margin_vault.wasm" ] || [ ! -f "$artifacts/default_fund.wasm" ] || [ ! -f "$artifacts/governance.wasm" ]; then
        scripts/build.sh || return
    fi
    scripts/build-cw20.sh >/dev/null
}

timed "client: npm ci, drift, tsc, unit" client_checks
timed "wasm artifacts + cw20-base" wasm
timed "wasmd (built once, cached)" scripts/localnet.sh build >/dev/null
trap 'scripts/localnet.sh stop >/dev/null' EXIT
timed "fresh chain up" scripts/localnet.sh reset >/dev/null
deploy() {
    local name=$1
    shift
    scripts/deploy.sh --localnet --chain-id "$chain_id" --out "$out/$name.json" "$@" >"$out/deploy-$name.log" 2>&1 \
        || { local rc=$?; cat "$out/deploy-$name.log" >&2; return "$rc"; }
}
timed "deploy (native)" deploy native
timed "deploy (cw20)" deploy cw20 --new-cw20
run_e2e() {
    CHF_DEPLOYMENT_NATIVE="$PWD/$out/native.json" CHF_DEPLOYMENT_CW20="$PWD/$out/cw20.json" \
        CHF_E2E_REPORT=${CHF_E2E_REPORT:-$PWD/$out/chain-e2e.md} \
        npm --prefix packages/client run -s e2e
}
# The page and the gas run go on after a failed story (they read or measure
# whatever the chain holds); the script fails if any of them did.
status=0
timed "end-to-end story" run_e2e || status=$?
run_page() {
    ensure_chromium || return
    npm --prefix packages/client run -s page:build >/dev/null || return
    CHF_DEPLOYMENT_NATIVE="$PWD/$out/native.json" CHF_DEPLOYMENT_CW20="$PWD/$out/cw20.json" \
        CHF_PAGE_SHOTS="$PWD/$out" npm --prefix packages/client run -s page:e2e
}
timed "loss page in headless chromium" run_page || status=$?
run_gas() {
    npm --prefix packages/client run -s gas -- --members 20,1000 --out "$PWD/$out/chain-gas.md" >"$out/gas.log"
}
if $gas; then
    timed "gas at 20 and 1,000 members" run_gas || { status=$?; tail -20 "$out/gas.log" >&2; }
fi
[ "$status" = 0 ] || echo "chain-e2e: failed (reports in $out/)" >&2
exit "$status"
