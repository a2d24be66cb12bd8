#!/usr/bin/env bash
# ETA accuracy: a backlog of generations through a small Gemini quota, each job's predicted
# start (`eta_at`, from its 202 or, when the 202 came while a worker held it for a moment, the
# first poll that shows it waiting) against its actual start: `started_at` (its last attempt's
# start, what GET /jobs shows) and its first Gemini call (from its `generations` record).
# Starts a private redis-server, SecantusDB, ozh-sandbox (standing in for Gemini), ozh-gateway
# and one generation worker (debug builds: what `swift build --build-tests` leaves; set
# BENCH_CONFIG=release for release builds), warms the workers' measured pace with two jobs,
# then submits the backlog and prints median / p90 / bias of the error.
#   bench/eta.sh     (env BENCH_JOBS=40 BENCH_RPM=8 BENCH_WINDOW_MS=3000 BENCH_MARGIN_MS=200
#                     BENCH_PROJECTS=1 BENCH_LATENCY_MS=600 BENCH_CONCURRENCY=4 BENCH_MAIN_IMAGES=2;
#                     BENCH_VERBOSE=1 prints every job's predicted and actual start)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONFIG=${BENCH_CONFIG:-debug}
PY=${BENCH_PYTHON:-$( [ -x "$ROOT/.venv/bin/python" ] && echo "$ROOT/.venv/bin/python" || echo /work/venv/bin/python )}
SECANTUS=${BENCH_SECANTUS:-$(dirname "$PY")/secantusd-py}
[ -x "$SECANTUS" ] || { echo "run deploy/local.sh test once first (it installs SecantusDB into .venv)" >&2; exit 1; }
for product in ozh-gateway ozh-generation-worker ozh-sandbox; do swift build -c "$CONFIG" --product "$product" >/dev/null; done
bin=$(swift build -c "$CONFIG" --show-bin-path)
. "$ROOT/bench/servers.sh"
start_redis_and_mongo "$SECANTUS"
port=$(free_port); sandbox_port=$(free_port)
keys=$(for i in $(seq 1 "${BENCH_PROJECTS:-1}"); do printf 'eta-%d:sandbox-key-%d,' "$i" "$i"; done); keys=${keys%,}
export REDIS_URL="redis://127.0.0.1:$redis_port/0" MONGO_URI="mongodb://127.0.0.1:$mongo_port" MONGO_DB_NAME=bench
export API_KEY=bench-api-key-0123456789abcdef LOG_LEVEL=warning HOST=127.0.0.1 PORT=$port METRICS_PORT=0
export GEMINI_API_KEYS_STR=$keys GEMINI_BASE_URL="http://127.0.0.1:$sandbox_port"
export GEMINI_RPM=${BENCH_RPM:-8} GEMINI_RPD=100000 GEMINI_WINDOW_MS=${BENCH_WINDOW_MS:-3000}
export GEMINI_WINDOW_MARGIN_MS=${BENCH_MARGIN_MS:-200} MAIN_IMAGES=${BENCH_MAIN_IMAGES:-2}
export WORKER_CONCURRENCY=${BENCH_CONCURRENCY:-4} MAX_POSTPONE_HOURS=1
export SANDBOX_PORT=$sandbox_port SANDBOX_GEMINI_KEYS=$keys SANDBOX_GEMINI_RPM=100000 SANDBOX_GEMINI_RPD=1000000
export SANDBOX_GEMINI_LATENCY_MS=${BENCH_LATENCY_MS:-600} SANDBOX_LOG_LEVEL=warning
"$bin/ozh-sandbox" >"$work/sandbox.log" 2>&1 &
pids+=($!)
"$bin/ozh-gateway" >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_port "$port"; wait_port "$sandbox_port"
"$bin/ozh-generation-worker" >"$work/worker.log" 2>&1 &
pids+=($!)

BASE="http://127.0.0.1:$port" BENCH_VERBOSE=${BENCH_VERBOSE:-} JOBS=${BENCH_JOBS:-40} DRAWING="$ROOT/deploy/sample/drawing.png" "$PY" - <<'PY'
import json, os, statistics, time, threading, urllib.request, uuid, datetime, pymongo
base, key, jobs = os.environ["BASE"], os.environ["API_KEY"], int(os.environ["JOBS"])
drawing = open(os.environ["DRAWING"], "rb").read()

def call(method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, data=body, method=method, headers={"api-key": key, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")

def user(chat):
    status, body = call("POST", "/users", json.dumps({"chat_id": chat}).encode(), {"Content-Type": "application/json"})
    assert status == 201, body

def generate(chat, query=""):
    boundary = uuid.uuid4().hex
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n{chat}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"d.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + drawing + f"\r\n--{boundary}--\r\n".encode()
    return call("POST", "/generate" + query, form, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

def parse(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()

# Warm-up: two generations, so the workers have measured an image's time and a job's images.
for chat in (1, 2):
    user(chat)
    status, body = generate(chat, "?wait=60")
    assert status == 200, (status, body)

predicted, first_seen = {}, {}
lock = threading.Lock()
done = threading.Event()
def poller():
    while not done.is_set():
        with lock:
            pending = [j for j in first_seen if j not in predicted]
        for job in pending:
            status, body = call("GET", f"/jobs/{job}")
            if body.get("eta_at") and job not in predicted:
                with lock:
                    predicted[job] = (parse(body["eta_at"]), time.time())
        time.sleep(0.1)
thread = threading.Thread(target=poller, daemon=True)
thread.start()
submit_start = time.time()
for chat in range(1000, 1000 + jobs):
    user(chat)
    status, body = generate(chat)
    assert status == 202, (status, body)
    with lock:
        first_seen[body["job_id"]] = time.time()
        if body.get("eta_at"):
            predicted[body["job_id"]] = (parse(body["eta_at"]), time.time())
submitted = time.time() - submit_start
for job in list(first_seen):
    status, body = call("GET", f"/jobs/{job}?wait=60")
    while body.get("status") not in ("succeeded", "failed"):
        status, body = call("GET", f"/jobs/{job}?wait=60")
done.set()
total = time.time() - submit_start

db = pymongo.MongoClient(os.environ["MONGO_URI"])[os.environ["MONGO_DB_NAME"]]
started, first_call, statuses = {}, {}, {}
for job in first_seen:
    status, body = call("GET", f"/jobs/{job}")
    statuses[body["status"]] = statuses.get(body["status"], 0) + 1
    started[job] = parse(body["started_at"])
    calls = (db.generations.find_one({"_id": job}) or {}).get("calls", [])
    starts = [c["at"].replace(tzinfo=datetime.timezone.utc).timestamp() - c["latency_ms"] / 1000 for c in calls]
    if starts: first_call[job] = min(starts)

def report(name, actual):
    errors = [predicted[j][0] - actual[j] for j in predicted if j in actual]
    absolute = sorted(abs(e) for e in errors)
    waits = sorted(actual[j] - predicted[j][1] for j in predicted if j in actual)
    p90 = absolute[min(len(absolute) - 1, int(round(0.9 * (len(absolute) - 1))))]
    print(f"{name:<34} n={len(errors):>3}  median |error| {statistics.median(absolute):6.2f} s  p90 {p90:6.2f} s  "
          f"bias {statistics.mean(errors):+6.2f} s  (actual waits: median {statistics.median(waits):6.2f} s, max {waits[-1]:6.2f} s)")

print(f"{jobs} generations submitted in {submitted:.1f} s, all ended in {total:.1f} s: {statuses}; "
      f"{len(predicted)} with a prediction")
if os.environ.get("BENCH_VERBOSE"):
    for job in first_seen:
        if job in predicted and job in first_call:
            print(f"  {job[:8]} predicted +{predicted[job][0] - submit_start:6.1f}  first call +{first_call[job] - submit_start:6.1f}"
                  f"  started_at +{started[job] - submit_start:6.1f}")
report("eta_at vs started_at", started)
report("eta_at vs first Gemini call", first_call)
PY
