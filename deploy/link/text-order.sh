#!/usr/bin/env bash
# Writes deploy/link/<executable>.order: the functions the worker runs from its start to idle, which
# the release link (deploy/link/flags.sh: the Dockerfile, bench/worker_rss.sh) places first in its
# .text, so that the code an idle worker touches sits on contiguous pages instead of 64 KB
# fault-around windows scattered through 23 MB of text.
#   deploy/link/text-order.sh                  profile the release build in .build-image (built as the
#                                              image is) and rewrite the .order files
#   EXECUTABLES="ozh-payment-worker" ...       only these (default: both workers)
# Two passes per executable, each against a private Redis and in-memory SecantusDB, until its
# metrics endpoint answers and IDLE_S (6) seconds more, then SIGTERM (the shutdown path counts too):
#   1. under valgrind's callgrind, unordered: every function it runs, hottest first;
#      Names that several objects define are left out when they alone would pull a whole
#      prebuilt .text section in (see below);
#   2. natively (with perf, if present), linked with that order: the page faults on its text that
#      fall outside the ordered functions (code the slower run under valgrind did not reach, such
#      as a contended lock's slow path) add their functions.
# The list holds the executable's own functions (Swift runtime, stdlib, Foundation, package code;
# not the shared C libraries) as mangled symbols. Symbols the code no longer has are skipped by the
# linker and new code is placed as before, so a stale list only costs memory: rerun it after a
# change of dependencies or of the start-up path.
# Needs valgrind and deploy/local.sh test once (SecantusDB in .venv).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
IDLE_S=${IDLE_S:-6}
EXECUTABLES=${EXECUTABLES:-ozh-generation-worker ozh-payment-worker}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -x "$ROOT/.venv/bin/secantusd-py" ] || { echo "run deploy/local.sh test once first (SecantusDB in .venv)" >&2; exit 1; }
# shellcheck source=deploy/link/flags.sh
source deploy/link/flags.sh
# shellcheck disable=SC2206 # RELEASE_FLAGS is a list of flags
BUILD=(swift build -c release --scratch-path "$RELEASE_SCRATCH" $RELEASE_FLAGS)
bin_dir=$("${BUILD[@]}" --show-bin-path)
# shellcheck source=bench/servers.sh
source bench/servers.sh
start_redis_and_mongo "$ROOT/.venv/bin/secantusd-py"

# run_idle PRODUCT LOG COMMAND...: runs the worker under COMMAND until it is idle, then stops it.
run_idle() {
  local product=$1 log=$2 metrics_port pid
  shift 2
  metrics_port=$(free_port)
  with_worker_env "order$RANDOM:" "$metrics_port" "$@" >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1200); do
    curl -fsS -o /dev/null "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "$product exited; its log:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  sleep "$IDLE_S"
  # perf passes SIGINT on as its child's stop; the worker stops on SIGTERM as well.
  pkill -TERM -f "^$bin_dir/$product" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

mkdir "$work/bin"
for product in $EXECUTABLES; do
  # Pass 1. Linked without an order (the same symbols). valgrind 3.19 cannot read the toolchain's
  # DWARF 5: it profiles a copy without debug info (the symbols stay), as the image ships it.
  rm -f "deploy/link/$product.ld"
  "${BUILD[@]}" --product "$product" >/dev/null
  strip --strip-debug -o "$work/bin/$product" "$bin_dir/$product"
  run_idle "$product" "$work/$product.log" valgrind --tool=callgrind --demangle=no --compress-strings=no \
    --compress-pos=no --dump-instr=no --callgrind-out-file="$work/$product.callgrind" "$work/bin/$product"
  [ -s "$work/$product.callgrind" ] || { echo "no profile from $product; its log:" >&2; cat "$work/$product.log" >&2; exit 1; }
  # callgrind's file: "ob=" names the object of the "fn=" lines after it; the cost lines under a
  # fn= are "line instructions", except the one after a "calls=" line (the call's inclusive cost).
  python3 - "$work/$product.callgrind" "$product" "deploy/link/$product.order" <<'PY'
import os, re, sys
path, product, out = sys.argv[1:]
cost, ob, fn, in_call = {}, None, None, False
for line in open(path, errors="replace"):
    if line.startswith("ob="):
        ob = line[3:].strip()
    elif line.startswith("fn="):
        # "name'2" is the same function entered recursively.
        fn = line[3:].strip().split("'")[0] if ob and os.path.basename(ob) == product else None
        in_call = False
    elif line.startswith("calls="):
        in_call = True
    elif line[:1].isdigit():
        parts = line.split()
        if in_call:
            in_call = False
        elif fn and len(parts) >= 2 and parts[1].isdigit():
            cost[fn] = cost.get(fn, 0) + int(parts[1])
# Unnamed code shows as an address: deploy/link/text-layout.ld places it.
names = [n for n, _ in sorted(cost.items(), key=lambda kv: (-kv[1], kv[0]))
         if re.fullmatch(r"[\w.$]+", n) and not n.startswith("0x")]
open(out, "w").write("\n".join(names) + "\n")
print(f"{out}: {len(names)} functions run under callgrind")
PY

  # A name several objects define (local helpers: outlined copies, value witnesses, merged
  # thunks) is ordered in every object that has it, and a prebuilt archive member compiled without
  # a section per function then comes along whole (_RegexParser.o's 476 KB .text for one
  # `objectdestroyTm`). Such names go when they are all that pulls a whole .text in.
  # shellcheck disable=SC2046 # lists of flags
  "${BUILD[@]}" $(release_order_flags "$product") -Xlinker -Map="$work/$product.map" --product "$product" >/dev/null
  python3 - "$work/$product.map" "deploy/link/$product.order" "$work/$product.excluded" <<'PY'
import collections, re, sys
map_path, out, excluded_path = sys.argv[1:]
order = open(out).read().split()
ordered = set(order)
row = re.compile(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ (\s*)(.*)$")
in_text, section, members, size = False, None, collections.defaultdict(list), {}
definitions = collections.Counter()
for line in open(map_path, errors="replace"):
    m = row.match(line)
    if not m:
        continue
    indent, name = len(m.group(2)), m.group(3)
    if indent == 0:
        in_text = name == ".text"
    elif in_text and indent == 8:
        section, size[name] = name, int(m.group(1), 16)
    elif in_text and indent == 16:
        definitions[name] += 1
        if name in ordered:
            members[section].append(name)
excluded, freed = set(), 0
for section, names in members.items():
    if section.endswith(":(.text)") and all(definitions[n] > 1 for n in names):
        excluded.update(names)
        freed += size[section]
open(out, "w").write("\n".join(n for n in order if n not in excluded) + "\n")
open(excluded_path, "w").write("\n".join(sorted(excluded)) + "\n")
# Their copies compiled with a section each are placed by name instead, before .text.
script = out[: -len(".order")] + ".ld"
with open(script, "w") as f:
    f.write("/* Written by deploy/link/text-order.sh: the sections of the functions the order file cannot\n"
            "   name without pulling whole prebuilt .text sections along (see there). */\n"
            "SECTIONS\n{\n  .text.shared : {\n")
    f.writelines(f'    *(".text.{n}")\n' for n in sorted(excluded))
    f.write("  }\n}\nINSERT BEFORE .text;\n")
print(f"{out}: {len(excluded)} shared names left out ({freed // 1024} KB of whole .text sections no longer pulled in)")
PY

  # Pass 2, natively: each fault on an instruction of the binary names the function it ran.
  if ! command -v perf >/dev/null; then echo "no perf: $product's order has pass 1 only" >&2; continue; fi
  # shellcheck disable=SC2046 # lists of flags
  "${BUILD[@]}" $(release_order_flags "$product") --product "$product" >/dev/null
  nm -S --defined-only "$bin_dir/$product" >"$work/$product.nm"
  run_idle "$product" "$work/$product.perf.log" perf record -q -e page-faults -c 1 -d -o "$work/$product.perf" "$bin_dir/$product"
  perf script --show-mmap-events -i "$work/$product.perf" 2>/dev/null >"$work/$product.mmaps" || true
  perf script --no-demangle -F ip,addr,dso -i "$work/$product.perf" 2>/dev/null >"$work/$product.faults" || true
  python3 - "$work/$product" "$bin_dir/$product" "deploy/link/$product.order" <<'PY'
import bisect, re, sys
work, binary, out = sys.argv[1:]
excluded = set(open(work + ".excluded").read().split())
base = None
for line in open(work + ".mmaps", errors="replace"):
    m = re.search(r"PERF_RECORD_MMAP2 .*\[(0x[0-9a-f]+)\(0x[0-9a-f]+\) @ 0 .*\]: r..p " + re.escape(binary) + "$", line.strip())
    if m:
        base = int(m.group(1), 16)
        break
if base is None:
    sys.exit(f"{out}: no mapping of {binary} in the perf data; pass 1 only")
functions = []
for line in open(work + ".nm"):
    parts = line.split()
    if len(parts) == 4 and parts[2] in "tTwW":
        functions.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
functions.sort()
starts = [f[0] for f in functions]
order = open(out).read().split()
known, added = set(order), []
for line in open(work + ".faults", errors="replace"):
    parts = line.split()
    # "addr (dso) ip (dso)": an instruction fetch faults at its own address.
    if len(parts) < 4 or parts[0] != parts[2] or binary not in parts[1]:
        continue
    address = int(parts[0], 16) - base
    i = bisect.bisect_right(starts, address) - 1
    if i >= 0 and functions[i][0] <= address < functions[i][0] + functions[i][1]:
        name = functions[i][2]
        if name not in known and name not in excluded and re.fullmatch(r"[\w.$]+", name):
            known.add(name)
            added.append(name)
open(out, "w").write("\n".join(order + added) + "\n")
print(f"{out}: {len(added)} more from the native run's page faults ({len(order) + len(added)} in all)")
PY
done
