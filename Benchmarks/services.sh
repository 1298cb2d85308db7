#!/usr/bin/env bash
# Paladin and Battalion services through the server (docs/benchmarks-services.md): the server on
# configs/scripted.yaml (zero-latency ScriptedProvider: no model), the real PaladinClient.
#
#   Benchmarks/services.sh            # N=20000 latency samples, 5 s throughput windows
#   QUICK=1 Benchmarks/services.sh    # smoke run
#
# Runs, each against a fresh server: Health/Check latency (the transport baseline), Execute
# latency, Execute throughput with 64 in flight on one connection, and Run of a 5-member
# Formation and Phalanx (latency, and 64 in flight). Raw lines in .build/results/services-<time>/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
if [[ "${QUICK:-0}" == 1 ]]; then N=2000; W=200; DUR=1; else N=20000; W=2000; DUR=5; fi
OUT="$HERE/.build/results/services-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
swift build -c release --product paladin >&2
swift build -c release --product paladin-rpc-bench >&2
BIN="$(swift build -c release --show-bin-path)"

run() {  # run NAME BENCH-ARGS...: one fresh server, one bench line
  local name=$1; shift
  local log="$OUT/$name.server.log"
  "$BIN/paladin" serve --config configs/scripted.yaml --port 0 --threads 2 --log-level warning >"$log" 2>&1 &
  local pid=$!
  local port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { cat "$log" >&2; kill "$pid"; exit 1; }
  local line
  line=$("$BIN/paladin-rpc-bench" "$@" --port "$port")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "name=$name $line" | tee -a "$OUT/lines.txt"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"
run health-latency     latency    --n "$N" --warmup "$W" --call health
run execute-latency    latency    --n "$N" --warmup "$W" --call execute
run execute-64         throughput --inflight 64 --duration "$DUR" --warmup 1 --call execute
run formation5-latency latency    --n "$((N / 4))" --warmup "$((W / 4))" --call formation
run phalanx5-latency   latency    --n "$((N / 4))" --warmup "$((W / 4))" --call phalanx
run formation5-64      throughput --inflight 64 --duration "$DUR" --warmup 1 --call formation
run phalanx5-64        throughput --inflight 64 --duration "$DUR" --warmup 1 --call phalanx
run startrun5-latency  latency    --n "$((N / 4))" --warmup "$((W / 4))" --call start-run
run replay100-latency  latency    --n "$((N / 20))" --warmup "$((W / 20))" --call replay100
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
echo "results in $OUT" >&2
