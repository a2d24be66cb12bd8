#!/usr/bin/env bash
# Quota utilisation: K projects at RPM r against ozh-sandbox with zero latency.
#   bench/quota.sh    (env BENCH_PROJECTS=3 BENCH_RPM=10 BENCH_WINDOW_MS=5000 BENCH_WINDOWS=6 BENCH_CALLERS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ozh-sandbox >/dev/null
swift build -c release --product QuotaBench >/dev/null
bin=$(swift build -c release --show-bin-path)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); sandbox_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
pids=($!)
SANDBOX_PORT=$sandbox_port SANDBOX_GEMINI_RPM=${BENCH_RPM:-10} SANDBOX_GEMINI_RPD=1000000 \
  SANDBOX_GEMINI_WINDOW_MS=${BENCH_WINDOW_MS:-5000} SANDBOX_LOG_LEVEL=warning "$bin/ozh-sandbox" >/dev/null 2>&1 &
pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
until curl -fs "http://127.0.0.1:$sandbox_port/_sandbox/health" >/dev/null; do sleep 0.1; done
REDIS_URL="redis://127.0.0.1:$redis_port/0" SANDBOX_URL="http://127.0.0.1:$sandbox_port" "$bin/QuotaBench"
