# Helpers for packages/client (TypeScript). Sourced, not run.

# The TypeScript package's dependencies (packages/client), installed with
# `npm ci` from its package-lock.json when the lock changed since the last install.
ensure_client_deps() {
    local dir=packages/client stamp hash
    command -v npm >/dev/null || { echo "Node.js 20 and npm are needed for packages/client" >&2; return 1; }
    stamp="$dir/node_modules/.chf-lock.sha256"
    hash=$(sha256sum "$dir/package-lock.json" | cut -c1-64)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
        echo "installing packages/client's npm dependencies (npm ci)..." >&2
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
        echo "$hash" >"$stamp"
    fi
}
