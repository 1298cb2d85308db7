"""Fixtures: a real `paladin serve` on a free port, started for the tests.

The binary is $PALADIN_BIN, by default .build/debug/paladin at the repository root (built by
scripts/test). The server prints "paladin <version> listening on <host>:<port>" once bound.
"""

from __future__ import annotations

import os
import pathlib
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "clients" / "python"))

LISTENING = re.compile(r"listening on (\S+):(\d+)")


class Server:
    """A running `paladin serve --port 0`; stdout is drained in the background."""

    def __init__(self, extra_args=(), config=None, workdir=None) -> None:
        """`config`: YAML text written to <workdir>/paladin.yaml and passed as --config.
        `workdir`: reuse a directory (e.g. to restart on the same store); default a fresh one."""
        binary = os.environ.get("PALADIN_BIN", str(ROOT / ".build" / "debug" / "paladin"))
        if not os.path.exists(binary):
            pytest.fail(f"paladin binary not found at {binary}; build it or set PALADIN_BIN")
        # A fresh working directory: whatever the server stores (e.g. .paladin/) goes there.
        self.workdir = workdir or tempfile.mkdtemp(prefix="paladin-pytest-")
        if config is not None:
            config_path = os.path.join(self.workdir, "paladin.yaml")
            with open(config_path, "w", encoding="utf-8") as f:
                f.write(config)
            extra_args = ("--config", config_path, *extra_args)
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "warning", *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, cwd=self.workdir)
        self.output: list = []
        deadline = time.monotonic() + 60
        self.host, self.port = None, None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            match = LISTENING.search(line)
            if match:
                self.host, self.port = match.group(1), int(match.group(2))
                break
        if self.port is None:
            self.process.kill()
            pytest.fail("paladin serve did not print its listening line:\n" + "".join(self.output))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self, sig=signal.SIGTERM, timeout: float = 40, keep_workdir: bool = False) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            if not keep_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture()
def fresh_server():
    """A server of its own, for tests that shut it down."""
    srv = Server()
    yield srv
    srv.stop(signal.SIGKILL)


# The orchestration server: the deterministic scripted provider (no model), in-memory store.
# `offline` echoes the input unless a paladin has replies; `slow` answers after 30 s, so runs on
# it only end by CancelRun or a deadline.
ORCHESTRATION_CONFIG = """
store:
  path: ":memory:"
providers:
  offline:
    kind: scripted
    replies:
      synthesis: ["merged review"]
      poet: ["roses are red, violets are blue"]
      writer: ["draft"]
  slow:
    kind: scripted
    default_reply: "too late"
    delay: 30s
paladins:
  intake: {provider: offline}
  security: {provider: offline}
  performance: {provider: offline}
  style: {provider: offline}
  synthesis: {provider: offline}
  poet: {provider: offline}
  writer: {provider: offline, system_prompt: "Write a draft."}
  editor: {provider: offline}
  sloth-x: {provider: slow}
  sloth-y: {provider: slow}
  sloth-z: {provider: slow}
battalions:
  review:
    maneuver: "intake -> (security, performance, style) -> synthesis"
  pipeline:
    formation: {members: [writer, editor]}
  sloths:
    phalanx: {members: [sloth-x, sloth-y, sloth-z], aggregation: collect_all}
  doomed:
    formation: {members: [writer, sloth-x, editor]}
"""


@pytest.fixture(scope="session")
def orchestration_server():
    """`paladin serve --config` with scripted paladins and battalions (ORCHESTRATION_CONFIG)."""
    srv = Server(config=ORCHESTRATION_CONFIG)
    yield srv
    srv.stop()


@pytest.fixture()
def orch(orchestration_server):
    import paladin_client as pc
    with pc.connect(orchestration_server.host, orchestration_server.port, agent="pytest-orchestration/1.0") as c:
        yield c


@pytest.fixture()
def conn(server):
    import paladin_client as pc
    with pc.connect(server.host, server.port, agent="pytest/1.0") as c:
        yield c


def golden_vectors() -> dict:
    """name -> bytes, from the conformance vectors shared with the Swift and C tests."""
    path = ROOT / "Tests" / "PaladinWireTests" / "Fixtures" / "golden-frames.txt"
    vectors = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, hexed = line.split(" ")
        vectors[name] = bytes.fromhex(hexed)
    return vectors
