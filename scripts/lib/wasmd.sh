# Builds wasmd once per machine through the project's Go module in chain/
# and caches it. Sourced, not run.
#
# Cache: ~/.cache/chf-tools/wasmd-<version>/<go.sum hash>/{wasmd,libwasmvm.x86_64.so}
# The Go module and build caches live under ~/.cache/chf-tools/go too, so a
# second build (another go.sum) reuses what the first one downloaded.

CHF_TOOLS_DIR=${CHF_TOOLS_DIR:-$HOME/.cache/chf-tools}
CHAIN_MODULE_DIR=${CHAIN_MODULE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../chain" && pwd)}

wasmd_version() {
    awk '$1 == "require" && $2 == "github.com/CosmWasm/wasmd" { print $3 }' "$CHAIN_MODULE_DIR/go.mod"
}

# The directory the binary of this go.mod/go.sum lives in.
wasmd_dir() {
    local hash
    hash=$(cat "$CHAIN_MODULE_DIR/go.mod" "$CHAIN_MODULE_DIR/go.sum" | sha256sum | cut -c1-12)
    echo "$CHF_TOOLS_DIR/wasmd-$(wasmd_version)/$hash"
}

go_env() {
    export GOMODCACHE="$CHF_TOOLS_DIR/go/mod"
    export GOCACHE="$CHF_TOOLS_DIR/go/build"
    export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false"
    export CGO_ENABLED=1
}

# Sets WASMD to the cached binary (building it if needed) and exports
# LD_LIBRARY_PATH so it finds its libwasmvm beside it.
ensure_wasmd() {
    local dir
    dir=$(wasmd_dir)
    if [ ! -x "$dir/wasmd" ] || [ ! -f "$dir/libwasmvm.x86_64.so" ]; then
        build_wasmd "$dir"
    fi
    WASMD="$dir/wasmd"
    export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

build_wasmd() {
    local dir=$1 version tmp start lib
    version=$(wasmd_version)
    command -v go >/dev/null || { echo "localnet: Go is needed to build wasmd (go 1.24 or newer)" >&2; return 1; }
    mkdir -p "$CHF_TOOLS_DIR"
    # One build at a time per machine: a second caller waits, then finds the binary.
    exec {lockfd}>"$CHF_TOOLS_DIR/wasmd-build.lock"
    flock "$lockfd"
    if [ -x "$dir/wasmd" ] && [ -f "$dir/libwasmvm.x86_64.so" ]; then
        exec {lockfd}>&-
        return 0
    fi
    go_env
    start=$(date +%s)
    echo "localnet: building wasmd $version from the Go module proxy into $dir (about 6 min on 2 cores, once)..." >&2
    tmp="$dir.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    (
        cd "$CHAIN_MODULE_DIR"
        go build -trimpath -tags netgo -o "$tmp/wasmd" -ldflags "-checklinkname=0 \
            -X github.com/cosmos/cosmos-sdk/version.Name=wasm \
            -X github.com/cosmos/cosmos-sdk/version.AppName=wasmd \
            -X github.com/cosmos/cosmos-sdk/version.Version=$version \
            -X github.com/CosmWasm/wasmd/app.Bech32Prefix=wasm" \
            github.com/CosmWasm/wasmd/cmd/wasmd
    ) >"$tmp/build.log" 2>&1 || {
        cat "$tmp/build.log" >&2
        rm -rf "$tmp"
        echo "localnet: wasmd build failed" >&2
        exec {lockfd}>&-
        return 1
    }
    lib=$(cd "$CHAIN_MODULE_DIR" && go list -m -f '{{.Dir}}' github.com/CosmWasm/wasmvm/v3)/internal/api/libwasmvm.x86_64.so
    cp "$lib" "$tmp/libwasmvm.x86_64.so"
    chmod u+w "$tmp/libwasmvm.x86_64.so"
    rm -f "$tmp/build.log"
    rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$tmp" "$dir"
    echo "localnet: wasmd built in $(($(date +%s) - start)) s" >&2
    exec {lockfd}>&-
}
