#!/usr/bin/env bash
# Builds stallhound and the bundled examples, then shows what it finds in them.
# Usage: scripts/demo.sh   (as root on a fresh Debian 12 machine)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null

echo "== stallhound check: the asio coroutine server in examples/asio-server"
status=0
build/bin/stallhound check -p build/examples/asio-server || status=$?
# Exit 1 means findings (expected here); 2 means the analysis itself failed.
[ "$status" -le 1 ]
