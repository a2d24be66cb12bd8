#!/usr/bin/env bash
# Ozhivlyator on one machine.
#   deploy/local.sh test   install what is missing, start a private Redis and SecantusDB, run `swift test`, stop them
#   deploy/local.sh up     install what is missing, start Redis, SecantusDB and the services in the foreground (Ctrl-C stops them)
# Settings come from the environment or ./.env and override the development defaults below.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUN_DIR="$ROOT/.run"
VENV="$ROOT/.venv"
APT_PACKAGES=(libhiredis-dev libmongoc-dev libbson-dev libcurl4-openssl-dev libmagickwand-dev redis-server redis-tools pkg-config python3-venv)
PIDS=()

log() { printf '[local.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi
}

ensure_system_packages() {
  local missing=()
  for lib in hiredis libmongoc-1.0 libcurl MagickWand; do
    pkg-config --exists "$lib" 2>/dev/null || missing+=("$lib")
  done
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-cli)
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages (missing: ${missing[*]})"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null
  fi
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6 toolchain required)"
}

# PyPI tools in the repository's venv, each installed only when missing: SecantusDB (speaks
# MongoDB's wire protocol, for the tests and `up`) and schemathesis (fuzzes the gateway
# against openapi.yaml in the tests).
ensure_python_tools() {
  local missing=()
  [ -x "$VENV/bin/secantusd-py" ] || missing+=(SecantusDB)
  [ -x "$VENV/bin/schemathesis" ] || missing+=(schemathesis)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${missing[@]}"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

port_taken() {
  python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1',$1))==0 else 1)"
}

wait_for_port() { # port name seconds
  local deadline=$((SECONDS + $3))
  until port_taken "$1"; do
    [ $SECONDS -lt $deadline ] || die "$2 did not open port $1 within $3 s (see $RUN_DIR/$2.log)"
    sleep 0.1
  done
}

stop_all() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

start_redis() { # port [persist-dir]
  local args=(--port "$1" --bind 127.0.0.1 --save "" --appendonly no --daemonize no)
  if [ -n "${2:-}" ]; then args=(--port "$1" --bind 127.0.0.1 --dir "$2" --appendonly yes --appendfsync everysec --daemonize no); fi
  redis-server "${args[@]}" >"$RUN_DIR/redis.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$1" redis 10
}

start_mongo() { # port storage
  "$VENV/bin/secantusd-py" --host 127.0.0.1 --port "$1" --storage-path "$2" --log-level WARNING >"$RUN_DIR/secantusdb.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$1" secantusdb 60
}

cmd_test() {
  ensure_system_packages
  ensure_python_tools
  mkdir -p "$RUN_DIR"
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  local redis_port mongo_port
  redis_port=$(free_port)
  mongo_port=$(free_port)
  start_redis "$redis_port"
  start_mongo "$mongo_port" ":memory:"
  log "Redis on $redis_port, SecantusDB on $mongo_port"
  export OZH_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
  export OZH_TEST_MONGO_URI="mongodb://127.0.0.1:$mongo_port"
  export OZH_TEST_VENV="$VENV"
  export OZH_TEST_SECANTUS="$VENV/bin/secantusd-py"  # the fault suite starts (and restarts) its own
  local status=0
  swift build --build-tests "$@" || status=$?
  # Serially: the suites share two cores with Redis and SecantusDB, and timing-sensitive checks
  # (backoff windows, long-poll wake-ups) must not be starved by other suites.
  if [ $status -eq 0 ]; then swift test --skip-build --no-parallel "$@" || status=$?; fi
  stop_all
  exit $status
}

cmd_up() {
  ensure_system_packages
  ensure_python_tools
  mkdir -p "$RUN_DIR/mongo-data" "$RUN_DIR/redis-data"
  # Development defaults; the environment and .env win.
  local redis_port=${OZH_LOCAL_REDIS_PORT:-6379} mongo_port=${OZH_LOCAL_MONGO_PORT:-27017}
  export API_KEY=${API_KEY:-dev-local-api-key-change-me}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$redis_port/0}
  export MONGO_URI=${MONGO_URI:-mongodb://127.0.0.1:$mongo_port}
  export MONGO_DB_NAME=${MONGO_DB_NAME:-ozhivlyator_db}
  export PORT=${PORT:-8000}
  export HOST=${HOST:-127.0.0.1}
  local sandbox_port=${SANDBOX_PORT:-8090} use_sandbox=0
  # Gemini: the local sandbox unless real keys are set (then Google, or GEMINI_BASE_URL).
  if [ -z "${GEMINI_API_KEYS_STR:-}" ]; then
    use_sandbox=1
    export GEMINI_API_KEYS_STR="demo-project-a:sandbox-key-a1,demo-project-b:sandbox-key-b2"
    export GEMINI_BASE_URL=${GEMINI_BASE_URL:-http://127.0.0.1:$sandbox_port}
    export SANDBOX_GEMINI_KEYS=${SANDBOX_GEMINI_KEYS:-$GEMINI_API_KEYS_STR}
    export SANDBOX_GEMINI_RPM=${SANDBOX_GEMINI_RPM:-${GEMINI_RPM:-15}}
    export SANDBOX_GEMINI_RPD=${SANDBOX_GEMINI_RPD:-${GEMINI_RPD:-1500}}
  fi
  # YooKassa: the sandbox unless real credentials are set.
  local yookassa_sandbox=0
  if [ -z "${YOOKASSA_SHOP_ID:-}" ] || [ -z "${YOOKASSA_SECRET_KEY:-}" ]; then
    yookassa_sandbox=1
    use_sandbox=1
    export YOOKASSA_SHOP_ID=500123 YOOKASSA_SECRET_KEY=test_local-sandbox-secret
    export YOOKASSA_BASE_URL=${YOOKASSA_BASE_URL:-http://127.0.0.1:$sandbox_port}
    export SANDBOX_YOOKASSA_SHOP_ID=$YOOKASSA_SHOP_ID SANDBOX_YOOKASSA_SECRET_KEY=$YOOKASSA_SECRET_KEY
    export SANDBOX_YOOKASSA_WEBHOOK_URL=${SANDBOX_YOOKASSA_WEBHOOK_URL:-http://127.0.0.1:$PORT/webhooks/yookassa}
    # The sandbox's notifications come from this machine.
    export YOOKASSA_WEBHOOK_IPS=${YOOKASSA_WEBHOOK_IPS:-127.0.0.1/32,::1/128}
    export RECONCILE_AFTER_MS=${RECONCILE_AFTER_MS:-60000}
  fi
  export TELEGRAM_BOT_USERNAME=${TELEGRAM_BOT_USERNAME:-OzhivlyatorDemoBot}
  local generation_workers=${OZH_GENERATION_WORKERS:-1}
  # Each worker's /metrics, /health and /ready: generation worker N on metrics_port+N-1, then the payment worker.
  local metrics_port=${OZH_LOCAL_METRICS_PORT:-9091}
  local ports=("$redis_port:Redis (OZH_LOCAL_REDIS_PORT)" "$mongo_port:SecantusDB (OZH_LOCAL_MONGO_PORT)" "$PORT:the gateway (PORT)")
  [ $use_sandbox -eq 1 ] && ports+=("$sandbox_port:ozh-sandbox (SANDBOX_PORT)")
  local m
  for m in $(seq "$metrics_port" $((metrics_port + generation_workers))); do
    ports+=("$m:a worker's metrics port (OZH_LOCAL_METRICS_PORT)")
  done
  for p in "${ports[@]}"; do
    port_taken "${p%%:*}" && die "port ${p%%:*} for ${p#*:} is already taken; stop what uses it or choose another port"
  done
  log "building (first build takes a few minutes)"
  swift build --product ozh-gateway
  swift build --product ozh-generation-worker
  swift build --product ozh-payment-worker
  swift build --product ozh-sandbox
  swift build --product ozh-admin
  local bin
  bin=$(swift build --show-bin-path)
  trap stop_all EXIT
  trap 'log "stopping"; exit 0' INT TERM
  start_redis "$redis_port" "$RUN_DIR/redis-data"
  start_mongo "$mongo_port" "$RUN_DIR/mongo-data"
  if [ $use_sandbox -eq 1 ]; then
    SANDBOX_PORT=$sandbox_port "$bin/ozh-sandbox" >"$RUN_DIR/sandbox.log" 2>&1 &
    PIDS+=($!)
    wait_for_port "$sandbox_port" sandbox 20
  fi
  "$bin/ozh-gateway" >"$RUN_DIR/gateway.log" 2>&1 &
  PIDS+=($!)
  local i
  for i in $(seq 1 "$generation_workers"); do
    METRICS_HOST=127.0.0.1 METRICS_PORT=$((metrics_port + i - 1)) \
      "$bin/ozh-generation-worker" >"$RUN_DIR/generation-worker-$i.log" 2>&1 &
    PIDS+=($!)
  done
  METRICS_HOST=127.0.0.1 METRICS_PORT=$((metrics_port + generation_workers)) \
    "$bin/ozh-payment-worker" >"$RUN_DIR/payment-worker.log" 2>&1 &
  PIDS+=($!)
  local base="http://127.0.0.1:$PORT"
  local deadline=$((SECONDS + 30))
  until curl -fsS "$base/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "the gateway is not ready after 30 s: see $RUN_DIR/gateway.log"
    sleep 0.2
  done
  cat <<TXT

Ozhivlyator is up at $base   (API key: $API_KEY)
Gemini: $([ "${GEMINI_BASE_URL:-}" = "http://127.0.0.1:$sandbox_port" ] && echo "the local sandbox" || echo "${GEMINI_BASE_URL:-Google}")
YooKassa: $([ $yookassa_sandbox -eq 1 ] && echo "the local sandbox (pay on the payment_url page)" || echo "${YOOKASSA_BASE_URL:-https://api.yookassa.ru}")
Logs: $RUN_DIR/{gateway,generation-worker-N,payment-worker,sandbox,redis,secantusdb}.log
Queues: REDIS_URL=$REDIS_URL MONGO_URI=$MONGO_URI $bin/ozh-admin queues
Metrics: $base/metrics (gateway); http://127.0.0.1:PORT/metrics on ports $metrics_port-$((metrics_port + generation_workers)) (generation workers, then the payment worker)

Try it:
  curl -s -X POST "$base/users" -H "Content-Type: application/json" -H "api-key: $API_KEY" \\
       -d '{"chat_id": 123456789, "username": "newuser", "referral_code": "ref_987654321", "advertising_source": "src_ads_campaign_01"}'
  curl -s "$base/users/123456789" -H "api-key: $API_KEY"
  curl -s -X POST "$base/users/123456789/daily_bonus" -H "api-key: $API_KEY"
  curl -s "$base/users/123456789/ledger" -H "api-key: $API_KEY"
  # the seed's generate call, with a sample drawing; the answer has a job to poll:
  curl -s -X POST "$base/generate" -H "api-key: $API_KEY" -F "chat_id=123456789" -F "image=@$ROOT/deploy/sample/drawing.png"
  curl -s "$base/jobs/<job_id>?wait=30" -H "api-key: $API_KEY" | head -c 400; echo
  curl -s "$base/jobs/<job_id>/images/0" -H "api-key: $API_KEY" -o image0.png
  # buy a pack: open payment_url in a browser and press Pay (or call the sandbox's succeed endpoint)
  curl -s -X POST "$base/users/123456789/create_payment?wait=10" -H "Content-Type: application/json" -H "api-key: $API_KEY" \\
       -d '{"item_name": "Пакет '"'"'10 Оживашек'"'"'", "quantity": 1, "price": 100.00}'
  # or wait for the seed's body in one call:
  curl -s -X POST "$base/generate?wait=60" -H "api-key: $API_KEY" -F "chat_id=123456789" -F "image=@$ROOT/deploy/sample/drawing.png" | head -c 400; echo

Ctrl-C stops everything started here.
TXT
  wait -n "${PIDS[@]}" || true
  log "a process exited; stopping the rest (see the logs in $RUN_DIR)"
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  up) shift; cmd_up "$@" ;;
  *) echo "usage: deploy/local.sh up|test" >&2; exit 2 ;;
esac
