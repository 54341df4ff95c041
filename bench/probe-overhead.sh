#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Measures what the runtime probe adds to each event-loop wait: a loop calling
# epoll_wait (timeout 0, an fd always ready) runs alternately without and with
# libstallhound-probe.so preloaded, pinned to one CPU; prints the median ns
# per wait of each and the difference.
# Usage: bench/probe-overhead.sh [BUILD_DIR] [WAITS] [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
waits=${2:-2000000}
pairs=${3:-5}
probe="$(cd "$build" 2>/dev/null && pwd)/lib/libstallhound-probe.so"
[ -f "$probe" ] || { echo "probe-overhead: failed to find $probe: build first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/loop" bench/probe-overhead.c
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

without=()
with=()
for ((i = 0; i < pairs; i++)); do
  without+=("$("${pin[@]}" "$work/loop" "$waits")")
  with+=("$(LD_PRELOAD="$probe" STALLHOUND_OUTPUT="$work/r-%p.json" \
    "${pin[@]}" "$work/loop" "$waits")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
m0=$(median "${without[@]}")
m1=$(median "${with[@]}")
# Check the probe really ran: it writes a report for the loop.
ls "$work"/r-*.json >/dev/null 2>&1 || { echo "probe-overhead: failed to see a probe report" >&2; exit 1; }
echo "epoll_wait(timeout 0), $waits waits x $pairs runs, median ns per wait:"
printf '  without probe  %8.1f   (runs: %s)\n' "$m0" "${without[*]}"
printf '  with probe     %8.1f   (runs: %s)\n' "$m1" "${with[*]}"
awk -v a="$m0" -v b="$m1" 'BEGIN {printf "  probe adds     %8.1f ns per wait\n", b - a}'
