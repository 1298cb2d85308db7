"""Python client benchmark: Paladin's Python client against `paladin serve`, beside grpcio
against a grpcio server (grpc_server.py), same machine, same run, same messages.

Workload: unary Health/Check (HealthCheckRequest{} -> HealthCheckResponse{SERVING}).
  sync-1      blocking client, 1 call in flight (one thread)
  sync-N      blocking client, N threads sharing one connection / channel
  async-1     asyncio client, 1 call in flight
  async-N     asyncio client, N tasks sharing one connection / channel
Each cell runs for --seconds after a warm-up, alternating Paladin and grpcio, --rounds times;
the table reports the median round (calls/s) and the p50 / p99 call latency of that round, and
the client process's CPU time per call (median of the rounds; the servers run in other
processes), which depends much less on machine load than the rates do.

Needs grpcio (not a project dependency): run with a venv that has it, e.g.
    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install grpcio "protobuf>=4.21,<6"
    /tmp/bench-venv/bin/python Benchmarks/python/bench.py [--seconds 3] [--rounds 3] [-n 32]
PALADIN_BIN (default .build/debug/paladin; a release build is fairer: swift build -c release).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "clients" / "python"))

import grpc  # noqa: E402

import paladin_client as pc  # noqa: E402
from paladin_client.v1 import health_pb2  # noqa: E402

REQ = health_pb2.HealthCheckRequest()
METHOD = "/paladin.v1.Health/Check"


def start(cmd) -> tuple[subprocess.Popen, int]:
    # A fresh working directory, so whatever the server stores (.paladin/) stays out of the repo.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=tempfile.mkdtemp(prefix="paladin-bench-"))
    for line in proc.stdout:
        match = re.search(r"listening on \S+:(\d+)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, int(match.group(1))
    raise SystemExit(f"{cmd[0]} did not start")


def summarize(latencies: list, elapsed: float, cpu: float) -> dict:
    """cpu: CPU seconds of this (client) process during the run; the servers run elsewhere."""
    latencies.sort()
    return {"rate": len(latencies) / elapsed, "p50": latencies[len(latencies) // 2] * 1e6,
            "p99": latencies[int(len(latencies) * 0.99)] * 1e6, "cpu": cpu / len(latencies) * 1e6}


def run_threads(call, threads: int, seconds: float) -> dict:
    stop = time.perf_counter() + seconds
    results = []

    def worker():
        mine = []
        clock = time.perf_counter
        while True:
            t0 = clock()
            if t0 >= stop:
                break
            call()
            mine.append(clock() - t0)
        results.append(mine)

    start_t, cpu0 = time.perf_counter(), time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return summarize([x for r in results for x in r], time.perf_counter() - start_t, time.process_time() - cpu0)


async def run_tasks(call, tasks: int, seconds: float) -> dict:
    loop_clock = time.perf_counter
    stop = loop_clock() + seconds
    latencies: list = []

    async def worker():
        while True:
            t0 = loop_clock()
            if t0 >= stop:
                return
            await call()
            latencies.append(loop_clock() - t0)

    start_t, cpu0 = loop_clock(), time.process_time()
    await asyncio.gather(*[worker() for _ in range(tasks)])
    return summarize(latencies, loop_clock() - start_t, time.process_time() - cpu0)


def bench_sync(name, paladin_port, grpc_port, threads, seconds):
    if name == "paladin":
        conn = pc.connect("127.0.0.1", paladin_port)
        call = conn.health.check
        run_threads(call, threads, min(1.0, seconds))  # warm-up
        result = run_threads(call, threads, seconds)
        conn.close()
    else:
        channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
        stub = channel.unary_unary(METHOD, request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
                                   response_deserializer=health_pb2.HealthCheckResponse.FromString)
        call = lambda: stub(REQ)  # noqa: E731
        run_threads(call, threads, min(1.0, seconds))
        result = run_threads(call, threads, seconds)
        channel.close()
    return result


def bench_async(name, paladin_port, grpc_port, tasks, seconds):
    async def main():
        if name == "paladin":
            conn = await pc.connect_async("127.0.0.1", paladin_port)
            call = conn.health.check
            await run_tasks(call, tasks, min(1.0, seconds))
            result = await run_tasks(call, tasks, seconds)
            await conn.close()
        else:
            channel = grpc.aio.insecure_channel(f"127.0.0.1:{grpc_port}")
            stub = channel.unary_unary(METHOD, request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
                                       response_deserializer=health_pb2.HealthCheckResponse.FromString)
            call = lambda: stub(REQ)  # noqa: E731
            await run_tasks(call, tasks, min(1.0, seconds))
            result = await run_tasks(call, tasks, seconds)
            await channel.close()
        return result
    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-n", type=int, default=32, help="calls in flight for the -N cells")
    args = parser.parse_args()
    binary = os.environ.get("PALADIN_BIN", str(ROOT / ".build" / "debug" / "paladin"))
    paladin, paladin_port = start([binary, "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "warning"])
    grpc_server, grpc_port = start([sys.executable, str(pathlib.Path(__file__).with_name("grpc_server.py"))])
    load_before = os.getloadavg()
    cells = [("sync-1", bench_sync, 1), (f"sync-{args.n}", bench_sync, args.n),
             ("async-1", bench_async, 1), (f"async-{args.n}", bench_async, args.n)]
    rows = []
    try:
        for label, fn, inflight in cells:
            rounds = {"paladin": [], "grpcio": []}
            for _ in range(args.rounds):
                for name in ("paladin", "grpcio"):
                    rounds[name].append(fn(name, paladin_port, grpc_port, inflight, args.seconds))
            for name in ("paladin", "grpcio"):
                ordered = sorted(rounds[name], key=lambda r: r["rate"])
                med = ordered[len(ordered) // 2]
                cpu = statistics.median(r["cpu"] for r in rounds[name])
                rows.append((label, name, med["rate"], med["p50"], med["p99"], cpu, [round(r["rate"]) for r in rounds[name]]))
                print(f"{label:9} {name:8} {med['rate']:9.0f} calls/s  p50 {med['p50']:8.0f} us  p99 {med['p99']:8.0f} us  "
                      f"client CPU {cpu:6.0f} us/call  "
                      f"rounds {[round(r['rate']) for r in rounds[name]]}", flush=True)
    finally:
        paladin.terminate()
        grpc_server.terminate()
        paladin.wait()
        grpc_server.wait()
    load_after = os.getloadavg()
    print(f"\nload average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; cores {os.cpu_count()}; "
          f"python {sys.version.split()[0]}, grpcio {grpc.__version__}, paladin binary {binary}")
    print("\n| workload | client | calls/s (median round) | p50 µs | p99 µs | client CPU µs/call | rounds (calls/s) |")
    print("|---|---|---:|---:|---:|---:|---|")
    for label, name, rate, p50, p99, cpu, rr in rows:
        print(f"| {label} | {name} | {rate:.0f} | {p50:.0f} | {p99:.0f} | {cpu:.0f} | {rr} |")


if __name__ == "__main__":
    main()
