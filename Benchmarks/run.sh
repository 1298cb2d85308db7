#!/usr/bin/env bash
# Paladin RPC benchmarks beside the reference limits, in one run (docs/benchmarks.md).
#
# Builds release, starts `paladin serve --port 0 --threads 2`, runs paladin-rpc-bench (latency,
# throughput 1x64 and 8x8, with the real PaladinClient and with the raw NIO client), stops the
# server by its PID, then runs the limit-c and grpc-swift parts of ../shared/bench/run-limits.sh
# (from a writable copy), and repeats the whole thing REPEATS times, interleaved. Prints one
# summary table. All traffic is on 127.0.0.1; every load is bounded in count and time.
#
# usage: Benchmarks/run.sh
#   REPEATS=2        interleaved repeats (1..5)
#   QUICK=1          smoke run: small counts, 1 s windows, 1 repeat
#   LIMITS=0         skip the limit-c / grpc-swift comparison (paladin only)
#   EXTRAS=0         skip the extra runs (client pinned to its event loop, minimal raw request)
#   CODEC=1          also run the codec micro-benchmarks (swift package benchmark) at the end
#   SHARED_BENCH=DIR the reference benchmarks (default ../../shared/bench from here)
#   LIMITS_DIR=DIR   where the writable copy lives (default .build/shared-bench: git-ignored and
#                    kept, so the 10-20 min grpc-swift release build is paid once)
# Raw outputs: .build/results/<UTC time>/ (git-ignored); summary.md is written there too.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

REPEATS="${REPEATS:-2}"
QUICK="${QUICK:-0}"
LIMITS="${LIMITS:-1}"
EXTRAS="${EXTRAS:-1}"
CODEC="${CODEC:-0}"
SHARED_BENCH="${SHARED_BENCH:-$HERE/../../shared/bench}"
LIMITS_DIR="${LIMITS_DIR:-$HERE/.build/shared-bench}"
if [[ "$QUICK" == 1 ]]; then
  REPEATS=1; N=2000; WARM_N=200; DUR=1; WSEC=0.3
else
  N=20000; WARM_N=2000; DUR=5; WSEC=1
fi
(( REPEATS >= 1 && REPEATS <= 5 )) || { echo "REPEATS must be 1..5" >&2; exit 2; }

OUT="$HERE/.build/results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "raw results: $OUT"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

SERVER_PID=""
WATCHDOG_PID=""
GRPC_BUILD_PID=""
stop_server() {
  if [[ -n "$WATCHDOG_PID" ]]; then kill "$WATCHDOG_PID" 2>/dev/null || true; wait "$WATCHDOG_PID" 2>/dev/null || true; WATCHDOG_PID=""; fi
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  stop_server
  if [[ -n "$GRPC_BUILD_PID" ]]; then kill "$GRPC_BUILD_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel: $(uname -sr)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "swift: $(swift --version 2>/dev/null | head -1)"
  # what is measured: the working tree of the main package (others may be editing it)
  echo "paladin_head: $(git -C "$HERE/.." --no-optional-locks rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "paladin_tree_changes_outside_Benchmarks: $(git -C "$HERE/.." --no-optional-locks status --porcelain -- . ':!Benchmarks' 2>/dev/null | wc -l)"
  echo "loadavg_start: $(loadavg)"
} | tee "$OUT/machine.txt"

# ------------------------------------------------------------------ reference copy + early gRPC build
if [[ "$LIMITS" == 1 ]]; then
  mkdir -p "$LIMITS_DIR"
  # ../shared/bench is read-only: copy its sources (keeping any earlier .build in the copy).
  cp -r "$SHARED_BENCH"/. "$LIMITS_DIR"/
  chmod -R u+w "$LIMITS_DIR"
  t0=$(date +%s.%N)
  # Started first: the grpc-swift release build takes 5-20 min the first time.
  ( swift build -c release --package-path "$LIMITS_DIR/grpc-swift" >"$OUT/build-grpc-swift.log" 2>&1 \
      && echo "build_grpc_swift_release_s: $(since "$t0")" >>"$OUT/machine.txt" ) &
  GRPC_BUILD_PID=$!
fi

# ------------------------------------------------------------------ our release build
# The main package is a path dependency, so `paladin` (the server) builds here too, from the live
# tree. Others edit that tree: a build that fails because a file changed under it, or because
# SwiftPM kept a stale file list (new source files), is retried after touching our manifest,
# which makes SwiftPM plan the build again.
build_release() {
  local try
  for try in 1 2 3; do
    if swift build -c release "$@" >>"$OUT/build-benchmarks.log" 2>&1; then return 0; fi
    echo "build $* failed (try $try), retrying in 20 s" >&2
    touch "$HERE/Package.swift"
    sleep 20
  done
  echo "build $* failed, see $OUT/build-benchmarks.log" >&2
  exit 1
}
t0=$(date +%s.%N)
build_release
build_release --product paladin
BIN="$(swift build -c release --show-bin-path)"
echo "build_benchmarks_release_s: $(since "$t0")" | tee -a "$OUT/machine.txt"
BENCH="$BIN/paladin-rpc-bench"
PALADIN="$BIN/paladin"

if [[ "$LIMITS" == 1 ]]; then
  echo "waiting for the grpc-swift build (load $(loadavg)) ..."
  if ! wait "$GRPC_BUILD_PID"; then GRPC_BUILD_PID=""; echo "grpc-swift build failed, see $OUT/build-grpc-swift.log" >&2; exit 1; fi
  GRPC_BUILD_PID=""
fi

# ------------------------------------------------------------------ one paladin server, all our tests
start_server() {
  local log="$1"
  # stdbuf: `paladin serve` prints its "listening on" line with print(), which stdio buffers
  # when stdout is not a terminal; line buffering makes the port readable at once.
  stdbuf -oL "$PALADIN" serve --port 0 --threads 2 --log-level warning >"$log" 2>&1 &
  SERVER_PID=$!
  # The server has no self-exit timer: this one stops it after 15 minutes whatever happens.
  ( sleep 900; kill -TERM "$SERVER_PID" 2>/dev/null ) >/dev/null 2>&1 &
  WATCHDOG_PID=$!
  PORT=""
  for _ in $(seq 1 100); do
    PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$PORT" ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "paladin serve did not start:" >&2; cat "$log" >&2; exit 1
}

# server CPU time (user+sys) in clock ticks, from /proc/PID/stat
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
TCK="$(getconf CLK_TCK)"

# run_test NAME ARGS... : one bench line, prefixed by the load and followed by server CPU per call
run_test() {
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  local before; before="$(server_ticks)"
  local line
  line="$("$BENCH" "$@" --port "$PORT" --max-seconds 300)"
  local after; after="$(server_ticks)"
  # server CPU per call over every call the client made (warm-up included), from total_calls=
  local calls; calls="$(sed -n 's/.* total_calls=\([0-9]*\).*/\1/p' <<<"$line")"
  local srv; srv="$(awk -v a="$before" -v b="$after" -v t="$TCK" -v c="$calls" 'BEGIN { printf "%.1f", (b - a) * 1e6 / t / c }')"
  echo "test=$name load1=$load $line server_cpu_us_per_call=$srv"
}

paladin_part() {
  local r="$1"
  start_server "$OUT/paladin-server-$r.log"
  {
    echo "loadavg: $(loadavg)"
    run_test latency           latency        --n "$N" --warmup "$WARM_N"
    run_test throughput-1x64   throughput     --connections 1 --inflight 64 --duration "$DUR" --warmup "$WSEC"
    run_test throughput-8x8    throughput     --connections 8 --inflight 8  --duration "$DUR" --warmup "$WSEC"
    run_test raw-latency       raw-latency    --n "$N" --warmup "$WARM_N"
    run_test raw-throughput-1x64 raw-throughput --connections 1 --inflight 64 --duration "$DUR" --warmup "$WSEC"
    run_test raw-throughput-8x8  raw-throughput --connections 8 --inflight 8  --duration "$DUR" --warmup "$WSEC"
    if [[ "$EXTRAS" == 1 ]]; then
      run_test latency-loop         latency    --n "$N" --warmup "$WARM_N" --client-executor loop
      run_test throughput-1x64-loop throughput --connections 1 --inflight 64 --duration "$DUR" --warmup "$WSEC" --client-executor loop
      run_test throughput-8x8-loop  throughput --connections 8 --inflight 8 --duration "$DUR" --warmup "$WSEC" --client-executor loop --threads 2
      run_test raw-latency-minimal  raw-latency --n "$N" --warmup "$WARM_N" --request minimal
      run_test raw-throughput-1x64-minimal raw-throughput --connections 1 --inflight 64 --duration "$DUR" --warmup "$WSEC" --request minimal
    fi
  } | tee "$OUT/paladin-$r.txt"
  stop_server
}

limits_part() {
  local r="$1"
  echo "limits (load $(loadavg)): run-limits.sh limit-c + grpc-swift"
  local log="$OUT/run-limits-$r.log"
  QUICK="$QUICK" REPEATS=1 SKIP="langgraph" "$LIMITS_DIR/run-limits.sh" >"$log" 2>&1 || { echo "run-limits.sh failed, see $log" >&2; exit 1; }
  local dir; dir="$(sed -n 's/^raw results: //p' "$log" | head -1)"
  cp "$LIMITS_DIR/$dir/limit-c-1.txt" "$OUT/limit-c-$r.txt"
  cp "$LIMITS_DIR/$dir/grpc-swift-1.txt" "$OUT/grpc-swift-$r.txt"
  cat "$OUT/limit-c-$r.txt" "$OUT/grpc-swift-$r.txt"
}

for r in $(seq 1 "$REPEATS"); do
  echo "== repeat $r/$REPEATS (load $(loadavg))"
  if (( r % 2 == 1 )) || [[ "$LIMITS" != 1 ]]; then
    paladin_part "$r"
    [[ "$LIMITS" == 1 ]] && limits_part "$r"
  else
    limits_part "$r"
    paladin_part "$r"
  fi
done
echo "loadavg_end: $(loadavg)" | tee -a "$OUT/machine.txt"

python3 "$HERE/summarize.py" "$OUT" | tee "$OUT/summary.md"

if [[ "$CODEC" == 1 ]]; then
  echo "codec micro-benchmarks (load $(loadavg))"
  swift package benchmark --target Codec --no-progress 2>&1 | tee "$OUT/codec.txt" | sed -n '/^=====/,$p'
fi
