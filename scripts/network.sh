#!/usr/bin/env bash
# network.sh - the main job: a whole local zg-serving network on this machine.
#
#   bash scripts/network.sh start   set up, start the network, run a customer, report
#   bash scripts/network.sh stop    stop every process it started
#   bash scripts/network.sh status  say what is running
#
# start: installs and builds what is missing (scripts/setup.sh), starts anvil,
# deploys the Serving contract with the Groth16 verifiers of a development
# setup (`zg chain deploy`), starts zg-model and zg-provider with a registered
# chat service, creates a funded customer account, sends chat requests (one
# streamed), has the provider settle them with a proof, and prints a report.
# The network keeps running. Everything lives in run/ (ZG_RUN_DIR).
#
# Environment (all optional):
#   ZG_RUN_DIR      where state, logs and pids go (default ./run)
#   ZG_BUILD_DIR    the build whose programs run (default ./build)
#   ZG_NO_SETUP=1   skip scripts/setup.sh (the build must exist)
#   ZG_PORT_ANVIL, ZG_PORT_MODEL, ZG_PORT_PROXY, ZG_PORT_ADMIN
#                   ports (default 8545, 8000, 3080, 3081)
#
# Keys: anvil's well-known development accounts (public knowledge, test only):
# #0 deploys, #1 is the provider, #2 the customer.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
run=${ZG_RUN_DIR:-$root/run}
build=${ZG_BUILD_DIR:-$root/build}
cmd=${1:-start}
p_anvil=${ZG_PORT_ANVIL:-8545}
p_model=${ZG_PORT_MODEL:-8000}
p_proxy=${ZG_PORT_PROXY:-3080}
p_admin=${ZG_PORT_ADMIN:-3081}

deployer_key=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
provider_key=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
provider_addr=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
customer_key=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a

say() { printf '[network] %s\n' "$*" >&2; }
die() { printf '[network] error: %s\n' "$*" >&2; exit 1; }

# jget FILE EXPR: prints a field of a JSON file (EXPR in JavaScript, over `j`).
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=('"$2"');process.stdout.write(v===undefined||v===null?"":String(v))' "$1"; }

alive() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

# wait_http URL SECONDS: until URL answers (any HTTP status).
wait_http() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -s -o /dev/null -m 1 "$1" && return 0
    sleep 0.1
  done
  return 1
}

stop_all() {
  local f pid
  for name in provider model anvil; do
    f=$run/$name.pid
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

start() {
  local t0 t1 t2
  t0=$(date +%s.%N)
  if [ "${ZG_NO_SETUP:-0}" != 1 ]; then
    bash scripts/setup.sh
  fi
  . scripts/env.sh
  export PATH="$build:$PATH"
  for p in zg zg-provider zg-model; do
    [ -x "$build/$p" ] || die "$build/$p is missing: the build failed (run bash scripts/setup.sh)"
  done
  t1=$(date +%s.%N)
  mkdir -p "$run"
  for name in anvil model provider; do
    alive "$name" && die "the network is already running (pid $(cat "$run/$name.pid") for $name); stop it with: bash scripts/network.sh stop"
  done
  rm -rf "$run/home" "$run/provider-home" "$run/provider.db"* "$run/report.json" "$run/chat"*.json
  mkdir -p "$run/home" "$run/provider-home"
  local rpc=http://127.0.0.1:$p_anvil

  say "starting anvil on $rpc"
  "$ZG_ANVIL" --port "$p_anvil" --silent >"$run/anvil.log" 2>&1 &
  echo $! >"$run/anvil.pid"
  wait_http "$rpc" 30 || die "anvil did not start (see $run/anvil.log)"

  say "deploying the Serving contract and verifiers (development Groth16 setup)"
  ZG_HOME=$run/provider-home ZG_PRIVATE_KEY=$deployer_key \
    zg chain deploy --rpc "$rpc" --out "$run/deployment.json" --keys "$run/keys" --sizes 4 \
      --lock-time 3600 --json >"$run/deploy.json" \
    || die "zg chain deploy failed"
  cp "$run/deployment.json" "$run/home/deployment.json"
  cp "$run/deployment.json" "$run/provider-home/deployment.json"
  local contract
  contract=$(jget "$run/deployment.json" 'j.serving')
  [ -n "$contract" ] || die "no Serving address in $run/deployment.json"

  say "starting zg-model on 127.0.0.1:$p_model"
  zg-model --port "$p_model" --max-tokens 40 >"$run/model.log" 2>&1 &
  echo $! >"$run/model.pid"
  wait_http "http://127.0.0.1:$p_model/health" 30 || die "zg-model did not start (see $run/model.log)"

  say "starting zg-provider (proxy 127.0.0.1:$p_proxy, admin 127.0.0.1:$p_admin)"
  cat >"$run/provider.json" <<EOF
{
  "listen": "127.0.0.1:$p_proxy",
  "admin_listen": "127.0.0.1:$p_admin",
  "database": "$run/provider.db",
  "chain": { "rpc_url": "$rpc", "contract": "$contract", "register_services": true },
  "services": [
    { "name": "chat", "type": "chat", "upstream": "http://127.0.0.1:$p_model",
      "url": "http://127.0.0.1:$p_proxy", "model": "zg-ngram-alice", "verifiability": "none",
      "input_price": "1000000000", "output_price": "2000000000",
      "additional_properties": "{\"unit\":\"byte\",\"maxTokens\":256,\"bytesPerToken\":16}" }
  ],
  "settlement": { "interval_s": 3600, "max_age_s": 86400, "proving_dir": "$run/keys",
                  "circuit_sizes": [4] }
}
EOF
  ZG_PROVIDER_KEY=$provider_key zg-provider --config "$run/provider.json" >"$run/provider.log" 2>&1 &
  echo $! >"$run/provider.pid"
  wait_http "http://127.0.0.1:$p_admin/health" 60 || die "zg-provider did not start (see $run/provider.log)"
  local i
  for i in $(seq 100); do
    zg services --rpc "$rpc" --contract "$contract" --provider "$provider_addr" --json >"$run/services.json" 2>/dev/null || true
    [ "$(jget "$run/services.json" '(j.services||[]).length')" = 1 ] && break
    sleep 0.2
  done
  [ "$(jget "$run/services.json" '(j.services||[]).length')" = 1 ] || die "the chat service did not appear in the contract (see $run/provider.log)"
  t2=$(date +%s.%N)

  # The customer: a keystore wallet in run/home, so that `zg` works afterwards
  # with just ZG_HOME=run/home.
  export ZG_HOME=$run/home ZG_RPC_URL=$rpc ZG_KEYSTORE_LIGHT=1 ZG_PASSWORD=
  local customer
  customer=$(ZG_PRIVATE_KEY=$customer_key zg wallet import --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).address))')
  say "customer $customer creates an account with provider $provider_addr (deposit 0.01 eth)"
  zg account create --provider "$provider_addr" --deposit 0.01eth --json >"$run/account-create.json" \
    || die "zg account create failed"
  zg account show --provider "$provider_addr" --json >"$run/account-before.json"

  local q1="Who is the Queen of Hearts?" q2="What did the Cat say to Alice?" q3="Tell me about the White Rabbit."
  say "chat 1 (plain): $q1"
  zg chat --provider "$provider_addr" --no-stream --max-tokens 24 --json "$q1" >"$run/chat1.json" || die "chat 1 failed"
  say "chat 2 (plain): $q2"
  zg chat --provider "$provider_addr" --no-stream --max-tokens 24 --json "$q2" >"$run/chat2.json" || die "chat 2 failed"
  say "chat 3 (streamed): $q3"
  printf '\n  > %s\n  ' "$q3"
  zg chat --provider "$provider_addr" --max-tokens 24 --report "$run/chat3.json" "$q3" 2>"$run/chat3.err" || die "chat 3 failed: $(cat "$run/chat3.err")"
  zg chat --provider "$provider_addr" --close --json >"$run/close.json" || die "closing request failed"
  echo

  say "settling: the provider proves the receipts and calls settleFees"
  zg provider settle --admin "http://127.0.0.1:$p_admin" --json >"$run/settle.json" || die "settlement failed (see $run/provider.log)"
  zg account show --provider "$provider_addr" --json >"$run/account-after.json"
  local t3
  t3=$(date +%s.%N)

  node "$root/scripts/report.js" "$run" "$t0" "$t1" "$t2" "$t3" "$rpc" || die "the figures do not add up (see $run/report.json)"
  cat <<EOF

The network is running:
  chain     $rpc (anvil, chain id 31337)
  contract  $contract
  provider  $provider_addr, proxy http://127.0.0.1:$p_proxy, admin http://127.0.0.1:$p_admin
  model     http://127.0.0.1:$p_model (zg-model)
  logs      $run/*.log

Use it with zg (the demo customer's wallet is in $run/home):
  . scripts/env.sh; export ZG_HOME=$run/home ZG_RPC_URL=$rpc
  zg services
  zg account show --provider $provider_addr
  zg chat --provider $provider_addr "Why is a raven like a writing-desk?"
  zg provider status --admin http://127.0.0.1:$p_admin
  zg provider settle --admin http://127.0.0.1:$p_admin

With curl (the model directly; requests to the proxy must be signed, see docs/protocol.md):
  curl -s http://127.0.0.1:$p_model/v1/chat/completions -H 'Content-Type: application/json' \\
    -d '{"messages":[{"role":"user","content":"Hello"}],"max_tokens":20}'
  curl -s http://127.0.0.1:$p_admin/admin/receipts
  curl -s -X POST http://127.0.0.1:$p_proxy/v1/proxy/chat/chat/completions -d '{}'   # refused: 400 missing_header

Stop it with: bash scripts/network.sh stop
EOF
}

case "$cmd" in
  start)
    trap 'status=$?; if [ $status -ne 0 ]; then echo "[network] start failed; stopping what it started" >&2; stop_all; fi' EXIT
    start
    trap - EXIT
    ;;
  stop)
    stop_all
    echo "stopped"
    ;;
  status)
    for name in anvil model provider; do
      if alive "$name"; then echo "$name: running (pid $(cat "$run/$name.pid"))"; else echo "$name: stopped"; fi
    done
    ;;
  *) echo "usage: bash scripts/network.sh start|stop|status" >&2; exit 2 ;;
esac
