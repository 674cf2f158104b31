#!/usr/bin/env bash
# A single-node wasmd chain on loopback for the deploy script and the
# end-to-end story (packages/client).
#
#   scripts/localnet.sh start    build wasmd once (cached), init the chain if needed, start it
#   scripts/localnet.sh stop     stop it (by its pid file)
#   scripts/localnet.sh reset    stop, wipe the chain's state, start a fresh chain
#   scripts/localnet.sh status   running or not, height, endpoints
#   scripts/localnet.sh build    only build (or find) the cached wasmd
#   scripts/localnet.sh cli ...  run the cached wasmd CLI against this chain's home
#
# Settings are in chain/localnet.json (chain id, ports, the public test
# mnemonic the keys derive from, genesis balances, governance periods).
# Ports may be moved with LOCALNET_RPC_PORT, LOCALNET_P2P_PORT,
# LOCALNET_API_PORT, LOCALNET_GRPC_PORT; the chain home with
# CHF_LOCALNET_DIR (default .localnet/ in the repository, gitignored).
#
# Every listener is bound to 127.0.0.1; pprof and prometheus are off.
# The RPC answers browsers of any origin (CORS), so that the loss reporting
# page (packages/client/page), opened from a file or another local port,
# can read the chain.
# Code upload is restricted to the deployer account (wasm param
# code_upload_access = AnyOfAddresses [deployer]): the deploy stores the
# suite's code directly, anybody else's upload is refused, and chain
# governance (x/gov, the wasm module's authority) can always store code by
# proposal, which is how the end-to-end uploads the code it migrates to.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/scripts/lib/tools.sh"
source "$REPO/scripts/lib/wasmd.sh"

CONFIG="$REPO/chain/localnet.json"
DIR=${CHF_LOCALNET_DIR:-$REPO/.localnet}
HOME_DIR="$DIR/home"
PID_FILE="$DIR/wasmd.pid"
LOG_FILE="$DIR/wasmd.log"
STAMP_FILE="$DIR/config.sha256"

die() { echo "localnet: $*" >&2; exit 1; }
ensure_jq() { command -v jq >/dev/null || apt_install jq; }
cfg() { jq -r "$1" "$CONFIG"; }

load_config() {
    ensure_jq
    CHAIN_ID=$(cfg .chain_id)
    BOND=$(cfg .bond_denom)
    RPC_PORT=${LOCALNET_RPC_PORT:-$(cfg .ports.rpc)}
    P2P_PORT=${LOCALNET_P2P_PORT:-$(cfg .ports.p2p)}
    API_PORT=${LOCALNET_API_PORT:-$(cfg .ports.api)}
    GRPC_PORT=${LOCALNET_GRPC_PORT:-$(cfg .ports.grpc)}
    RPC="http://127.0.0.1:$RPC_PORT"
}

# The settings a chain home was made with: changing any of them needs a reset.
config_stamp() {
    { cat "$CONFIG"; echo "$RPC_PORT $P2P_PORT $API_PORT $GRPC_PORT $(wasmd_dir)"; } | sha256sum | cut -c1-64
}

running_pid() {
    [ -f "$PID_FILE" ] || return 1
    local pid
    pid=$(cat "$PID_FILE")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "wasmd start"; then
        echo "$pid"
        return 0
    fi
    return 1
}

height() {
    curl -sf --max-time 2 "$RPC/status" | jq -r '.result.sync_info.latest_block_height' 2>/dev/null
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_ports() {
    local name port
    for name in RPC P2P API GRPC; do
        port="${name}_PORT"
        port=${!port}
        if port_taken "$port"; then
            local who
            who=$( (ss -ltnpH "sport = :$port" 2>/dev/null || true) | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 | sed 's/users:(("//; s/",pid=/ pid /' || true)
            die "port $port ($name) on 127.0.0.1 is taken${who:+ by $who}; stop that process or choose another port with LOCALNET_${name}_PORT=..."
        fi
    done
}

# key = value in [section] of a TOML file ("" = top level, before any section).
set_toml() {
    local file=$1 section=$2 key=$3 value=$4
    awk -v sec="$section" -v key="$key" -v val="$value" '
        /^\[/ { cur = substr($0, 2, length($0) - 2) }
        cur == sec && $1 == key && $2 == "=" && !done { print key " = " val; done = 1; next }
        { print }
        END { if (!done) exit 3 }' "$file" >"$file.tmp" || die "no key $key in [$section] of $file"
    mv "$file.tmp" "$file"
}

init_chain() {
    local w="$WASMD" name index addr
    rm -rf "$HOME_DIR" && mkdir -p "$HOME_DIR"
    "$w" init localnet --chain-id "$CHAIN_ID" --default-denom "$BOND" --home "$HOME_DIR" >/dev/null 2>&1
    for name in $(jq -r '.accounts | keys_unsorted[]' "$CONFIG"); do
        index=$(cfg ".accounts.$name")
        cfg .mnemonic | "$w" keys add "$name" --recover --index "$index" \
            --keyring-backend test --home "$HOME_DIR" >/dev/null 2>&1
        addr=$("$w" keys show "$name" -a --keyring-backend test --home "$HOME_DIR")
        "$w" genesis add-genesis-account "$addr" "$(cfg ".genesis_balances.$name")" --home "$HOME_DIR" >/dev/null
    done
    "$w" genesis gentx validator "$(cfg .self_delegation)" --chain-id "$CHAIN_ID" \
        --keyring-backend test --home "$HOME_DIR" >/dev/null 2>&1
    "$w" genesis collect-gentxs --home "$HOME_DIR" >/dev/null 2>&1

    local deployer genesis="$HOME_DIR/config/genesis.json"
    deployer=$("$w" keys show deployer -a --keyring-backend test --home "$HOME_DIR")
    jq --arg bond "$BOND" --arg deployer "$deployer" --slurpfile c "$CONFIG" '
        ($c[0].gov) as $g
        | .app_state.gov.params.voting_period = $g.voting_period
        | .app_state.gov.params.expedited_voting_period = $g.expedited_voting_period
        | .app_state.gov.params.max_deposit_period = $g.max_deposit_period
        | .app_state.gov.params.min_deposit = [{denom: $bond, amount: $g.min_deposit}]
        | .app_state.gov.params.expedited_min_deposit = [{denom: $bond, amount: $g.expedited_min_deposit}]
        | .app_state.wasm.params.code_upload_access = {permission: "AnyOfAddresses", addresses: [$deployer]}
        | .app_state.wasm.params.instantiate_default_permission = "Everybody"
    ' "$genesis" >"$genesis.tmp" && mv "$genesis.tmp" "$genesis"
    "$w" genesis validate-genesis --home "$HOME_DIR" >/dev/null

    local c="$HOME_DIR/config/config.toml" a="$HOME_DIR/config/app.toml"
    set_toml "$c" consensus timeout_commit "\"$(cfg .timeout_commit)\""
    set_toml "$c" rpc laddr "\"tcp://127.0.0.1:$RPC_PORT\""
    set_toml "$c" rpc max_body_bytes 10000000
    set_toml "$c" rpc pprof_laddr '""'
    set_toml "$c" p2p laddr "\"tcp://127.0.0.1:$P2P_PORT\""
    set_toml "$c" p2p pex false
    set_toml "$c" mempool max_tx_bytes 8388608
    set_toml "$c" instrumentation prometheus false
    set_toml "$c" "" proxy_app "\"tcp://127.0.0.1:$((RPC_PORT + 1))\""
    set_toml "$a" "" minimum-gas-prices "\"0$BOND\""
    set_toml "$a" api enable true
    set_toml "$a" api address "\"tcp://127.0.0.1:$API_PORT\""
    set_toml "$a" grpc address "\"127.0.0.1:$GRPC_PORT\""
    set_toml "$a" telemetry enabled false
}

start() {
    load_config
    ensure_wasmd
    local pid
    if pid=$(running_pid); then
        echo "localnet: already running (pid $pid, $RPC, chain id $CHAIN_ID, height $(height || echo '?'))"
        return 0
    fi
    rm -f "$PID_FILE"
    check_ports
    if [ ! -f "$HOME_DIR/config/genesis.json" ] || [ "$(cat "$STAMP_FILE" 2>/dev/null)" != "$(config_stamp)" ]; then
        if [ -d "$HOME_DIR/data" ] && [ -f "$STAMP_FILE" ]; then
            die "the chain in $HOME_DIR was made with other settings (chain/localnet.json, ports or wasmd); run: scripts/localnet.sh reset"
        fi
        init_chain
        config_stamp >"$STAMP_FILE"
    fi
    # Browsers may read the RPC from any origin (the loss reporting page); set at
    # every start so that a chain made before this setting gets it too.
    set_toml "$HOME_DIR/config/config.toml" rpc cors_allowed_origins '["*"]'
    # setsid: the node outlives this shell and its terminal; stop it by pid.
    # The lock's fd is closed for the node, or it would hold the lock for its lifetime.
    setsid "$WASMD" start --home "$HOME_DIR" >"$LOG_FILE" 2>&1 </dev/null {LOCK_FD}>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    local start_ns h
    start_ns=$(date +%s%N)
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            tail -30 "$LOG_FILE" >&2
            die "wasmd exited while starting (log: $LOG_FILE)"
        fi
        h=$(height || true)
        if [ -n "$h" ] && [ "$h" != null ] && [ "$h" -ge 1 ]; then
            break
        fi
        if [ $(($(date +%s%N) - start_ns)) -gt 60000000000 ]; then
            tail -30 "$LOG_FILE" >&2
            stop_pid "$pid"
            die "no block after 60 s (log: $LOG_FILE)"
        fi
        sleep 0.2
    done
    echo "localnet: started (pid $pid, $RPC, chain id $CHAIN_ID, height $h, $(( ($(date +%s%N) - start_ns) / 1000000 )) ms)"
}

stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "localnet: wasmd (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

stop() {
    local pid
    if pid=$(running_pid); then
        stop_pid "$pid"
        echo "localnet: stopped (pid $pid)"
    else
        echo "localnet: not running"
    fi
    rm -f "$PID_FILE"
}

status() {
    load_config
    local pid
    if pid=$(running_pid); then
        echo "localnet: running (pid $pid, $RPC, chain id $CHAIN_ID, height $(height || echo '?'))"
        echo "  api  http://127.0.0.1:$API_PORT   grpc 127.0.0.1:$GRPC_PORT   home $HOME_DIR"
    else
        echo "localnet: stopped"
        return 3
    fi
}

# start, stop and reset hold one lock: two callers never start two nodes.
lock() {
    mkdir -p "$DIR"
    exec {LOCK_FD}>"$DIR/lock"
    flock "$LOCK_FD"
}

case "${1:-}" in
start)
    lock
    start
    ;;
stop)
    lock
    stop
    ;;
reset)
    lock
    stop
    rm -rf "$HOME_DIR" "$STAMP_FILE"
    start
    ;;
status) status ;;
build)
    ensure_wasmd
    echo "$WASMD"
    ;;
cli)
    shift
    load_config
    ensure_wasmd
    exec "$WASMD" --home "$HOME_DIR" "$@"
    ;;
*)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
