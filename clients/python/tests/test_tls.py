"""TLS against the real server: the sync and asyncio clients, mTLS, principals, SIGHUP reload,
and what `openssl s_client` sees on the port."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import ROOT, Server
import paladin_client as pc

TLS = ROOT / "Tests" / "Fixtures" / "tls"


def tls_config(workdir: str, client_certificates: str = "none", auth: str = "") -> str:
    """server.tls pointing at copies of the fixtures in `workdir` (so a test can swap them)."""
    for name in ("server.pem", "server.key"):
        shutil.copy(TLS / name, os.path.join(workdir, name))
    lines = [
        "server:",
        "  tls:",
        f"    cert_file: {workdir}/server.pem",
        f"    key_file: {workdir}/server.key",
    ]
    if client_certificates != "none":
        lines += [f"    client_ca_file: {TLS / 'ca.pem'}", f"    client_certificates: {client_certificates}"]
    return "\n".join(lines) + "\n" + auth


def start(client_certificates: str = "none", auth: str = "", env=None) -> Server:
    import tempfile
    workdir = tempfile.mkdtemp(prefix="paladin-pytest-tls-")
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        return Server(config=tls_config(workdir, client_certificates, auth), workdir=workdir)
    finally:
        os.environ.clear()
        os.environ.update(old)


def context(identity: str | None = None):
    return pc.tls_context(ca_file=str(TLS / "ca.pem"),
                          cert_file=str(TLS / f"{identity}.pem") if identity else None,
                          key_file=str(TLS / f"{identity}.key") if identity else None)


def presented_subject(port: int) -> str:
    """The subject line of the certificate `openssl s_client` is shown on the port."""
    result = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", str(TLS / "ca.pem"),
         "-verify_return_error", "-brief"],
        input="", capture_output=True, text=True, timeout=20)
    out = result.stdout + result.stderr
    for line in out.splitlines():
        if line.startswith("Peer certificate:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no peer certificate in openssl s_client output:\n{out}")


def test_sync_and_asyncio_clients_over_tls():
    server = start()
    try:
        with pc.connect(server.host, server.port, ssl_context=context(), server_hostname="localhost") as conn:
            assert conn.health.check().status == pc.health_pb2.SERVING_STATUS_SERVING
            # Large messages cross many TLS records both ways, with calls in flight from threads.
            big = "x" * 300_000
            E = pc.garrison_pb2.GarrisonEntry
            conn.garrison.append(session_id="tls", entries=[E(role=pc.garrison_pb2.ROLE_USER, content=big)])
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(8) as pool:
                pages = list(pool.map(lambda _: conn.garrison.history(session_id="tls"), range(16)))
            assert all(page.entries[0].content == big for page in pages)

        async def go():
            conn = await pc.connect_async(server.host, server.port, ssl_context=context())
            async with conn:
                return (await conn.health.check()).status
        assert asyncio.run(go()) == pc.health_pb2.SERVING_STATUS_SERVING

        with pytest.raises(pc.PaladinError) as refused:
            pc.connect(server.host, server.port, ssl_context=pc.tls_context(ca_file=str(TLS / "other-ca.pem")))
        assert refused.value.code == pc.StatusCode.UNAVAILABLE
        assert "TLS handshake" in refused.value.message
        assert "CN = paladin-test-server" in presented_subject(server.port) or "CN=paladin-test-server" in presented_subject(server.port)
    finally:
        server.stop()


def test_mtls_required_and_refused():
    server = start("require")
    try:
        with pc.connect(server.host, server.port, ssl_context=context("client")) as conn:
            assert conn.health.check().status == pc.health_pb2.SERVING_STATUS_SERVING
        for identity in (None, "stranger"):
            with pytest.raises((pc.PaladinError, OSError)):
                with pc.connect(server.host, server.port, ssl_context=context(identity), connect_timeout=5) as conn:
                    conn.health.check(timeout=5)
    finally:
        server.stop()


def test_principals_over_tls_token_and_certificate():
    token = "py-reader-token-0123456789"
    auth = (
        "auth:\n"
        "  principals:\n"
        "    svc-a: {tenant: acme, role: operator, mtls: svc-a}\n"
        f"    ci: {{tenant: acme, role: reader, token_sha256: {hashlib.sha256(token.encode()).hexdigest()}}}\n"
    )
    server = start("optional", auth)
    try:
        with pc.connect(server.host, server.port, ssl_context=context(), auth_token=token) as conn:
            conn.paladin.list_paladins()
            with pytest.raises(pc.PaladinError) as denied:
                conn.paladin.delete_paladin(pc.paladin_pb2.DeletePaladinRequest(name="nobody"))
            assert denied.value.code == pc.StatusCode.PERMISSION_DENIED
        with pc.connect(server.host, server.port, ssl_context=context("client")) as conn:
            with pytest.raises(pc.PaladinError) as missing:
                conn.paladin.delete_paladin(pc.paladin_pb2.DeletePaladinRequest(name="nobody"))
            assert missing.value.code == pc.StatusCode.NOT_FOUND  # an operator: past authorization
        with pytest.raises(pc.PaladinError) as unknown:
            pc.connect(server.host, server.port, ssl_context=context(), auth_token="wrong")
        assert unknown.value.code == pc.StatusCode.UNAUTHENTICATED
    finally:
        server.stop()


def test_sighup_reloads_the_certificate_while_a_stream_stays_open():
    server = start()
    try:
        conn = pc.connect(server.host, server.port, ssl_context=context())
        watch = conn.health.watch()
        assert next(iter(watch)).status == pc.health_pb2.SERVING_STATUS_SERVING
        assert "paladin-test-server" in presented_subject(server.port)
        for name in ("server.pem", "server.key"):
            shutil.copy(TLS / name.replace("server", "server2"), os.path.join(server.workdir, name))
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "reloaded TLS certificates" not in "".join(server.output) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "reloaded TLS certificates" in "".join(server.output)
        assert "paladin-test-server-reloaded" in presented_subject(server.port)
        assert conn.health.check().status == pc.health_pb2.SERVING_STATUS_SERVING  # the old connection lives
        watch.cancel()
        conn.close()
        assert server.process.poll() is None
    finally:
        server.stop()
