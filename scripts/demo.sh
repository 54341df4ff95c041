#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Builds stallhound and the bundled examples, then shows what it finds in them:
# statically (stallhound check), at run time (stallhound run), and both in one
# view (stallhound report).
# Usage: scripts/demo.sh   (as root on a fresh Debian 12 machine)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null

example=build/examples/asio-server
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== stallhound check: the asio coroutine server in examples/asio-server"
status=0
build/bin/stallhound check -p "$example" -j"$(nproc)" --cache "$work/cache" || status=$?
# Exit 1 means findings (expected here); 2 means the analysis itself failed.
[ "$status" -le 1 ]
# The same findings as JSON for the report at the end (from the cache).
build/bin/stallhound check -p "$example" --cache "$work/cache" --format json \
  -o "$work/static.json" 2>/dev/null || [ $? -le 1 ]

echo
echo "== stallhound run: the same server under the probe, sent NAP 300 and SUM 1000000000"
build/bin/stallhound run --output "$work/stallhound-%p.json" -- \
  "$example/asio-server" --port 0 --max-connections 1 > "$work/server.out" &
server=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  sleep 0.1
done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/server.out")
[ -n "$port" ] || { echo "demo: the server did not start" >&2; kill "$server"; exit 1; }
timeout 30 "$example/asio-server" --client "$port" "PING" "NAP 300" "SUM 1000000000" "QUIT" >/dev/null
wait "$server"

echo
echo "== stallhound report: the static findings the probe saw happen, worst first"
build/bin/stallhound report "$work/static.json" "$work"/stallhound-*.json

echo
echo "== stallhound check: the FastAPI example (examples/fastapi-app), its Python and its C extension"
status=0
build/bin/stallhound check examples/fastapi-app -p build/examples/fastapi-app || status=$?
[ "$status" -le 1 ]

echo
echo "== stallhound run: the FastAPI example served by uvicorn, one request per scenario"
/usr/bin/python3 examples/fastapi-app/drive.py \
  --extension-dir build/examples/fastapi-app -- \
  build/bin/stallhound run --output "$work/fastapi-%p.json" -- 2>&1 |
  grep -v '^INFO:'

echo
echo "== stallhound report: the FastAPI run and its C extension in one view"
build/bin/stallhound check examples/fastapi-app -p build/examples/fastapi-app \
  --format json -o "$work/static-fastapi.json" 2>/dev/null || [ $? -le 1 ]
build/bin/stallhound report "$work/static-fastapi.json" "$work"/fastapi-*.json
