#!/usr/bin/env bash
# Plays a scenario through the real contracts on an in-process chain
# (cw-multi-test) and reports what happened (SPEC section 6).
#
#   scripts/simulate.sh SCENARIO.json [--json] [--chart PATH | --no-chart] [--native | --cw20]
#
# Needs only cargo. Paths are taken relative to the caller's directory.
set -euo pipefail

# An absolute form of a path given relative to the caller's directory.
absolute() {
    if [[ -z $1 || $1 == /* ]]; then
        printf '%s' "$1"
    else
        realpath -ms -- "$1" 2>/dev/null || printf '%s/%s' "$PWD" "$1"
    fi
}

args=()
expect_path=false
for arg in "$@"; do
    if $expect_path; then
        expect_path=false
    elif [[ $arg == --chart=* ]]; then
        args+=("--chart=$(absolute "${arg#--chart=}")")
        continue
    elif [[ $arg == -* ]]; then
        [[ $arg == --chart ]] && expect_path=true
        args+=("$arg")
        continue
    fi
    # A path: the scenario, or the chart after --chart.
    args+=("$(absolute "$arg")")
done

cd "$(dirname "$0")/.."
exec cargo run --quiet --locked -p clearing-sim -- ${args[@]+"${args[@]}"}
