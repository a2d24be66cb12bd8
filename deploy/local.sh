#!/usr/bin/env bash
# Ozhivlyator on one machine.
#   deploy/local.sh test   check the format (swift format lint), install what is missing, start a private Redis and
#                          SecantusDB, build (the module graph checked), run `swift test`, stop them
#   deploy/local.sh format rewrite the Swift sources as .swift-format says
#   deploy/local.sh up     install what is missing, start Redis, SecantusDB and the services in the foreground (Ctrl-C stops them)
#                          [--generation-workers N (2)] [--payment-workers N (1)]; a process that dies is restarted
#   deploy/local.sh admin <args>   ozh-admin <args> against the local stack: the REDIS_URL, REDIS_PREFIX, MONGO_URI and
#                          MONGO_DB_NAME the last `up` gave its processes (written to .run/stack.env), else the same
#                          defaults (OZH_LOCAL_REDIS_PORT, OZH_LOCAL_MONGO_PORT); the environment wins.
#                          e.g. deploy/local.sh admin queues, deploy/local.sh admin audit
# Settings come from the environment or ./.env and override the development defaults below.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUN_DIR="$ROOT/.run"
VENV="$ROOT/.venv"
APT_PACKAGES=(libhiredis-dev libmongoc-dev libbson-dev libcurl4-openssl-dev libmagickwand-dev redis-server redis-tools pkg-config python3-venv)
# PyPI tools installed into $VENV, as package:executable (the executable shows it is there).
PYTHON_TOOLS=(SecantusDB:secantusd-py schemathesis:schemathesis kubernetes-validate:kubernetes-validate check-jsonschema:check-jsonschema)
# PyPI libraries without an executable, as package:module (the callback tests' Standard Webhooks verifier).
PYTHON_LIBRARIES=(standardwebhooks:standardwebhooks)
# libmongoc maps /dev/shm/mongoc-<pid> for counters nothing reads; a killed process leaves the
# file and the next process with its pid prints a warning. Off for everything started from here.
export MONGOC_DISABLE_SHM=1
PIDS=()
LAST_PIDS=()  # stopped after PIDS: the servers the others need while they drain

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

ensure_python_tools() {
  # A venv copied from another checkout still points its scripts there: make a fresh one.
  if [ -e "$VENV/bin/pip" ] && [ "$(head -n 1 "$VENV/bin/pip")" != "#!$VENV/bin/python3" ]; then
    log "$VENV belongs to another checkout; recreating it"
    python3 -m venv --clear "$VENV"
  fi
  local tool missing=()
  for tool in "${PYTHON_TOOLS[@]}"; do
    [ -x "$VENV/bin/${tool#*:}" ] || missing+=("${tool%%:*}")
  done
  for tool in "${PYTHON_LIBRARIES[@]}"; do
    [ -x "$VENV/bin/python3" ] && "$VENV/bin/python3" -c "import ${tool#*:}" 2>/dev/null || missing+=("${tool%%:*}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} into $VENV"
    [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "${missing[@]}"
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
  local pid group
  for group in "${PIDS[*]:-}" "${LAST_PIDS[*]:-}"; do
    for pid in $group; do
      [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $group; do
      [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
  done
  PIDS=()
  LAST_PIDS=()
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

# The Swift sources the formatter owns (.swift-format at the root).
FORMATTED=(Sources Tests bench Package.swift)
# Every debug build here checks the module graph (README "Sources"): an import of a target
# that is not a listed dependency fails. The same flags for test, up and admin, so switching
# between them does not rebuild.
BUILD=(swift build --explicit-target-dependency-import-check error)

cmd_test() {
  # The format check first: a file the formatter would change fails the run before anything
  # is installed or built (`deploy/local.sh format` rewrites them).
  swift format lint --strict --recursive --parallel "${FORMATTED[@]}" \
    || { log "swift format lint: the files above are not formatted; run deploy/local.sh format"; exit 1; }
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
  # The deployment tests run kubernetes-validate and check-jsonschema from here, the fuzz test schemathesis.
  export OZH_TEST_VENV="$VENV"
  export OZH_TEST_SECANTUS="$VENV/bin/secantusd-py"  # the fault suite starts (and restarts) its own
  local status=0
  # Arguments (e.g. --filter Suite) are for `swift test`; `swift build` would refuse them.
  "${BUILD[@]}" --build-tests || status=$?
  # Serially: the suites share two cores with Redis and SecantusDB, and timing-sensitive checks
  # (backoff windows, long-poll wake-ups) must not be starved by other suites.
  if [ $status -eq 0 ]; then swift test --skip-build --no-parallel "$@" || status=$?; fi
  stop_all
  exit $status
}

# ---- the stores' settings, shared by up and admin -----------------------------------------
STACK_ENV="$RUN_DIR/stack.env"
STACK_VARIABLES=(REDIS_URL REDIS_PREFIX MONGO_URI MONGO_DB_NAME)

store_settings() { # sets redis_port and mongo_port (the caller's locals); exports the stores' settings
  redis_port=${OZH_LOCAL_REDIS_PORT:-6379} mongo_port=${OZH_LOCAL_MONGO_PORT:-27017}
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$redis_port/0}
  export MONGO_URI=${MONGO_URI:-mongodb://127.0.0.1:$mongo_port}
  export MONGO_DB_NAME=${MONGO_DB_NAME:-ozhivlyator_db}
}

write_stack_env() { # what up gives its processes, for admin (REDIS_PREFIX only when set: else .env or the default)
  local name
  : >"$STACK_ENV"
  for name in "${STACK_VARIABLES[@]}"; do
    if [ -n "${!name:-}" ]; then printf '%s=%s\n' "$name" "${!name}" >>"$STACK_ENV"; fi
  done
}

cmd_admin() {
  local name value redis_port mongo_port bin
  if [ -f "$STACK_ENV" ]; then
    while IFS='=' read -r name value; do
      if [[ " ${STACK_VARIABLES[*]} " == *" $name "* ]] && [ -z "${!name:-}" ]; then export "$name=$value"; fi
    done <"$STACK_ENV"
  fi
  store_settings
  "${BUILD[@]}" --product ozh-admin >&2  # its output on stderr: stdout is ozh-admin's
  bin=$(swift build --show-bin-path)
  exec "$bin/ozh-admin" "$@"
}

# ---- up: supervision ---------------------------------------------------------------------
SUPERVISOR_LOG="$RUN_DIR/supervisor.log"
RESTART_LIMIT=5          # restarts of one process within a minute before up gives up on it

note() { # message: to the terminal and the supervisor log
  log "$*"
  printf '%s %s\n' "$(date '+%F %T')" "$*" >>"$SUPERVISOR_LOG"
}

running() { # pid: alive and not a zombie
  local state
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

supervise() { # name log command... : runs command, restarts it with backoff when it dies
  local name=$1 log_file=$2
  shift 2
  (
    child="" sleeper=""
    stop_child() {
      [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
      [ -n "$child" ] || exit 0
      kill -TERM "$child" 2>/dev/null || true
      local i
      for i in $(seq 1 300); do running "$child" || break; sleep 0.1; done  # 30 s to drain
      if running "$child"; then
        note "$name (pid $child) ignored SIGTERM for 30 s; killing it"
        kill -KILL "$child" 2>/dev/null || true
      fi
      wait "$child" 2>/dev/null || true
      exit 0
    }
    trap stop_child TERM
    trap '' INT  # Ctrl-C reaches up itself, which stops us with SIGTERM
    local delay=1 started status why now restarts=() recent t
    while true; do
      # Its own session: Ctrl-C in the terminal does not reach it; up stops it in order.
      setsid "$@" >>"$log_file" 2>&1 </dev/null &
      child=$!
      started=$SECONDS
      status=0
      wait "$child" 2>/dev/null || status=$?  # (2>/dev/null: no "Killed" job notice; we say it ourselves)
      now=$SECONDS
      why="status $status"
      [ "$status" -le 128 ] || why+=" (signal $((status - 128)))"
      recent=()
      for t in "${restarts[@]:-}"; do [ -n "$t" ] && [ $((now - t)) -lt 60 ] && recent+=("$t"); done
      restarts=("${recent[@]:-}")
      if [ ${#recent[@]} -ge $RESTART_LIMIT ]; then
        note "$name (pid $child) exited with $why; it was restarted $RESTART_LIMIT times within a minute: giving up (see $log_file)"
        exit 1
      fi
      [ $((now - started)) -ge 60 ] && delay=1  # it had been running fine: restart quickly
      note "$name (pid $child) exited with $why; restarting in ${delay} s (log: $log_file)"
      child=""
      sleep "$delay" &
      sleeper=$!
      wait "$sleeper" || true
      sleeper=""
      restarts+=("$SECONDS")
      delay=$((delay * 2 > 30 ? 30 : delay * 2))
    done
  ) &
  PIDS+=($!)
}

next_free_port() { # from, taken...: the first port >= from that nothing listens on and is not listed
  local port=$1
  shift
  while port_taken "$port" || [[ " $* " == *" $port "* ]]; do port=$((port + 1)); done
  echo "$port"
}

usage_up() {
  cat >&2 <<'TXT'
usage: deploy/local.sh up [--generation-workers N] [--payment-workers N]
  --generation-workers N   generation worker processes (default 2, or $OZH_GENERATION_WORKERS)
  --payment-workers N      payment worker processes (default 1, or $OZH_PAYMENT_WORKERS)
Ports: OZH_LOCAL_REDIS_PORT (6379), OZH_LOCAL_MONGO_PORT (27017), PORT (8000), SANDBOX_PORT (8090),
OZH_LOCAL_METRICS_PORT (9091, the gateway's /metrics; the workers' count up from it).
TXT
}

cmd_up() {
  local generation_workers=${OZH_GENERATION_WORKERS:-2} payment_workers=${OZH_PAYMENT_WORKERS:-1}
  while [ $# -gt 0 ]; do
    case "$1" in
      --generation-workers) generation_workers=${2:-}; shift 2 || { usage_up; exit 2; } ;;
      --generation-workers=*) generation_workers=${1#*=}; shift ;;
      --payment-workers) payment_workers=${2:-}; shift 2 || { usage_up; exit 2; } ;;
      --payment-workers=*) payment_workers=${1#*=}; shift ;;
      -h|--help) usage_up; exit 0 ;;
      *) log "unknown option: $1"; usage_up; exit 2 ;;
    esac
  done
  [[ "$generation_workers" =~ ^[0-9]+$ ]] && [ "$generation_workers" -le 32 ] || die "--generation-workers takes 0-32, got '$generation_workers'"
  [[ "$payment_workers" =~ ^[0-9]+$ ]] && [ "$payment_workers" -le 8 ] || die "--payment-workers takes 0-8, got '$payment_workers'"
  ensure_system_packages
  ensure_python_tools
  mkdir -p "$RUN_DIR/mongo-data" "$RUN_DIR/redis-data"
  # Development defaults; the environment and .env win.
  local redis_port mongo_port
  store_settings
  export API_KEY=${API_KEY:-dev-local-api-key-0123456789}
  export PORT=${PORT:-8000}
  export HOST=${HOST:-127.0.0.1}
  export METRICS_HOST=${METRICS_HOST:-127.0.0.1}
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
  # The gateway gets the Gemini projects by name and not the keys, as in the shipped deployments
  # (only possible when every entry is project:key; bare keys have hashed project names).
  local gateway_env=()
  if [ -z "${GEMINI_PROJECTS:-}" ] && ! tr ',' '\n' <<<"$GEMINI_API_KEYS_STR" | grep -v '^[[:space:]]*$' | grep -qv ':'; then
    GEMINI_PROJECTS=$(tr ',' '\n' <<<"$GEMINI_API_KEYS_STR" | sed 's/:.*//; s/[[:space:]]//g' | awk 'NF && !seen[$0]++' | paste -sd, -)
    export GEMINI_PROJECTS
  fi
  [ -n "${GEMINI_PROJECTS:-}" ] && gateway_env=(-u GEMINI_API_KEYS_STR)
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
    # The sandbox keeps its payments across restarts, as MongoDB keeps ours (else every
    # payment made before a restart would be unknown at the provider).
    export SANDBOX_YOOKASSA_STATE_FILE=${SANDBOX_YOOKASSA_STATE_FILE:-$RUN_DIR/yookassa-state.json}
  fi
  export TELEGRAM_BOT_USERNAME=${TELEGRAM_BOT_USERNAME:-OzhivlyatorDemoBot}
  # Push callbacks (README "For bot developers"): a development secret, and loopback receivers allowed.
  local dev_callback_secret=whsec_b3poaXZseWF0b3ItbG9jYWwtZGV2LWNhbGxiYWNrcyE=
  export JOB_CALLBACK_SECRET=${JOB_CALLBACK_SECRET:-$dev_callback_secret}
  export CALLBACK_ALLOWED_HOSTS=${CALLBACK_ALLOWED_HOSTS:-127.0.0.1}
  local ports=("$redis_port:Redis (OZH_LOCAL_REDIS_PORT)" "$mongo_port:SecantusDB (OZH_LOCAL_MONGO_PORT)" "$PORT:the gateway (PORT)")
  [ $use_sandbox -eq 1 ] && ports+=("$sandbox_port:ozh-sandbox (SANDBOX_PORT)")
  for p in "${ports[@]}"; do
    port_taken "${p%%:*}" && die "port ${p%%:*} for ${p#*:} is already taken; stop what uses it or choose another port"
  done
  # The gateway's and each worker's /metrics, /health and /ready on a port of its own, counting
  # up from 9091 (the gateway first); never on the public PORT.
  local used="$redis_port $mongo_port $PORT $sandbox_port" metrics_port=$((${OZH_LOCAL_METRICS_PORT:-9091} - 1)) i
  local generation_metrics=() payment_metrics=() gateway_metrics
  metrics_port=$(next_free_port $((metrics_port + 1)) $used); used+=" $metrics_port"; gateway_metrics=$metrics_port
  for i in $(seq 1 "$generation_workers"); do
    metrics_port=$(next_free_port $((metrics_port + 1)) $used); used+=" $metrics_port"; generation_metrics+=("$metrics_port")
  done
  for i in $(seq 1 "$payment_workers"); do
    metrics_port=$(next_free_port $((metrics_port + 1)) $used); used+=" $metrics_port"; payment_metrics+=("$metrics_port")
  done
  log "building (first build takes a few minutes)"
  "${BUILD[@]}" --product ozh-gateway
  "${BUILD[@]}" --product ozh-generation-worker
  "${BUILD[@]}" --product ozh-payment-worker
  "${BUILD[@]}" --product ozh-sandbox
  "${BUILD[@]}" --product ozh-admin
  local bin
  bin=$(swift build --show-bin-path)
  trap stop_all EXIT
  trap 'log "stopping everything started here"; exit 0' INT TERM HUP
  : >"$SUPERVISOR_LOG"
  write_stack_env
  note "up: pid $$; logs in $RUN_DIR"
  supervise redis "$RUN_DIR/redis.log" redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$RUN_DIR/redis-data" \
    --appendonly yes --appendfsync everysec --daemonize no
  wait_for_port "$redis_port" redis 10
  supervise secantusdb "$RUN_DIR/secantusdb.log" "$VENV/bin/secantusd-py" --host 127.0.0.1 --port "$mongo_port" \
    --storage-path "$RUN_DIR/mongo-data" --log-level WARNING
  wait_for_port "$mongo_port" secantusdb 60
  LAST_PIDS=("${PIDS[@]}")
  PIDS=()
  if [ $use_sandbox -eq 1 ]; then
    supervise sandbox "$RUN_DIR/sandbox.log" env SANDBOX_PORT="$sandbox_port" "$bin/ozh-sandbox"
    wait_for_port "$sandbox_port" sandbox 20
  fi
  supervise gateway "$RUN_DIR/gateway.log" env "${gateway_env[@]}" METRICS_PORT="$gateway_metrics" "$bin/ozh-gateway"
  local logs=("gateway: $RUN_DIR/gateway.log") metrics=("gateway: http://$METRICS_HOST:$gateway_metrics/metrics")
  for i in $(seq 1 "$generation_workers"); do
    supervise "generation-worker-$i" "$RUN_DIR/generation-worker-$i.log" \
      env METRICS_PORT="${generation_metrics[i - 1]}" "$bin/ozh-generation-worker"
    logs+=("generation-worker-$i: $RUN_DIR/generation-worker-$i.log")
    metrics+=("generation-worker-$i: http://$METRICS_HOST:${generation_metrics[i - 1]}/metrics")
  done
  for i in $(seq 1 "$payment_workers"); do
    supervise "payment-worker-$i" "$RUN_DIR/payment-worker-$i.log" \
      env METRICS_PORT="${payment_metrics[i - 1]}" "$bin/ozh-payment-worker"
    logs+=("payment-worker-$i: $RUN_DIR/payment-worker-$i.log")
    metrics+=("payment-worker-$i: http://$METRICS_HOST:${payment_metrics[i - 1]}/metrics")
  done
  [ $use_sandbox -eq 1 ] && logs+=("sandbox: $RUN_DIR/sandbox.log")
  logs+=("redis: $RUN_DIR/redis.log" "secantusdb: $RUN_DIR/secantusdb.log" "restarts: $SUPERVISOR_LOG")
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
Workers: $generation_workers generation, $payment_workers payment (a process that dies is restarted; restarts are logged)
Logs:
$(printf '  %s\n' "${logs[@]}")
Metrics (/metrics, /health, /ready; not on the public port):
$(printf '  %s\n' "${metrics[@]:-none}")
Queues: deploy/local.sh admin queues   (any ozh-admin command, with these settings)
API description: $base/openapi.yaml

Try it:
  curl -s -X POST "$base/users" -H "Content-Type: application/json" -H "api-key: $API_KEY" \\
       -d '{"chat_id": 123456789, "username": "newuser", "referral_code": "ref_987654321", "advertising_source": "src_ads_campaign_01"}'
  curl -s "$base/users/123456789" -H "api-key: $API_KEY"
  curl -s -X POST "$base/users/123456789/daily_bonus" -H "api-key: $API_KEY"
  curl -s "$base/users/123456789/ledger" -H "api-key: $API_KEY"
  # the seed's generate call, with a sample drawing; the answer has a job to poll (and, while it waits, eta_seconds):
  curl -s -X POST "$base/generate" -H "api-key: $API_KEY" -F "chat_id=123456789" -F "image=@$ROOT/deploy/sample/drawing.png"
  curl -s "$base/jobs/<job_id>?wait=30" -H "api-key: $API_KEY" | head -c 400; echo
  curl -s "$base/jobs/<job_id>/images/0" -H "api-key: $API_KEY" -o image0.png
  curl -s "$base/jobs/<job_id>/images/0?format=jpeg" -H "api-key: $API_KEY" -o image0.jpg   # Telegram-ready
  # buy a pack: open payment_url in a browser and press Pay, then see the balance grow
  curl -s -X POST "$base/users/123456789/create_payment?wait=10" -H "Content-Type: application/json" -H "api-key: $API_KEY" \\
       -d '{"item_name": "Пакет '"'"'10 Оживашек'"'"'", "quantity": 1, "price": 100.00}'
$([ $yookassa_sandbox -eq 1 ] && echo "  curl -s -X POST \"http://127.0.0.1:$sandbox_port/_sandbox/yookassa/checkout/<payment_id>/pay\" >/dev/null   # = pressing Pay" || true)
  curl -s "$base/users/123456789" -H "api-key: $API_KEY"
  # push on completion: a receiver checking the Standard Webhooks signatures, then a generation naming it
  $VENV/bin/python3 $ROOT/deploy/callback-receiver/receiver.py --port 8099 --log $RUN_DIR/callbacks.jsonl \\
       --secret "$([ "$JOB_CALLBACK_SECRET" = "$dev_callback_secret" ] && echo "$JOB_CALLBACK_SECRET" || echo '<JOB_CALLBACK_SECRET>')" &
  curl -s -X POST "$base/generate" -H "api-key: $API_KEY" -F "chat_id=123456789" -F "image=@$ROOT/deploy/sample/drawing.png" \\
       -F "callback_url=http://127.0.0.1:8099/hook" -F "callback_events=progress"
  tail -n 5 $RUN_DIR/callbacks.jsonl   # one verified line per push ("verified": [true])
  # or, as the original synchronous service, the seed's body in one call (RFC 7240 Prefer; -i shows Preference-Applied):
  curl -s -X POST "$base/generate" -H "api-key: $API_KEY" -H "Prefer: wait=60" -F "chat_id=123456789" -F "image=@$ROOT/deploy/sample/drawing.png" | head -c 400; echo

Ctrl-C stops everything started here.
TXT
  # Supervisors run until Ctrl-C; one that gives up on a crash-looping process ends up.
  local status=0
  wait -n "${PIDS[@]}" "${LAST_PIDS[@]}" || status=$?
  note "supervision ended ($([ "$status" -ne 0 ] && echo "a process kept crashing" || echo "a supervisor was stopped"); see $SUPERVISOR_LOG); stopping everything started here"
  [ "$status" -ne 0 ] || status=1
  exit "$status"
}

cmd_format() {
  swift format format --in-place --recursive --parallel "${FORMATTED[@]}"
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  format) cmd_format ;;
  up) shift; cmd_up "$@" ;;
  admin) shift; cmd_admin "$@" ;;
  *) echo "usage: deploy/local.sh up|test|admin <args>|format" >&2; exit 2 ;;
esac
