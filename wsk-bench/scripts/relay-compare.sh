#!/usr/bin/env bash
# Cross-node relay through one Redis, wsk against the official Node server, in one run:
# two nodes of each (wsk: --app bench --adapter redis; Node: socket.io 4.8 + @socket.io/redis-adapter 8.3
# with the same bench handlers, interop/redis/node-server.mjs), a redis-server of its own on a free
# loopback port, and wsk-bench's relay scenario at each rate of a ladder.
#   wsk-bench/scripts/relay-compare.sh [rates...]   (default: 2000 5000 10000 20000)
# Everything runs on this machine, unpinned (the whole-box comparison); loopback only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rates=("${@:-2000 5000 10000 20000}")
read -r -a rates <<< "${rates[*]}"
seconds="${RELAY_SECONDS:-8}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

(cd "$root" && mvn -B -q -DskipTests -pl wsk-app,wsk-bench -am package) >&2
(cd "$root/interop" && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
bench=(java -jar "$root/wsk-bench/target/wsk-bench.jar")

redis_port=$(free_port); redis_dir=$(mktemp -d)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$redis_dir" --daemonize yes \
  --logfile "$redis_dir/redis.log" --pidfile "$redis_dir/redis.pid"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

run_pair() { # $1 = label, then the two ports
  local label=$1 a=$2 b=$3
  # One long warm-up per server pair (the JIT needs tens of seconds), not measured.
  "${bench[@]}" relay --publish-url "ws://127.0.0.1:$a/socket.io/?EIO=4&transport=websocket" \
    --receive-url "ws://127.0.0.1:$b/socket.io/?EIO=4&transport=websocket" --rate 5000 \
    --seconds "${RELAY_WARMUP:-30}" --warmup 0 > /dev/null
  for rate in "${rates[@]}"; do
    line=$("${bench[@]}" relay --publish-url "ws://127.0.0.1:$a/socket.io/?EIO=4&transport=websocket" \
      --receive-url "ws://127.0.0.1:$b/socket.io/?EIO=4&transport=websocket" --rate "$rate" --seconds "$seconds" \
      --warmup 3 | grep '^RESULT' || echo "RESULT rate=$rate failed")
    echo "$label $line"
  done
}

# wsk pair
a=$(free_port); b=$(free_port)
for p in $a $b; do
  WSK_SKIP_BUILD=1 "$root/wsk" serve --app bench --adapter redis --redis-url "redis://127.0.0.1:$redis_port" --port "$p" \
    > "$redis_dir/wsk-$p.log" 2>&1 & pids+=($!)
done
wait_port "$a"; wait_port "$b"; sleep 1
run_pair wsk "$a" "$b"
for p in "${pids[@]}"; do kill "$p"; done; pids=()

# Node pair
a=$(free_port); b=$(free_port)
for p in $a $b; do
  node "$root/interop/redis/node-server.mjs" "$p" "redis://127.0.0.1:$redis_port" > "$redis_dir/node-$p.log" 2>&1 < <(sleep 86400) & pids+=($!)  # it exits when its stdin ends
done
wait_port "$a"; wait_port "$b"; sleep 1
run_pair node "$a" "$b"
