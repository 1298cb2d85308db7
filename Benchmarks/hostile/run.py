#!/usr/bin/env python3
"""Issue 17's aims, measured: under each hostile probe, the server's resident memory stays under
256 MB and a well-behaved client's Health/Check p99 under 5 ms.

One server (the SQLite store, the production default) serves every probe in turn. For each probe,
three things run at once in separate processes: the attacker, a prober that calls Health/Check on
its own connection every 2 ms and records each latency, and (here) a sampler of the server's
VmRSS every 20 ms. The table at the end is what docs/benchmarks.md quotes.

    python3 Benchmarks/hostile/run.py [--bin .build/release/paladin] [--seconds 5] [--only NAME ...]
"""

import argparse
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
sys.path.insert(0, HERE)

import fake_provider  # noqa: E402
import probes  # noqa: E402
import wire  # noqa: E402
from paladin_client.v1 import paladin_pb2  # noqa: E402

mp = multiprocessing.get_context("fork")  # probes are plain functions and lambdas, not pickled
RSS_AIM_MB = 256
P99_AIM_MS = 5.0


def config_text(provider_port, store_path):
    long_answer = "a" * 100_000 + "!"
    fault = lambda path: (f"{{ kind: openai, base_url: 'http://127.0.0.1:{provider_port}/{path}/v1', model: m, "
                          f"retry: {{ max_attempts: 2, initial_backoff: 10ms, max_backoff: 1s }}, "
                          f"timeouts: {{ connect: 2s, total: 10s, idle: 5s }} }}")
    return f"""
store: {{ path: "{store_path}" }}
providers:
  offline: {{ kind: scripted, default_reply: "ok" }}
  long: {{ kind: scripted, default_reply: "{long_answer}" }}
  inf: {fault("inf")}
  line: {fault("line")}
  body: {fault("body")}
paladins:
  echo: {{ provider: offline }}
  longout: {{ provider: long }}
  fault_inf: {{ provider: inf, retry: {{ max_attempts: 1 }} }}
  fault_line: {{ provider: line, retry: {{ max_attempts: 1 }} }}
  fault_body: {{ provider: body, retry: {{ max_attempts: 1 }} }}
"""


def start_server(binary, config_path):
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    process = subprocess.Popen([binary, "serve", "--config", config_path, "--port", "0", "--threads", "2",
                                "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        text = open(log.name).read()
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
        if match:
            return process, int(match.group(1)), log.name
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    sys.exit(f"server did not start:\n{open(log.name).read()}")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def prober(port, seconds, results):
    """Health/Check every 2 ms on one connection; a call that fails or takes over 5 s counts as 5 s."""
    latencies, failures = [], 0
    end = time.monotonic() + seconds
    sock, stream_id = None, 1
    while time.monotonic() < end:
        try:
            if sock is None:
                sock, stream_id = wire.handshake(port), 1
            start = time.perf_counter()
            sock.sendall(wire.health_request(stream_id))
            while True:
                frame = wire.read_frame(sock)
                if frame is None:
                    raise ConnectionError("closed")
                if frame[0] == 0x04 and frame[2] == stream_id:
                    break
            latencies.append((time.perf_counter() - start) * 1000)
            stream_id += 2
        except (OSError, ConnectionError):
            failures += 1
            latencies.append(5000.0)
            sock = None
        time.sleep(0.002)
    results.put((latencies, failures))


def attack(probe, port, seconds):
    """Runs one probe; its own failure (the server refused it harder than the probe expects) is a
    line on stderr, not a traceback."""
    try:
        probe(port, seconds)
    except Exception as error:  # noqa: BLE001 - any attacker failure is reported the same way
        print(f"  ({probe.__name__}: the attacker stopped early: {type(error).__name__}: {error})", file=sys.stderr)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def setup_catalog(port):
    """Sixteen paladins with 60 KB prompts, so a ListPaladins reply is about 1 MB."""
    sock = wire.handshake(port)
    for index in range(16):
        definition = paladin_pb2.PaladinDefinition(name=f"big-{index}", provider="offline", system_prompt="p" * 60_000)
        wire.call(sock, 2 * index + 1, "paladin.v1.PaladinService/CreatePaladin",
                  paladin_pb2.CreatePaladinRequest(definition=definition).SerializeToString())
    sock.close()


def run_probe(probe, server, port, seconds):
    results = mp.Queue()
    watcher = mp.Process(target=prober, args=(port, seconds, results))
    attacker = mp.Process(target=attack, args=(probe, port, seconds))
    base = rss_mb(server.pid)
    peak = base
    watcher.start()
    attacker.start()
    end = time.monotonic() + seconds + 1
    while time.monotonic() < end and (watcher.is_alive() or attacker.is_alive()):
        peak = max(peak, rss_mb(server.pid))
        time.sleep(0.02)
    latencies, failures = results.get(timeout=30)
    watcher.join(5)
    attacker.join(5)
    if attacker.is_alive():
        attacker.kill()
    alive = server.poll() is None
    return dict(name=probe.__name__, base=base, peak=peak, calls=len(latencies), failures=failures,
                p50=percentile(latencies, 0.5), p99=percentile(latencies, 0.99), max=max(latencies, default=0),
                alive=alive)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "paladin"))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--only", nargs="*", help="probe names to run (default: all)")
    args = parser.parse_args()
    chosen = [p for p in probes.ALL if not args.only or p.__name__ in args.only]

    provider, provider_port = fake_provider.start()
    workdir = tempfile.mkdtemp(prefix="paladin-hostile-")
    config_path = os.path.join(workdir, "hostile.yaml")
    with open(config_path, "w") as out:
        out.write(config_text(provider_port, os.path.join(workdir, "paladin.db")))
    server, port, log = start_server(args.bin, config_path)
    rows = []
    try:
        setup_catalog(port)
        quiet = run_probe(lambda port, seconds: time.sleep(seconds), server, port, args.seconds)
        quiet["name"] = "(no attack)"
        rows.append(quiet)
        for probe in chosen:
            rows.append(run_probe(probe, server, port, args.seconds))
            print(format_row(rows[-1]), flush=True)
            if not rows[-1]["alive"]:
                break
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(40)
        except subprocess.TimeoutExpired:
            server.kill()
        provider.shutdown()

    print()
    print(f"| probe | RSS before → peak (MB) | Health/Check calls | p50 ms | p99 ms | max ms | failed | aims (RSS < {RSS_AIM_MB} MB, p99 < {P99_AIM_MS:g} ms) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = 0
    for row in rows:
        ok = row["peak"] < RSS_AIM_MB and row["p99"] < P99_AIM_MS and row["alive"]
        missed += not ok
        print(f"| {row['name']} | {row['base']:.0f} → {row['peak']:.0f} | {row['calls']} | {row['p50']:.2f} | "
              f"{row['p99']:.2f} | {row['max']:.1f} | {row['failures']} | {'met' if ok else 'MISSED'} |")
    print(f"\nserver log: {log}")
    return 1 if missed else 0


def format_row(row):
    return (f"{row['name']:<24} rss {row['base']:.0f}->{row['peak']:.0f} MB  calls {row['calls']}  "
            f"p50 {row['p50']:.2f} ms  p99 {row['p99']:.2f} ms  max {row['max']:.1f} ms  failed {row['failures']}"
            f"{'' if row['alive'] else '  SERVER DIED'}")


if __name__ == "__main__":
    sys.exit(main())
