# env.sh - source me: puts zg's programs and the pinned npm tools on PATH.
#   . scripts/env.sh
ZG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ZG_ROOT
export ZG_ANVIL="$ZG_ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
export ZG_CAST="$ZG_ROOT/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
export ZG_FORGE="$ZG_ROOT/node_modules/@foundry-rs/forge-linux-amd64/bin/forge"
export NODE_PATH="$ZG_ROOT/node_modules"
export PATH="$ZG_ROOT/build:$(dirname "$ZG_ANVIL"):$(dirname "$ZG_CAST"):$(dirname "$ZG_FORGE"):$ZG_ROOT/node_modules/.bin:$PATH"
