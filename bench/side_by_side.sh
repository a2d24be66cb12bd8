#!/usr/bin/env bash
# Side by side, in one run on this machine: the FastAPI + motor replica of the original service
# (../shared/peers/fastapi_seed) and this project's release gateway, each on its own Redis and
# SecantusDB (on disk, as the replica's bench uses), driven by the replica's own wrk script
# (random ids over N_USERS seeded users), one after the other; then Celery prefork -c2 and this
# project's queue on no-op jobs. Prints each figure, the CPU of each process (% of one core;
# the box has `nproc` cores and wrk uses the rest) and the ratio.
#   bench/side_by_side.sh                       (DURATION=10 CONNS=64 THREADS=2 N_USERS=1000 JOBS=20000)
#   SKIP_QUEUES=1 bench/side_by_side.sh         (HTTP only; QUEUE_WORKERS=2 QUEUE_CONCURRENCY=64 for the queue)
# Needs ../shared/peers/setup.sh once (wrk, the peers' virtualenv in $PEERS_VENV) and
# deploy/local.sh test once (SecantusDB in .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
export PEERS_VENV=${PEERS_VENV:-/tmp/ozh-peers-venv}
DURATION=${DURATION:-10}; CONNS=${CONNS:-64}; THREADS=${THREADS:-2}; WARMUP=${WARMUP:-3}
export N_USERS=${N_USERS:-1000} BASE=100000000
JOBS=${JOBS:-20000}
[ -x "$PEERS_VENV/bin/python" ] || { echo "run $PEERS/setup.sh first" >&2; exit 1; }
[ -x "$ROOT/.venv/bin/secantusd-py" ] || { echo "run deploy/local.sh test once first (SecantusDB in .venv)" >&2; exit 1; }
# BUILD_FLAGS: e.g. "--static-swift-stdlib --scratch-path .build-static", as the container image links it.
swift build -c release ${BUILD_FLAGS:-} --product ozh-gateway >/dev/null
rel=$(swift build -c release ${BUILD_FLAGS:-} --show-bin-path)
HZ=$(getconf CLK_TCK)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port [pid whose death ends the wait]
  until python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$1)))" 2>/dev/null; do
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then echo "process $2 died; its log:" >&2; cat "$work"/*.log >&2; exit 1; fi
    sleep 0.1
  done
}
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12+$13}'; }

echo "date: $(date -Is)  cpus: $(nproc)  $(uname -r)"
echo "== 1. the replica (uvicorn, 2 workers), wrk -t$THREADS -c$CONNS -d${DURATION}s"
peers_out="$work/peers"
RESULTS_DIR="$peers_out" WORKERS=2 MODES="get_user touch_user get_job" DURATION=$DURATION CONNS=$CONNS THREADS=$THREADS \
  WARMUP=$WARMUP "$PEERS/fastapi_seed/bench.sh" >"$work/peers.log" 2>&1 || { cat "$work/peers.log"; exit 1; }
grep -E '^(workers|2 )' "$peers_out/summary.txt"
peer() { awk -v ep="$1" '$1 == 2 && ($2 " " $3) == ep {print $4}' "$peers_out/summary.txt"; }

echo "== 2. this project (release ozh-gateway), same wrk script"
redis_port=$(free_port); mongo_port=$(free_port); port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
redis_pid=$!; pids+=($redis_pid)
(cd "$work" && exec "$ROOT/.venv/bin/secantusd-py" --host 127.0.0.1 --port "$mongo_port" --storage-path "$work/sdb" --log-level ERROR) \
  >"$work/mongo.log" 2>&1 &
mongo_pid=$!; pids+=($mongo_pid)
wait_port "$redis_port"; wait_port "$mongo_port"
export API_KEY=bench-key-0123456789abcdef REDIS_URL="redis://127.0.0.1:$redis_port/0" MONGO_URI="mongodb://127.0.0.1:$mongo_port"
export MONGO_DB_NAME=bench LOG_LEVEL=warning HOST=127.0.0.1 PORT=$port GEMINI_PROJECTS=bench MAX_ACTIVE_GENERATIONS=5
"$rel/ozh-gateway" >"$work/gateway.log" 2>&1 &
gateway_pid=$!; pids+=($gateway_pid)
wait_port "$port" "$gateway_pid"
base="http://127.0.0.1:$port"
# N_USERS users (ids BASE+1..BASE+N, as the replica's seed) and one queued generation each.
export JOBS_FILE="$work/jobs.txt"
"$PEERS_VENV/bin/python" - "$base" <<'PY'
import http.client, json, os, sys, threading, uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse
u = urlparse(sys.argv[1]); n = int(os.environ["N_USERS"]); base = int(os.environ["BASE"])
image = open(os.path.join(os.getcwd(), "deploy/sample/drawing.png"), "rb").read()
local = threading.local()
def conn():
    if not hasattr(local, "c"): local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    return local.c
def seed(i):
    cid = base + i
    c = conn()
    c.request("POST", "/users", json.dumps({"chat_id": cid, "username": f"user{cid}", "advertising_source": "bench"}),
              {"api-key": os.environ["API_KEY"], "Content-Type": "application/json"})
    r = c.getresponse(); r.read(); assert r.status in (201, 409), r.status
    b = uuid.uuid4().hex
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n{cid}\r\n--{b}\r\n"
            f"Content-Disposition: form-data; name=\"image\"; filename=\"d.png\"\r\nContent-Type: image/png\r\n\r\n").encode() \
        + image + f"\r\n--{b}--\r\n".encode()
    while True:  # 503 busy_retry over MAX_CONCURRENT_UPLOADS: retry, as a client should
        c.request("POST", "/generate", body, {"api-key": os.environ["API_KEY"], "Content-Type": f"multipart/form-data; boundary={b}"})
        r = c.getresponse(); data = r.read()
        if r.status != 503: break
    assert r.status == 202, (r.status, data)
    return json.loads(data)["job_id"]
with ThreadPoolExecutor(8) as pool:
    ids = list(pool.map(seed, range(1, n + 1)))
open(os.environ["JOBS_FILE"], "w").write("\n".join(ids) + "\n")
PY
FMT='%-22s %9s %8s %8s %7s %9s %6s %6s   %s\n'
printf "$FMT" endpoint req/s p50_ms p99_ms non2xx gateway% sdb% redis% "ratio to the replica"
ours() { # label wrk-mode peer-endpoint [TOUCH_SUFFIX]
  local label=$1 mode=$2 against=$3
  WRK_MODE=$mode TOUCH_SUFFIX= wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$PEERS/fastapi_seed/bench.lua" "$base" >/dev/null
  local c0=($(ticks $gateway_pid) $(ticks $mongo_pid) $(ticks $redis_pid)) t0 t1 out
  t0=$(date +%s.%N)
  out=$(WRK_MODE=$mode TOUCH_SUFFIX= wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$PEERS/fastapi_seed/bench.lua" "$base")
  t1=$(date +%s.%N)
  local c1=($(ticks $gateway_pid) $(ticks $mongo_pid) $(ticks $redis_pid))
  pct() { awk -v d="$(( c1[$1] - c0[$1] ))" -v hz="$HZ" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", 100*d/hz/(b-a)}'; }
  local r; r=$(grep '^RESULT' <<<"$out")
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$r"; }
  local ratio
  ratio=$(awk -v a="$(get rps)" -v b="$(peer "$against")" 'BEGIN{ if (b > 0) printf "%.2fx the replica'"'"'s %s (%s req/s)", a/b, "'"$against"'", b}')
  printf "$FMT" "$label" "$(get rps)" "$(get p50_ms)" "$(get p99_ms)" "$(get non2xx)" "$(pct 0)" "$(pct 1)" "$(pct 2)" "$ratio"
}
# Every user read once first: the first read of a user in an ACTIVITY_RESOLUTION_S (60 s)
# writes last_activity_time (one update; SecantusDB's are slow) and renews the user's cached
# copy; the runs below are then the steady state the resolution promises (no writes).
"$PEERS_VENV/bin/python" - "$base" <<'PY'
import http.client, os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse
u = urlparse(sys.argv[1]); n = int(os.environ["N_USERS"]); base = int(os.environ["BASE"]); local = threading.local()
def read(i):
    if not hasattr(local, "c"): local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    local.c.request("GET", f"/users/{base + i}", headers={"api-key": os.environ["API_KEY"]})
    r = local.c.getresponse(); r.read(); assert r.status == 200, r.status
t = time.time()
with ThreadPoolExecutor(16) as pool: list(pool.map(read, range(1, n + 1)))
took = time.time() - t
print(f"first read of each user this minute (one activity update each): {n} users in {took:.1f} s, {n / took:.0f} req/s")
PY
ours "GET /users/{id}" touch_user "GET /users/{id}"
ours "GET /users/{id} (vs touch)" touch_user "GET /users/touch"
ours "GET /jobs/{id} (queued)" get_job "GET /jobs/{id}"
echo "gateway RSS after the runs: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$gateway_pid/status)"

[ -n "${SKIP_QUEUES:-}" ] && exit 0
echo "== 3. no-op jobs: Celery prefork -c2 and RQ, then this project's queue, 2 worker processes × 64 as Celery's 2 (bench/queue.sh)"
"$PEERS_VENV/bin/python" "$PEERS/queues/bench_queues.py" --jobs "$JOBS" --cap 120 --only celery-prefork-2,rq-simple-2 2>&1 | tail -6
BENCH_JOBS=$JOBS BENCH_WORKERS=${QUEUE_WORKERS:-2} BENCH_CONCURRENCY=${QUEUE_CONCURRENCY:-64} "$ROOT/bench/queue.sh" 2>&1 | tail -8
