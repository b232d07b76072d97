#!/usr/bin/env bash
# setup.sh - makes a Debian 12 machine ready to build and run zg-serving, then
# builds it. Safe to run again: it installs only what is missing.
#
#   bash scripts/setup.sh            # packages, npm tools, Release build in build/
#   ZG_ASAN=1 bash scripts/setup.sh  # also the ASan+UBSan build in build-asan/
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '[setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# System packages: compilers, the C libraries of DESIGN.md, Node.js for the
# pinned npm tools (anvil, forge, cast, solc-js, circomlibjs, snarkjs, ethers).
apt_packages=(build-essential cmake pkg-config git curl ca-certificates sqlite3
  libevent-dev libcurl4-openssl-dev libjansson-dev nettle-dev libsecp256k1-dev
  libssl-dev libsqlite3-dev libgmp-dev)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm tools, pinned by package-lock.json, into ./node_modules (never global).
# npm here runs no install scripts, so the foundry binaries are used straight
# from their platform packages (see scripts/env.sh).
stamp=node_modules/.zg-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "installing pinned npm tools into node_modules/"
  # Not `npm ci`: the foundry packages list optional builds for other
  # platforms that were never published at 1.7.1, so no lock file can be "in
  # sync" for npm ci. `npm install` installs exactly the locked versions.
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

build() { # build DIR [cmake args...]; on failure shows the end of the build log
  local dir=$1; shift
  mkdir -p "$dir"
  if ! { cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" &&
         cmake --build "$dir" -j"$(nproc)" -- --no-print-directory; } >"$dir/build.log" 2>&1; then
    grep -E 'error|Error' "$dir/build.log" | head -40 >&2 || true
    tail -20 "$dir/build.log" >&2
    say "the build in $dir failed; the whole log is $dir/build.log"
    exit 1
  fi
}
say "building build/ (Release)"
build build
if [ "${ZG_ASAN:-0}" = 1 ]; then
  say "building build-asan/ (RelWithDebInfo, ASan+UBSan)"
  build build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZG_SANITIZE=ON
fi
say "ready"
