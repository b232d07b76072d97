#!/usr/bin/env bash
# test.sh - every test of zg-serving, on a fresh Debian 12 machine or an old one.
# Installs what is missing, builds the Release and the ASan+UBSan configurations,
# and runs the whole CTest suite in each (C unit tests, cross-checks against
# cast, circomlibjs and snarkjs, forge tests, anvil integration tests).
# Exits non-zero when any test fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
ZG_ASAN=1 bash scripts/setup.sh
jobs=$(nproc)
echo "== Release build: all tests"
ctest --test-dir build --output-on-failure -j"$jobs"
echo "== ASan+UBSan build: all C tests (forge tests run once, above)"
ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE 'contracts|nosan'
