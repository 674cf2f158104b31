# Installs the tools the scripts need, once per machine. Sourced, not run.

TOOLS_DIR=${CHF_TOOLS_DIR:-$HOME/.cache/chf-tools}
COSMWASM_CHECK="$TOOLS_DIR/bin/cosmwasm-check"

apt_install() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq "$@" >/dev/null
}

# Debian's Rust (with its own library source, for -Zbuild-std), wasm-ld, binaryen.
ensure_wasm_toolchain() {
    if [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -x /usr/bin/wasm-ld-19 ] \
        && command -v wasm-opt >/dev/null && [ -d /usr/lib/rustlib/src/rust/library ]; then
        return
    fi
    echo "installing Debian's Rust, lld-19 and binaryen for the wasm build..." >&2
    apt_install rustc-web cargo-web rust-web-src lld-19 binaryen
}

# cosmwasm-check 3.0.x, built with Debian's cargo (it needs rustc 1.96).
ensure_cosmwasm_check() {
    if [ -x "$COSMWASM_CHECK" ]; then
        return
    fi
    ensure_wasm_toolchain
    echo "installing cosmwasm-check 3.0 into $TOOLS_DIR (a few minutes)..." >&2
    RUSTC=/usr/bin/rustc /usr/bin/cargo install --quiet --locked \
        cosmwasm-check --version '~3.0' --root "$TOOLS_DIR" >&2
}

# Debian's chromium, for the loss reporting page's test in a real headless
# browser (playwright-core drives it; no browser is downloaded).
ensure_chromium() {
    if [ -x "${CHF_CHROMIUM:-/usr/bin/chromium}" ]; then
        return
    fi
    echo "installing Debian's chromium for the loss reporting page's browser test..." >&2
    apt_install chromium
}
