#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Installs missing Debian packages and builds stallhound into build/.
# Usage: scripts/setup.sh   (as root on Debian 12; idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm fetches the Python grammar at configure time and the test tools below
# (Node.js packages that bundle npm provide it already).
command -v npm >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
}

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build --parallel "$(nproc)"

# Test tools from the npm registry (the SARIF validator), pinned in
# test/tools/package.json.
tools=build/test-tools
if [ ! -x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] ||
  ! cmp -s test/tools/package.json "$tools/package.json"; then
  mkdir -p "$tools"
  cp test/tools/package.json "$tools/package.json"
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
