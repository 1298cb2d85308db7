#!/usr/bin/env bash
# Where a Health/Check call's server cost goes (docs/benchmarks.md, "Findings"). Needs the release
# build of run.sh (.build/release/{paladin,paladin-rpc-bench}); about 1 minute; 127.0.0.1 only.
#   1. server syscalls per call (strace -f -c attached to the server): ping-pong and pipelined
#   2. heap allocations per call, server and client (a uprobe on glibc malloc via `perf probe`;
#      needs root; the probe is removed at the end)
#   3. a CPU profile of the server while pipelining 1x64 (perf record -e cpu-clock, dwarf unwinding)
# Output: .build/probe/<UTC time>/ and a summary on stdout. Any step whose tool is missing is skipped.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$HERE/.build/release"
OUT="$HERE/.build/probe/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
[[ -x "$BIN/paladin" && -x "$BIN/paladin-rpc-bench" ]] || { echo "build first: Benchmarks/run.sh (or swift build -c release; swift build -c release --product paladin)" >&2; exit 1; }
LIBC="$(ldconfig -p | awk '/libc\.so\.6 .*x86-64|libc\.so\.6 \(libc6,x86-64/ {print $NF; exit}')"

SERVER_PID=""
PROBES_ADDED=0
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ "$PROBES_ADDED" == 1 ]]; then perf probe -q -d 'probe_libc:malloc' 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stdbuf -oL "$BIN/paladin" serve --port 0 --threads 2 --log-level warning >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$OUT/server.log" | head -1)"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || { echo "server did not start" >&2; cat "$OUT/server.log" >&2; exit 1; }
bench() { "$BIN/paladin-rpc-bench" "$@" --port "$PORT" --max-seconds 120; }
calls_of() { sed -n 's/.* total_calls=\([0-9]*\).*/\1/p' <<<"$1"; }
bench raw-latency --n 2000 --warmup 200 >/dev/null   # warm the server up

LAT=(raw-latency --n 20000 --warmup 0)
P1=(raw-throughput --connections 1 --inflight 64 --duration 3 --warmup 0)
P8=(raw-throughput --connections 8 --inflight 8 --duration 3 --warmup 0)

echo "== server syscalls per call (strace -f -c)"
if command -v strace >/dev/null; then
  for name in LAT P1 P8; do
    declare -n args="$name"
    timeout 120 strace -f -c -o "$OUT/strace-$name.txt" -p "$SERVER_PID" 2>/dev/null & sp=$!
    sleep 1
    line="$(bench "${args[@]}")"; sleep 0.3
    kill -INT "$sp" 2>/dev/null; wait "$sp" 2>/dev/null || true
    calls="$(calls_of "$line")"
    awk -v c="$calls" -v n="${args[*]}" '$NF ~ /^(epoll_wait|read|write|writev|futex|timerfd_settime|epoll_ctl)$/ { s = s sprintf(" %s=%.3f", $NF, $4 / c) } END { print n ": calls=" c s }' "$OUT/strace-$name.txt"
  done
else
  echo "(strace not found, skipped)"
fi

echo "== heap allocations per call (uprobe on malloc in $LIBC)"
if command -v perf >/dev/null && [[ -n "$LIBC" ]] && perf probe -q -x "$LIBC" --add malloc 2>/dev/null; then
  PROBES_ADDED=1
  for name in LAT P1 P8; do
    declare -n args="$name"
    timeout 120 perf stat -e probe_libc:malloc -p "$SERVER_PID" -o "$OUT/malloc-server-$name.txt" & sp=$!
    sleep 0.5
    line="$(bench "${args[@]}")"; sleep 0.3
    kill -INT "$sp" 2>/dev/null; wait "$sp" 2>/dev/null || true
    m="$(awk '/probe_libc:malloc/ {gsub(",", "", $1); print $1}' "$OUT/malloc-server-$name.txt")"
    echo "server, ${args[*]}: $(awk -v m="$m" -v c="$(calls_of "$line")" 'BEGIN { printf "%.2f mallocs/call (%d calls)", m / c, c }')"
  done
  # client side: the difference between 12,000 and 2,000 calls removes start-up and connect
  for mode in "latency --client-executor global" "latency --client-executor loop" "raw-latency"; do
    for n in 2000 12000; do
      perf stat -e probe_libc:malloc -o "$OUT/malloc-client.txt" -- "$BIN/paladin-rpc-bench" $mode --n "$n" --warmup 0 --port "$PORT" >/dev/null
      eval "m$n=$(awk '/probe_libc:malloc/ {gsub(",", "", $1); print $1}' "$OUT/malloc-client.txt")"
    done
    echo "client, $mode: $(awk -v a="$m2000" -v b="$m12000" 'BEGIN { printf "%.2f mallocs/call", (b - a) / 10000 }')"
  done
  perf probe -q -d 'probe_libc:malloc' 2>/dev/null || true
  PROBES_ADDED=0
else
  echo "(perf probe unavailable, skipped)"
fi

echo "== server CPU profile, pipelined 1x64 (perf record -e cpu-clock)"
if command -v perf >/dev/null; then
  timeout 120 perf record -q -e cpu-clock -F 999 --call-graph dwarf,16384 -p "$SERVER_PID" -o "$OUT/perf.data" 2>/dev/null & sp=$!
  sleep 1
  bench "${P1[@]}" >/dev/null; sleep 0.3
  kill -INT "$sp" 2>/dev/null; wait "$sp" 2>/dev/null || true
  demangle() { if command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; }
  echo "-- self time, top 25"
  perf report -i "$OUT/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -25 | demangle | cut -c1-150 | tee "$OUT/profile-self.txt" || true
  echo "-- inclusive time of Paladin's own functions and their hot callees"
  perf report -i "$OUT/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | demangle \
    | grep -E 'ServerConnection|ProtoMessage|FrameHeader|FrameParser|registerInline|FrameOutbox|swift_beginAccess|_swift_getGenericMetadata|protobuf_c|StringFieldValidator|CArena|malloc' \
    | head -30 | cut -c1-150 | tee "$OUT/profile-inclusive.txt" || true
else
  echo "(perf not found, skipped)"
fi
echo "raw outputs: $OUT"
