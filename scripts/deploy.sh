#!/usr/bin/env bash
# Deploys the suite and writes deployments/<chain-id>.json.
#
#   scripts/deploy.sh                 the local chain (scripts/localnet.sh start), native uclear
#   scripts/deploy.sh --cw20          the local chain, settling in a new cw20-base token
#   scripts/deploy.sh --chain-id ID --rpc URL --mnemonic-file F --denom D ...   any chain
#                                     (all options: scripts/deploy.sh --help)
#
# Builds what is missing first: the optimized wasm (scripts/build.sh), the
# cw20-base wasm (scripts/build-cw20.sh), packages/client's npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh
source scripts/lib/client.sh

artifacts=${CHF_ARTIFACTS:-artifacts}
args=("$@")
if [ $# -eq 0 ] || [ "$1" = --cw20 ]; then
    chain_id=$(sed -n 's/.*"chain_id": *"\([^"]*\)".*/\1/p' chain/localnet.json)
    args=(--localnet --chain-id "$chain_id")
    if [ "${1:-}" = --cw20 ]; then
        args+=(--new-cw20 --out "deployments/$chain_id-cw20.json")
    fi
fi
for a in "${args[@]}"; do
    if [ "$a" = --new-cw20 ] && [ ! -f "$artifacts/cw20_base.wasm" ]; then
        scripts/build-cw20.sh
    fi
done
if [ ! -f "$artifacts/margin_vault.wasm" ] || [ ! -f "$artifacts/default_fund.wasm" ] || [ ! -f "$artifacts/governance.wasm" ]; then
    scripts/build.sh
fi
ensure_client_deps
exec packages/client/node_modules/.bin/tsx packages/client/src/cli/deploy.ts --artifacts "$artifacts" "${args[@]}"
