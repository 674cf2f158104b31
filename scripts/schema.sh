#!/usr/bin/env bash
# Regenerates schema/<contract>/ from each contract's bin/schema.rs.
# With --check, regenerates into a scratch dir and fails on any difference
# from what is committed. Quiet on success.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
root=$PWD
for c in margin-vault default-fund governance; do
    mkdir -p "$scratch/$c"
    (cd "$scratch/$c" && cargo run --quiet --locked --manifest-path "$root/Cargo.toml" \
        -p "$c" --bin "$c-schema" >/dev/null)
    if $check; then
        if ! diff -r "$scratch/$c/schema" "schema/$c" >"$scratch/diff" 2>&1; then
            cat "$scratch/diff" >&2
            echo "schema.sh: schema/$c is stale: run scripts/schema.sh and commit" >&2
            exit 1
        fi
    else
        rm -rf "schema/$c"
        mkdir -p schema
        cp -r "$scratch/$c/schema" "schema/$c"
    fi
done
