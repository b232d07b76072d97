#!/usr/bin/env bash
# network.sh - the main job: a whole local zg-serving network on this machine.
#   bash scripts/network.sh start   set up, start the network, run a customer, report
#   bash scripts/network.sh stop    stop every process it started
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
run=$root/run
cmd=${1:-start}
case "$cmd" in
  start)
    bash scripts/setup.sh
    . scripts/env.sh
    mkdir -p "$run"
    if [ -f "$run/anvil.pid" ] && kill -0 "$(cat "$run/anvil.pid")" 2>/dev/null; then
      echo "anvil is already running (pid $(cat "$run/anvil.pid")); stop it with: bash scripts/network.sh stop" >&2
      exit 1
    fi
    "$ZG_ANVIL" --port 8545 --silent >"$run/anvil.log" 2>&1 &
    echo $! >"$run/anvil.pid"
    echo "anvil: http://127.0.0.1:8545 (pid $(cat "$run/anvil.pid"))"
    ;;
  stop)
    for f in "$run"/*.pid; do
      [ -f "$f" ] || continue
      kill "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    done
    echo "stopped"
    ;;
  *) echo "usage: bash scripts/network.sh start|stop" >&2; exit 2 ;;
esac
