#!/usr/bin/env bash
# The cw20-base contract (crates.io, version and dependencies pinned by
# chain/cw20-base/Cargo.lock) as an optimized wasm in artifacts/cw20_base.wasm,
# for the cw20 deployment of the end-to-end story. Same recipe as
# scripts/build.sh (Debian's Rust, wasm-ld, wasm-opt, cosmwasm-check).
# Built once per lock file and cached under ~/.cache/chf-tools/cw20-base/;
# never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/tools.sh

src=chain/cw20-base
hash=$(cat "$src/Cargo.toml" "$src/Cargo.lock" "$src/lib.rs" | sha256sum | cut -c1-12)
cache="$TOOLS_DIR/cw20-base/$hash"
out=${CHF_ARTIFACTS:-artifacts}/cw20_base.wasm

if [ ! -f "$cache/cw20_base.wasm" ]; then
    ensure_wasm_toolchain
    ensure_cosmwasm_check
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    echo "build-cw20.sh: building cw20-base from crates.io (once, cached in $cache)..." >&2
    if ! RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
        CARGO_TARGET_DIR="$TOOLS_DIR/cw20-base/target" \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/bin/wasm-ld-19 \
        CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
        RUSTFLAGS="-C target-cpu=mvp -C link-arg=--allow-undefined -Zunstable-options -Cpanic=immediate-abort" \
        /usr/bin/cargo build --quiet --release --locked --manifest-path "$src/Cargo.toml" \
            --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort >"$log" 2>&1; then
        cat "$log" >&2
        echo "build-cw20.sh: wasm build failed" >&2
        exit 1
    fi
    mkdir -p "$cache.tmp"
    wasm-opt -Oz --strip-debug --strip-producers \
        "$TOOLS_DIR/cw20-base/target/wasm32-unknown-unknown/release/cw20_base_artifact.wasm" \
        -o "$cache.tmp/cw20_base.wasm"
    if ! "$COSMWASM_CHECK" "$cache.tmp/cw20_base.wasm" >"$log" 2>&1; then
        cat "$log" >&2
        echo "build-cw20.sh: cosmwasm-check rejected cw20_base.wasm" >&2
        exit 1
    fi
    rm -rf "$cache" && mv "$cache.tmp" "$cache"
fi
mkdir -p "$(dirname "$out")"
cp "$cache/cw20_base.wasm" "$out"
printf 'build-cw20.sh: %-22s %7d bytes  (cw20-base 2.0.0, cached %s)\n' "$(basename "$out")" "$(stat -c %s "$out")" "$hash"
