# Sourced by the benchmarks that run the stack themselves (bench/http.sh, bench/eta.sh): free
# ports, waiting for a port, a work directory and the processes started, all stopped on exit,
# and a private redis-server plus an in-memory SecantusDB.
#   start_redis_and_mongo SECANTUS_BIN   sets redis_port, mongo_port, redis_pid and mongo_pid
#   cpu_ticks PID...                     user + system clock ticks of each (for a CPU share)
#   with_worker_env PREFIX METRICS_PORT COMMAND... &
#                                        runs COMMAND (a worker, or a profiler running one) in an empty
#                                        environment but for what a worker needs against those servers
#                                        (bench keys only); in the background only: it execs, so $! is
#                                        COMMAND's pid
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { until python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$1)))" 2>/dev/null; do sleep 0.1; done; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_redis_and_mongo() {
  redis_port=$(free_port); mongo_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
  redis_pid=$!
  pids+=($redis_pid)
  "$1" --port "$mongo_port" --storage-path :memory: --log-level ERROR >"$work/mongo.log" 2>&1 &
  mongo_pid=$!
  pids+=($mongo_pid)
  wait_port "$redis_port"; wait_port "$mongo_port"
}

with_worker_env() {
  local prefix=$1 metrics_port=$2
  shift 2
  exec env -i PATH="$PATH" HOME="$HOME" MONGO_URI="mongodb://127.0.0.1:$mongo_port" REDIS_URL="redis://127.0.0.1:$redis_port/0" \
    REDIS_PREFIX="$prefix" GEMINI_API_KEYS_STR="bench:AIzaBenchKeyNotReal0000000000000000" \
    YOOKASSA_SHOP_ID=123456 YOOKASSA_SECRET_KEY=test_benchKeyNotReal TELEGRAM_BOT_USERNAME=bench_bot \
    METRICS_PORT="$metrics_port" LOG_LEVEL=warning "$@"
}

cpu_ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0; done; }
