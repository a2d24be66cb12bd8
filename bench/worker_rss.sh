#!/usr/bin/env bash
# Idle memory of the worker executables: each one started alone against a private Redis and an
# in-memory SecantusDB, left idle for IDLE_S seconds (8), then read from /proc: VmRSS, its
# anonymous (private) and file-backed parts, PSS, and the file mappings holding most of it.
#   bench/worker_rss.sh                         the release build, built and linked as the container image
#                                               is (deploy/link/flags.sh: static stdlib, lld, RELR, function
#                                               sections, each worker's deploy/link/*.order), in .build-image
#   ORDER=0 bench/worker_rss.sh                 the same linked without the .order files
#   BIN_DIRS="dir1 dir2" bench/worker_rss.sh    the executables in each directory instead (e.g. a dynamic
#                                               build's `swift build -c release --show-bin-path`)
# Needs deploy/local.sh test once (SecantusDB in .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
IDLE_S=${IDLE_S:-8}
EXECUTABLES=${EXECUTABLES:-ozh-generation-worker ozh-payment-worker}
[ -x "$ROOT/.venv/bin/secantusd-py" ] || { echo "run deploy/local.sh test once first (SecantusDB in .venv)" >&2; exit 1; }
if [ -z "${BIN_DIRS:-}" ]; then
  # shellcheck source=deploy/link/flags.sh
  source deploy/link/flags.sh
  for product in $EXECUTABLES; do
    order=$([ "${ORDER:-1}" = 0 ] || release_order_flags "$product")
    # shellcheck disable=SC2086 # lists of flags
    swift build -c release --scratch-path "$RELEASE_SCRATCH" $RELEASE_FLAGS $order --product "$product" >/dev/null
  done
  # shellcheck disable=SC2086
  BIN_DIRS=$(swift build -c release --scratch-path "$RELEASE_SCRATCH" $RELEASE_FLAGS --show-bin-path)
fi
# shellcheck source=bench/servers.sh
source bench/servers.sh
start_redis_and_mongo "$ROOT/.venv/bin/secantusd-py"

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$2/status"; }
echo "date: $(date -Is)  cpus: $(nproc)  idle ${IDLE_S}s"
for dir in $BIN_DIRS; do
  for product in $EXECUTABLES; do
    with_worker_env "rss$RANDOM:" "$(free_port)" "$dir/$product" >"$work/$product.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    sleep "$IDLE_S"
    kill -0 "$pid" 2>/dev/null || { echo "$product exited; its log:" >&2; cat "$work/$product.log" >&2; exit 1; }
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
    printf '%s (%s): RSS %.1f MB = anonymous %.1f + file-backed %.1f (+ shmem %.1f); PSS %.1f MB\n' "$product" "$dir" \
      "$(echo "$(kb VmRSS $pid)/1024" | bc -l)" "$(echo "$(kb RssAnon $pid)/1024" | bc -l)" \
      "$(echo "$(kb RssFile $pid)/1024" | bc -l)" "$(echo "$(kb RssShmem $pid)/1024" | bc -l)" "$(echo "$pss/1024" | bc -l)"
    # The file mappings by resident size (all segments of one file summed).
    awk '/^[0-9a-f]+-[0-9a-f]+ / {file = (NF >= 6 ? $6 : "[anon]")} /^Rss:/ {rss[file] += $2}
         END {for (f in rss) if (f ~ /^\//) printf "    %7.1f MB  %s\n", rss[f]/1024, f}' "/proc/$pid/smaps" | sort -rn | head -8
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  done
done
