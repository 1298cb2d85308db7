#!/usr/bin/env python3
"""Summary table of one Benchmarks/run.sh results folder (Markdown on stdout).

Cells are "median [min..max]" over the repeats (with 2 repeats the median is their mean).
Reads paladin-N.txt (our runs), limit-c-N.txt and grpc-swift-N.txt (copied from
../shared/bench/run-limits.sh results). Standard library only.
usage: summarize.py RESULTS_DIR [RESULTS_DIR ...]   (several folders are pooled)
"""
from __future__ import annotations

import glob
import os
import re
import statistics
import sys


def kv(line: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=([^\s]+)", line))


def collect(dirs: list[str]) -> dict[str, list[float]]:
    m: dict[str, list[float]] = {}

    def add(key: str, val) -> None:
        m.setdefault(key, []).append(float(val))

    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "paladin-[0-9]*.txt"))):
            for ln in open(p).read().splitlines():
                k = kv(ln)
                t = k.get("test")
                if not t:
                    continue
                for f in ("p50_us", "p99_us", "p999_us", "rps", "client_cpu_us_per_call",
                          "server_cpu_us_per_call", "load1"):
                    if f in k:
                        add(f"p_{t}_{f}", k[f])
        for p in sorted(glob.glob(os.path.join(d, "limit-c-[0-9]*.txt"))):
            for ln in open(p).read().splitlines():
                k = kv(ln)
                if k.get("mode") == "latency" and k.get("payload") == "64":
                    for f in ("p50_us", "p99_us", "p999_us"):
                        add(f"c_lat_{f}", k[f])
                elif k.get("mode") == "pipeline" and k.get("payload") == "64":
                    add("c_pipe_rps_t1" if k.get("threads") == "1" else "c_pipe_rps", k["rps"])
                elif ln.startswith("loadavg:"):
                    add("c_load1", ln.split()[1])
        for p in sorted(glob.glob(os.path.join(d, "grpc-swift-[0-9]*.txt"))):
            for ln in open(p).read().splitlines():
                k = kv(ln)
                if ln.startswith("grpc-swift latency:") and k.get("coalesce", "on") == "on":
                    for f in ("p50_us", "p99_us", "p999_us"):
                        add(f"g_lat_{f}", k[f])
                elif ln.startswith("grpc-swift throughput:") and k.get("coalesce", "on") == "on" \
                        and k.get("payload", "").rstrip("B") == "64":
                    add(f"g_tp_{k['concurrency']}c_{k['connections']}conn", k["rps"])
                elif ln.startswith("loadavg:"):
                    add("g_load1", ln.split()[1])
    return m


def fmt(x: float) -> str:
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.1f}"


def cell(m, key, bold=False) -> str:
    v = m.get(key)
    if not v:
        return "—"
    med = statistics.median(v)
    s = fmt(med)
    if bold:
        s = f"**{s}**"
    if len(v) > 1:
        s += f" [{fmt(min(v))}..{fmt(max(v))}]"
    return s


def ratio(m, a, b, inverse=False) -> str:
    va, vb = m.get(a), m.get(b)
    if not va or not vb:
        return "—"
    x = statistics.median(va) / statistics.median(vb)
    # per-repeat ratios show the spread when the repeats pair up
    per = [x1 / x2 for x1, x2 in zip(va, vb)]
    s = f"{x:.2f}x" if x < 10 else f"{x:.0f}x"
    if len(per) > 1:
        lo, hi = min(per), max(per)
        s += f" [{lo:.2f}..{hi:.2f}]" if hi < 10 else f" [{lo:.0f}..{hi:.0f}]"
    return s


def main() -> None:
    dirs = sys.argv[1:]
    if not dirs:
        print(__doc__)
        sys.exit(2)
    m = collect(dirs)
    n = max((len(v) for k, v in m.items() if k.startswith("p_latency_p50")), default=0)
    print(f"Paladin RPC (Health/Check) vs the reference limits, {n} repeat(s); cells: median [min..max]\n")
    print("| metric | Paladin, PaladinClient | Paladin, raw NIO client | C limit (limit-c) | grpc-swift-2 | ratios (aim) |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for f, label in (("p50_us", "ping-pong p50 (µs)"), ("p99_us", "ping-pong p99 (µs)"), ("p999_us", "ping-pong p99.9 (µs)")):
        extra = ""
        if f == "p50_us":
            extra = (f"client/C {ratio(m, 'p_latency_p50_us', 'c_lat_p50_us')}; raw/C {ratio(m, 'p_raw-latency_p50_us', 'c_lat_p50_us')}"
                     " (aim ≤ 2x)")
        elif f == "p99_us":
            extra = f"client/C {ratio(m, 'p_latency_p99_us', 'c_lat_p99_us')}; raw/C {ratio(m, 'p_raw-latency_p99_us', 'c_lat_p99_us')}"
        print(f"| {label} | {cell(m, f'p_latency_{f}', f == 'p50_us')} | {cell(m, f'p_raw-latency_{f}')} | "
              f"{cell(m, f'c_lat_{f}')} | {cell(m, f'g_lat_{f}')} | {extra} |")
    print(f"| throughput, 64 in flight on 1 connection (calls/s): Paladin 1x64; gRPC 64 callers/1 conn; C 64 conns x 16 | "
          f"{cell(m, 'p_throughput-1x64_rps', True)} | {cell(m, 'p_raw-throughput-1x64_rps')} | {cell(m, 'c_pipe_rps')} | "
          f"{cell(m, 'g_tp_64c_1conn')} | client/gRPC {ratio(m, 'p_throughput-1x64_rps', 'g_tp_64c_1conn')}; "
          f"raw/gRPC {ratio(m, 'p_raw-throughput-1x64_rps', 'g_tp_64c_1conn')} (aim ≥ 10x); raw/C {ratio(m, 'p_raw-throughput-1x64_rps', 'c_pipe_rps')} |")
    print(f"| throughput, 8 connections x 8 (calls/s); gRPC 64 callers/4 conns | "
          f"{cell(m, 'p_throughput-8x8_rps', True)} | {cell(m, 'p_raw-throughput-8x8_rps')} | — | "
          f"{cell(m, 'g_tp_64c_4conn')} | client/gRPC {ratio(m, 'p_throughput-8x8_rps', 'g_tp_64c_4conn')}; "
          f"raw/gRPC {ratio(m, 'p_raw-throughput-8x8_rps', 'g_tp_64c_4conn')} (aim ≥ 10x) |")
    print(f"| server CPU per call (µs): ping-pong / 1x64 / 8x8 | "
          f"{cell(m, 'p_latency_server_cpu_us_per_call')} / {cell(m, 'p_throughput-1x64_server_cpu_us_per_call')} / {cell(m, 'p_throughput-8x8_server_cpu_us_per_call')} | "
          f"{cell(m, 'p_raw-latency_server_cpu_us_per_call')} / {cell(m, 'p_raw-throughput-1x64_server_cpu_us_per_call')} / {cell(m, 'p_raw-throughput-8x8_server_cpu_us_per_call')} | — | — | |")
    print(f"| client CPU per call (µs): ping-pong / 1x64 / 8x8 | "
          f"{cell(m, 'p_latency_client_cpu_us_per_call')} / {cell(m, 'p_throughput-1x64_client_cpu_us_per_call')} / {cell(m, 'p_throughput-8x8_client_cpu_us_per_call')} | "
          f"{cell(m, 'p_raw-latency_client_cpu_us_per_call')} / {cell(m, 'p_raw-throughput-1x64_client_cpu_us_per_call')} / {cell(m, 'p_raw-throughput-8x8_client_cpu_us_per_call')} | — | — | |")
    print(f"| 1-min load average when the part started | {cell(m, 'p_latency_load1')} | {cell(m, 'p_raw-latency_load1')} | "
          f"{cell(m, 'c_load1')} | {cell(m, 'g_load1')} | |")

    extras = [
        ("latency-loop", "PaladinClient, callers pinned to the connection's event loop: ping-pong"),
        ("throughput-1x64-loop", "PaladinClient pinned: 1x64"),
        ("throughput-8x8-loop", "PaladinClient pinned (2 client loops): 8x8"),
        ("raw-latency-minimal", "raw client, minimal Request (method only, as PaladinClient sends): ping-pong"),
        ("raw-throughput-1x64-minimal", "raw client, minimal Request: 1x64"),
    ]
    if any(f"p_{t}_load1" in m for t, _ in extras):
        print("\nExtra runs (same server, same repeat):\n")
        print("| run | p50 / p99 / p99.9 (µs) | calls/s | server CPU/call (µs) | client CPU/call (µs) |")
        print("| --- | --- | ---: | ---: | ---: |")
        for t, label in extras:
            if f"p_{t}_load1" not in m:
                continue
            lat = "—"
            if f"p_{t}_p50_us" in m:
                lat = f"{cell(m, f'p_{t}_p50_us')} / {cell(m, f'p_{t}_p99_us')} / {cell(m, f'p_{t}_p999_us')}"
            print(f"| {label} | {lat} | {cell(m, f'p_{t}_rps')} | {cell(m, f'p_{t}_server_cpu_us_per_call')} | "
                  f"{cell(m, f'p_{t}_client_cpu_us_per_call')} |")


if __name__ == "__main__":
    main()
