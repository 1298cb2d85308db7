"""The blocking client against a real server: every implemented RPC, streams, errors, limits."""

import threading
import time
import uuid

import pytest

import paladin_client as pc
from paladin_client.v1 import garrison_pb2, health_pb2, server_info_pb2, services

E = garrison_pb2.GarrisonEntry


def session() -> str:
    return "py-" + uuid.uuid4().hex[:12]


def test_handshake_reports_the_server_limits(conn):
    assert conn.hello.agent.startswith("paladin/")
    assert conn.max_concurrent_streams == conn.hello.max_concurrent_streams > 0
    assert conn.hello.max_frame_size >= 16384
    assert conn.protocol_minor == 0


def test_health_check(conn):
    assert conn.health.check().status == health_pb2.SERVING_STATUS_SERVING
    assert conn.health.check(service="paladin.v1.GarrisonService").status == health_pb2.SERVING_STATUS_SERVING
    with pytest.raises(pc.PaladinError) as err:
        conn.health.check(service="no.such.Service")
    assert err.value.code is pc.StatusCode.NOT_FOUND and not err.value.local


def test_health_watch_streams_then_cancel_gets_cancelled_end(conn):
    stream = conn.health.watch(health_pb2.HealthCheckRequest(service=""))
    first = next(stream)
    assert first.status == health_pb2.SERVING_STATUS_SERVING
    stream.cancel()
    with pytest.raises(pc.PaladinError) as err:
        next(stream)
    assert err.value.code is pc.StatusCode.CANCELLED and err.value.local
    final = stream.wait_closed(10)
    assert final is not None and final.code == pc.StatusCode.CANCELLED
    assert conn.open_streams == 0


def test_health_watch_of_an_unknown_service_reports_service_unknown(conn):
    with conn.health.watch(service="no.such.Service") as stream:
        assert next(stream).status == health_pb2.SERVING_STATUS_SERVICE_UNKNOWN


def test_deadline_on_a_stream_is_deadline_exceeded(conn):
    stream = conn.health.watch(timeout=0.2)
    assert next(stream).status == health_pb2.SERVING_STATUS_SERVING
    start = time.monotonic()
    with pytest.raises(pc.PaladinError) as err:
        next(stream)
    assert err.value.code is pc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - start < 5
    final = stream.wait_closed(10)  # the server ends it too: CANCELLED (our CANCEL) or DEADLINE_EXCEEDED
    assert final.code in (pc.StatusCode.CANCELLED, pc.StatusCode.DEADLINE_EXCEEDED)
    assert conn.health.check().status == health_pb2.SERVING_STATUS_SERVING  # the connection is fine


def test_server_side_deadline_when_the_client_waits_longer(conn):
    # timeout_us reaches the server, which ends the call itself with "deadline of N ms exceeded".
    stream = conn.server_stream("paladin.v1.Health/Watch", health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse,
                                timeout=0.15)
    stream._deadline = None  # wait for the server's END instead of the local timer
    next(stream)
    with pytest.raises(pc.PaladinError) as err:
        next(stream)
    assert err.value.code is pc.StatusCode.DEADLINE_EXCEEDED and not err.value.local
    assert err.value.message == "deadline of 150 ms exceeded"


def test_server_info_lists_every_method_of_the_contract(conn):
    info = conn.server_info.get()
    assert info.protocol_major == 1 and info.version
    assert [m.name for m in info.methods] == sorted(services.METHODS)
    kinds = {m.name: m.kind for m in info.methods}
    for path, (kind, _, _) in services.METHODS.items():
        expected = server_info_pb2.METHOD_KIND_SERVER_STREAMING if kind == services.SERVER_STREAMING else server_info_pb2.METHOD_KIND_UNARY
        assert kinds[path] == expected, path
    assert info.limits.max_concurrent_streams == conn.max_concurrent_streams


def test_garrison_every_rpc(conn):
    s = session()
    appended = conn.garrison.append(session_id=s, entries=[
        E(role=garrison_pb2.ROLE_SYSTEM, content="you are terse"),
        E(role=garrison_pb2.ROLE_USER, content="héllo ⚔ paladin", importance=50, metadata={"lang": "fr"}),
        E(role=garrison_pb2.ROLE_ASSISTANT, content="hello traveller"),
    ])
    assert len(appended.ids) == 3 and list(appended.ids) == sorted(appended.ids)
    history = conn.garrison.history(session_id=s)
    assert [e.content for e in history.entries] == ["you are terse", "héllo ⚔ paladin", "hello traveller"]
    assert history.entries[1].metadata["lang"] == "fr" and history.entries[1].session_id == s
    assert [e.content for e in conn.garrison.history(session_id=s, limit=1).entries] == ["hello traveller"]
    found = conn.garrison.search(session_id=s, query="HELLO")
    assert [e.content for e in found.entries] == ["hello traveller", "héllo ⚔ paladin"][:len(found.entries)]
    assert found.entries[0].content == "hello traveller"
    sessions = conn.garrison.list_sessions()
    mine = [x for x in sessions.sessions if x.session_id == s]
    assert mine and mine[0].entry_count == 3
    assert conn.garrison.clear(session_id=s, keep_system=True).removed == 2
    assert [e.content for e in conn.garrison.history(session_id=s).entries] == ["you are terse"]
    assert conn.garrison.delete_session(session_id=s).removed == 1
    with pytest.raises(pc.PaladinError) as err:
        conn.garrison.delete_session(session_id=s)
    assert err.value.code is pc.StatusCode.NOT_FOUND


def test_invalid_argument_carries_the_field(conn):
    with pytest.raises(pc.PaladinError) as err:
        conn.garrison.append(session_id="bad session!", entries=[E(role=garrison_pb2.ROLE_USER, content="x")])
    assert err.value.code is pc.StatusCode.INVALID_ARGUMENT
    assert err.value.detail("field") == "session_id"
    with pytest.raises(pc.PaladinError) as err:
        conn.garrison.append(session_id=session(), entries=[E(role=garrison_pb2.ROLE_UNSPECIFIED, content="x")])
    assert err.value.code is pc.StatusCode.INVALID_ARGUMENT and err.value.detail("field").endswith(".role")


def test_unknown_method_is_unimplemented(conn):
    with pytest.raises(pc.PaladinError) as err:
        conn.unary("paladin.v1.Nope/Nope", health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse)
    assert err.value.code is pc.StatusCode.UNIMPLEMENTED
    assert err.value.message == "unknown method paladin.v1.Nope/Nope"


def test_request_message_of_the_wrong_type_is_invalid_argument(conn):
    # HistoryRequest field 2 is a varint; a length-delimited field 2 does not decode.
    class Raw:
        def SerializeToString(self):
            return b"\x12\x03abc"
    with pytest.raises(pc.PaladinError) as err:
        conn.unary("paladin.v1.GarrisonService/History", Raw(), garrison_pb2.HistoryResponse)
    assert err.value.code is pc.StatusCode.INVALID_ARGUMENT
    assert err.value.message == "malformed paladin.v1.HistoryRequest"


def test_typed_helpers_exist_for_every_rpc_and_reach_the_server(conn):
    # PaladinService and BattalionService may still be UNIMPLEMENTED; every helper must still
    # reach the server with the right path (never "unknown method").
    names = {"PaladinService": conn.paladin, "BattalionService": conn.battalion, "Health": conn.health,
             "ServerInfo": conn.server_info, "GarrisonService": conn.garrison}
    import re
    for path, (kind, request_type, _) in services.METHODS.items():
        service, method = path.split(".")[-1].split("/")
        helper = getattr(names[service], re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", method).lower())
        assert helper.__doc__.startswith(path)
        if service not in ("PaladinService", "BattalionService"):
            continue
        try:
            result = helper(request_type(), timeout=10)
            if kind == services.SERVER_STREAMING:
                with result:
                    next(iter(result), None)
        except pc.PaladinError as error:
            assert not error.message.startswith("unknown method"), path
            assert error.code is not pc.StatusCode.INTERNAL, (path, error)


def test_a_hundred_concurrent_calls_from_threads_share_one_connection(conn):
    s = session()
    errors, results = [], []
    barrier = threading.Barrier(100)

    def work(i: int) -> None:
        try:
            barrier.wait(30)
            results.append(conn.garrison.append(session_id=s, entries=[E(role=garrison_pb2.ROLE_USER, content=f"m{i}")]).ids[0])
            assert conn.health.check().status == health_pb2.SERVING_STATUS_SERVING
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(set(results)) == 100
    assert len(conn.garrison.history(session_id=s).entries) == 100
    assert conn.open_streams == 0


def test_calls_beyond_max_concurrent_streams_wait_for_a_free_slot(conn):
    limit = conn.max_concurrent_streams
    streams = [conn.health.watch() for _ in range(limit)]
    for stream in streams:
        next(stream)
    assert conn.open_streams == limit
    done = threading.Event()

    def extra():
        conn.health.check()
        done.set()

    t = threading.Thread(target=extra)
    t.start()
    assert not done.wait(0.5)  # queued locally, not rejected with RESOURCE_EXHAUSTED
    streams[0].cancel()
    assert done.wait(20)
    t.join()
    for stream in streams[1:]:
        stream.cancel()


def test_ping_round_trip(conn):
    assert 0 <= conn.ping() < 10


def test_metadata_and_over_limit_metadata(conn):
    assert conn.health.check(metadata=[("x-request-id", "42")]).status == health_pb2.SERVING_STATUS_SERVING
    with pytest.raises(pc.PaladinError) as err:
        conn.health.check(metadata=[("x-big", "v" * (conn.hello.max_metadata_size + 1))])
    assert err.value.code is pc.StatusCode.RESOURCE_EXHAUSTED


def test_graceful_shutdown_goaway(fresh_server):
    with pc.connect(fresh_server.host, fresh_server.port) as c:
        watch = c.health.watch()
        assert next(watch).status == health_pb2.SERVING_STATUS_SERVING
        fresh_server.process.terminate()
        statuses = [r.status for r in watch]  # NOT_SERVING, then END OK
        assert statuses[-1] == health_pb2.SERVING_STATUS_NOT_SERVING
        deadline = time.monotonic() + 20
        while c.goaway is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert c.goaway is not None and c.goaway.code == 0
        with pytest.raises(pc.PaladinError) as err:
            c.health.check()
        assert err.value.code is pc.StatusCode.UNAVAILABLE
    assert fresh_server.process.wait(40) == 0


def test_connection_loss_fails_open_calls_with_unavailable(fresh_server):
    c = pc.connect(fresh_server.host, fresh_server.port)
    watch = c.health.watch()
    next(watch)
    fresh_server.process.kill()
    with pytest.raises(pc.PaladinError) as err:
        next(watch)
    assert err.value.code is pc.StatusCode.UNAVAILABLE and err.value.local
    c.close()
