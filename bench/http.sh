#!/usr/bin/env bash
# HTTP load on the gateway with wrk: GET /users/{id}, GET /jobs/{id} (queued, and a succeeded
# generation with its images), POST /generate with a small drawing, and long-poll waiters.
# Starts a private redis-server, SecantusDB, a release ozh-gateway (and, for the succeeded
# job, ozh-sandbox and one generation worker), runs wrk, prints one line per scenario.
#   bench/http.sh                      (defaults below; every BENCH_* can be overridden)
#   BENCH_DURATION=20 BENCH_CONNECTIONS=128 BENCH_WAITERS=1000 bench/http.sh
#   BENCH_SCENARIOS="jobs waiters" bench/http.sh     (any of: users jobs done etag generate waiters)
#   GATEWAY_BIN=/tmp/old/.build/release/ozh-gateway bench/http.sh   (another build's gateway, for an A/B)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WAITERS=${BENCH_WAITERS:-600}
WAIT_SECONDS=${BENCH_WAIT_SECONDS:-5}
GENERATE_USERS=${BENCH_GENERATE_USERS:-400}
SCENARIOS=${BENCH_SCENARIOS:-users jobs done generate waiters}
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
export BENCH_API_KEY=bench-api-key-0123456789abcdef BENCH_DIR="$ROOT/bench/http"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$ROOT/.venv/bin/secantusd-py" ] || { echo "run deploy/local.sh test once first (it installs SecantusDB into .venv)" >&2; exit 1; }
# BUILD_FLAGS: e.g. "--static-swift-stdlib --scratch-path .build-static", as the container image links it.
[ -n "${GATEWAY_BIN:-}" ] || swift build -c release ${BUILD_FLAGS:-} --product ozh-gateway >/dev/null
# The debug builds with deploy/local.sh's flags, so neither recompiles the other's.
swift build --explicit-target-dependency-import-check error --product ozh-generation-worker >/dev/null
swift build --explicit-target-dependency-import-check error --product ozh-sandbox >/dev/null
rel=$(swift build -c release ${BUILD_FLAGS:-} --show-bin-path)
dbg=$(swift build --explicit-target-dependency-import-check error --show-bin-path)
. "$ROOT/bench/servers.sh"
start_redis_and_mongo "$ROOT/.venv/bin/secantusd-py"
port=$(free_port); sandbox_port=$(free_port)
export REDIS_URL="redis://127.0.0.1:$redis_port/0" MONGO_URI="mongodb://127.0.0.1:$mongo_port" MONGO_DB_NAME=bench
export API_KEY=$BENCH_API_KEY LOG_LEVEL=warning HOST=127.0.0.1 PORT=$port MAX_ACTIVE_GENERATIONS=100
# No metrics ports: the gateway and the worker would both take the default 9091.
export METRICS_PORT=0
# Uploads at once (default 4 in production, where a 10 MiB drawing each is the memory bound):
# with 64 connections of 2.8 KB drawings, 4 would answer most with 503 busy_retry.
export MAX_CONCURRENT_UPLOADS=${BENCH_UPLOADS:-64}
# Long-polls held at once from one address (default 20 per client): every waiter here comes
# from 127.0.0.1, so over 20 the rest would be answered at once instead of held.
export MAX_LONG_POLLS_PER_CLIENT=$((WAITERS + 64))
export GEMINI_API_KEYS_STR="bench-a:sandbox-key-a,bench-b:sandbox-key-b" GEMINI_BASE_URL="http://127.0.0.1:$sandbox_port"
export GEMINI_RPM=1000 GEMINI_RPD=100000 MAIN_IMAGES=2
export SANDBOX_PORT=$sandbox_port SANDBOX_GEMINI_KEYS=$GEMINI_API_KEYS_STR SANDBOX_GEMINI_RPM=1000 SANDBOX_GEMINI_RPD=100000
"${GATEWAY_BIN:-$rel/ozh-gateway}" >"$work/gateway.log" 2>&1 &
gateway_pid=$!
pids+=($gateway_pid)
"$dbg/ozh-sandbox" >"$work/sandbox.log" 2>&1 &
pids+=($!)
wait_port "$port"; wait_port "$sandbox_port"
base="http://127.0.0.1:$port"
api() { curl -fsS -H "api-key: $BENCH_API_KEY" "$@"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$gateway_pid/status"; }
hwm_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$gateway_pid/status"; }

# Users: one for the GET, GENERATE_USERS with a large balance for POST /generate.
api -X POST "$base/users" -H 'Content-Type: application/json' -d '{"chat_id": 1000, "username": "bench"}' >/dev/null
for i in $(seq 1 "$GENERATE_USERS"); do
  printf '{"chat_id": %d, "username": "gen%d"}\n' $((200000 + i)) "$i"
done | xargs -d "\n" -P 8 -I{} curl -fsS -o /dev/null -H "api-key: $BENCH_API_KEY" -H 'Content-Type: application/json' -X POST "$base/users" -d '{}'
"$ROOT/.venv/bin/python" - "$MONGO_URI" <<'PY'
import sys, pymongo, bson
db = pymongo.MongoClient(sys.argv[1])["bench"]
# A balance large enough for the run (the bench's database only; no ledger entry behind it).
db.users.update_many({"_id": {"$gt": 200000}}, {"$set": {"ozhivashki": bson.Int64(1000000)}})
PY

# A queued job (no worker is running yet) and a succeeded generation (one worker, then stopped).
queued=$(api -X POST "$base/generate" -F chat_id=1000 -F "image=@$ROOT/deploy/sample/drawing.png" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
api -X POST "$base/users" -H 'Content-Type: application/json' -d '{"chat_id": 1001, "username": "bench2"}' >/dev/null
"$dbg/ozh-generation-worker" >"$work/worker.log" 2>&1 &
worker_pid=$!
done_job=$(api -X POST "$base/generate?wait=60" -F chat_id=1001 -F "image=@$ROOT/deploy/sample/drawing.png" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
kill -TERM $worker_pid; wait $worker_pid 2>/dev/null || true
api "$base/jobs/$done_job" | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["status"]=="succeeded", j' \
  || { echo "the succeeded job is not succeeded; see $work/worker.log" >&2; exit 1; }
# The first queued job was taken by the worker; make a fresh one that stays queued.
api -X POST "$base/users" -H 'Content-Type: application/json' -d '{"chat_id": 1002, "username": "bench3"}' >/dev/null
queued=$(api -X POST "$base/generate" -F chat_id=1002 -F "image=@$ROOT/deploy/sample/drawing.png" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')

printf '%-34s %10s %9s %9s %8s %8s %-24s %s\n' scenario "req/s" "p50 ms" "p99 ms" "errors" "RSS MB" "CPU % gw/mongo/redis" statuses
run() { # name connections duration url [script]
  local name=$1 c=$2 d=$3 url=$4 script=${5:-$BENCH_DIR/get.lua} out
  # What bounds the figure: each server's CPU over the run, in % of one core.
  local hz before after cpu
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks "$gateway_pid" "$mongo_pid" "$redis_pid" | tr '\n' ' ')
  out=$(wrk -t "$THREADS" -c "$c" -d "${d}s" --timeout 60s -s "$script" "$url")
  after=$(cpu_ticks "$gateway_pid" "$mongo_pid" "$redis_pid" | tr '\n' ' ')
  cpu=$(awk -v b="$before" -v a="$after" -v hz="$hz" -v d="$d" 'BEGIN { n = split(b, x, " "); split(a, y, " ");
    for (i = 1; i <= n; i++) printf "%s%.0f", (i > 1 ? "/" : ""), (y[i] - x[i]) * 100 / hz / d }')
  local rps p50 p99 errors statuses
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '/latency_p50_ms/ {print $2}' <<<"$out")
  p99=$(awk '/latency_p99_ms/ {print $2}' <<<"$out")
  errors=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")
  statuses=$(awk '/^status / {printf "%s×%s ", $3, $2}' <<<"$out")
  printf '%-34s %10s %9s %9s %8s %8s %-24s %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}" "$(rss_mb)" "$cpu" "$statuses"
}
run "warm-up" "$CONNECTIONS" 3 "$base/users/1000" >/dev/null
want users && run "GET /users/{id}" "$CONNECTIONS" "$DURATION" "$base/users/1000"
want jobs && run "GET /jobs/{id} (queued)" "$CONNECTIONS" "$DURATION" "$base/jobs/$queued"
want done && run "GET /jobs/{id} (succeeded, images)" "$CONNECTIONS" "$DURATION" "$base/jobs/$done_job"
if want etag; then
  etag=$(curl -fsS -o /dev/null -D - -H "api-key: $BENCH_API_KEY" "$base/jobs/$done_job" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
  BENCH_IF_NONE_MATCH=$etag run "GET /jobs/{id} (succeeded, 304)" "$CONNECTIONS" "$DURATION" "$base/jobs/$done_job"
  etag=$(curl -fsS -o /dev/null -D - -H "api-key: $BENCH_API_KEY" "$base/jobs/$queued" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
  BENCH_IF_NONE_MATCH=$etag run "GET /jobs/{id} (queued, 304)" "$CONNECTIONS" "$DURATION" "$base/jobs/$queued"
fi
export BENCH_IMAGE="$ROOT/deploy/sample/drawing.png" BENCH_USERS=$GENERATE_USERS BENCH_FIRST_CHAT=200001
want generate && run "POST /generate (2.8 KB PNG)" "$CONNECTIONS" "$DURATION" "$base/generate" "$BENCH_DIR/generate.lua"
want waiters || exit 0
# Long-poll: WAITERS connections each holding GET /jobs/{id}?wait=WAIT_SECONDS on a queued job.
run "$WAITERS waiters ?wait=${WAIT_SECONDS}" "$WAITERS" $((WAIT_SECONDS * 3)) "$base/jobs/$queued?wait=$WAIT_SECONDS" &
sampler=$!
peak=0
while kill -0 $sampler 2>/dev/null; do r=$(rss_mb); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.25; done
wait $sampler
echo "gateway RSS peak during the waiters: ${peak} MB (VmHWM over the whole run: $(hwm_mb) MB)"
