# Sourced by the benchmarks that run the stack themselves (bench/http.sh, bench/eta.sh): free
# ports, waiting for a port, a work directory and the processes started, all stopped on exit,
# and a private redis-server plus an in-memory SecantusDB.
#   start_redis_and_mongo SECANTUS_BIN   sets redis_port, mongo_port, redis_pid and mongo_pid
#   cpu_ticks PID...                     user + system clock ticks of each (for a CPU share)
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

cpu_ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0; done; }
