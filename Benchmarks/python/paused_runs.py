"""Server memory held by runs that wait for approval (issue 18's aim: under 4 KB each beyond
the stored row, and no task). Starts `paladin serve` on a SQLite file with a battalion whose
second member needs approval, pauses --runs runs with StartRun, and reports the server's RSS
growth per paused run (after a warm-up of 100 paused runs, so one-time allocations are not
counted). The same count of runs that complete without pausing (two steps, stored alike) is
measured on a fresh server as the baseline: what storing a run's row costs in memory (SQLite's
page cache, the allocator). Then approves the paused runs and checks they complete.

    python3 Benchmarks/python/paused_runs.py [--runs 1000]
PALADIN_BIN (default .build/release/paladin when present, else .build/debug/paladin).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "clients" / "python"))

import paladin_client as pc  # noqa: E402
from paladin_client.v1 import battalion_pb2 as B  # noqa: E402

CONFIG = """
store: { path: "%s" }
providers: { offline: { kind: scripted, default_reply: "ok" } }
paladins:
  writer: { provider: offline }
  publisher: { provider: offline, approval: { when: before_run, reason: "publish {input}?" } }
battalions:
  release: { formation: { members: [writer, publisher] } }
  plain: { formation: { members: [writer, writer] } }
"""


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def threads(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"Threads:\s+(\d+)", f.read()).group(1))


def pause(c, count: int, battalion: str = "release") -> list[str]:
    ids = [c.battalion.start_run(battalion=battalion, input=f"note {i}").id for i in range(count)]
    deadline = time.time() + 60
    settled = B.RUN_STATUS_WAITING_APPROVAL if battalion == "release" else B.RUN_STATUS_COMPLETED
    for run_id in ids:
        while c.battalion.get_run(id=run_id).status != settled:
            if time.time() > deadline:
                raise SystemExit(f"run {run_id} did not pause")
            time.sleep(0.001)
    return ids


def measure(binary: str, battalion: str, runs: int, then=None) -> tuple[float, int, int]:
    """RSS growth per run of `battalion` after a warm-up, and the thread counts around it."""
    with tempfile.TemporaryDirectory() as work:
        config = pathlib.Path(work) / "paladin.yaml"
        config.write_text(CONFIG % (pathlib.Path(work) / "paladin.db"))
        server = subprocess.Popen([binary, "serve", "--config", str(config), "--port", "0", "--log-level", "warning"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=work)
        try:
            port = None
            for line in server.stdout:
                if m := re.search(r"listening on [^ ]*:(\d+)", line):
                    port = int(m.group(1))
                    break
            with pc.connect("127.0.0.1", port) as c:
                pause(c, 100, battalion)  # warm-up
                time.sleep(0.5)
                before, threads_before = rss_kib(server.pid), threads(server.pid)
                ids = pause(c, runs, battalion)
                time.sleep(0.5)
                after, threads_after = rss_kib(server.pid), threads(server.pid)
                if then:
                    then(c, ids)
                return (after - before) * 1024 / runs, threads_before, threads_after
        finally:
            server.terminate()
            server.wait(30)


def approve_all(c, ids: list[str]) -> None:
    for run_id in ids:
        c.battalion.approve_step(run_id=run_id, step="publisher#1", decision=B.APPROVAL_DECISION_APPROVED)
    for run_id in ids:
        assert c.battalion.run(attach_run_id=run_id, timeout=60).status == B.RUN_STATUS_COMPLETED
    print(f"approved and completed: {len(ids)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    release = ROOT / ".build" / "release" / "paladin"
    binary = os.environ.get("PALADIN_BIN") or str(release if release.exists() else ROOT / ".build" / "debug" / "paladin")
    stored, _, _ = measure(binary, "plain", args.runs)
    paused, threads_before, threads_after = measure(binary, "release", args.runs, approve_all)
    print(f"runs={args.runs} bytes_per_completed_run={stored:.0f} bytes_per_paused_run={paused:.0f} "
          f"beyond_the_stored_row={paused - stored:.0f} threads_before={threads_before} threads_after={threads_after}")


if __name__ == "__main__":
    main()
