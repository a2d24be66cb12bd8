#!/usr/bin/env bash
# Queue benchmark: N no-op jobs through W worker processes against a private redis-server.
#   bench/queue.sh                       (defaults: 20000 jobs, 4 workers × 16 concurrent)
#   BENCH_JOBS=50000 BENCH_WORKERS=2 bench/queue.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ozh-queue-probe >/dev/null
swift build -c release --product QueueBench >/dev/null
bin=$(swift build -c release --show-bin-path)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
REDIS_URL="redis://127.0.0.1:$port/0" PROBE_BIN="$bin/ozh-queue-probe" "$bin/QueueBench"
