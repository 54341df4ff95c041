#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Builds stallhound and runs the whole test suite (lit + FileCheck via ctest).
# Usage: scripts/test.sh   (as root on a fresh Debian 12 machine)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The soak tests (label soak) take minutes: run them with ctest -L soak.
ctest --test-dir build --output-on-failure -LE soak "$@"
