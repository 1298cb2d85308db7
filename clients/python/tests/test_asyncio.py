"""The asyncio client against a real server."""

import asyncio
import uuid

import pytest

import paladin_client as pc
from paladin_client.v1 import garrison_pb2, health_pb2, services

E = garrison_pb2.GarrisonEntry


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_unary_stream_and_garrison(server):
    async def main():
        async with await pc.connect_async(server.host, server.port) as c:
            assert (await c.health.check()).status == health_pb2.SERVING_STATUS_SERVING
            info = await c.server_info.get()
            assert [m.name for m in info.methods] == sorted(services.METHODS)
            s = "aio-" + uuid.uuid4().hex[:12]
            ids = (await c.garrison.append(session_id=s, entries=[E(role=garrison_pb2.ROLE_USER, content="one"),
                                                                    E(role=garrison_pb2.ROLE_ASSISTANT, content="two")])).ids
            assert len(ids) == 2
            assert [e.content for e in (await c.garrison.history(session_id=s)).entries] == ["one", "two"]
            assert [e.content for e in (await c.garrison.search(session_id=s, query="two")).entries] == ["two"]
            assert any(x.session_id == s for x in (await c.garrison.list_sessions()).sessions)
            assert (await c.garrison.clear(session_id=s)).removed == 2
            assert (await c.garrison.delete_session(session_id=s)).removed == 0
            async for response in c.health.watch():
                assert response.status == health_pb2.SERVING_STATUS_SERVING
                break
    run(main())


def test_errors(server):
    async def main():
        async with await pc.connect_async(server.host, server.port) as c:
            with pytest.raises(pc.PaladinError) as err:
                await c.garrison.delete_session(session_id="aio-missing-" + uuid.uuid4().hex)
            assert err.value.code is pc.StatusCode.NOT_FOUND
            with pytest.raises(pc.PaladinError) as err:
                await c.garrison.history(session_id="")
            assert err.value.code is pc.StatusCode.INVALID_ARGUMENT and err.value.detail("field") == "session_id"
            with pytest.raises(pc.PaladinError) as err:
                await c.unary("paladin.v1.Nope/Nope", health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse)
            assert err.value.code is pc.StatusCode.UNIMPLEMENTED
    run(main())


def test_a_hundred_concurrent_calls_with_gather(server):
    async def main():
        async with await pc.connect_async(server.host, server.port) as c:
            s = "aio-" + uuid.uuid4().hex[:12]
            results = await asyncio.gather(*[
                c.garrison.append(session_id=s, entries=[E(role=garrison_pb2.ROLE_USER, content=f"m{i}")]) for i in range(100)])
            assert len({r.ids[0] for r in results}) == 100
            checks = await asyncio.gather(*[c.health.check() for _ in range(250)])  # beyond the stream limit: queued
            assert all(r.status == health_pb2.SERVING_STATUS_SERVING for r in checks)
            assert len((await c.garrison.history(session_id=s)).entries) == 100
            assert c.open_streams == 0
    run(main())


def test_deadline_and_cancel(server):
    async def main():
        async with await pc.connect_async(server.host, server.port) as c:
            stream = await c.health.watch(timeout=0.2)
            assert (await stream.__anext__()).status == health_pb2.SERVING_STATUS_SERVING
            with pytest.raises(pc.PaladinError) as err:
                await stream.__anext__()
            assert err.value.code is pc.StatusCode.DEADLINE_EXCEEDED
            assert (await stream.wait_closed(10)).code in (pc.StatusCode.CANCELLED, pc.StatusCode.DEADLINE_EXCEEDED)

            stream = await c.health.watch()
            await stream.__anext__()
            stream.cancel()
            with pytest.raises(pc.PaladinError) as err:
                await stream.__anext__()
            assert err.value.code is pc.StatusCode.CANCELLED
            assert (await stream.wait_closed(10)).code == pc.StatusCode.CANCELLED

            # Cancelling the awaiting task sends CANCEL too.
            async def consume():
                async for _ in c.health.watch():
                    pass
            task = asyncio.ensure_future(consume())
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            for _ in range(200):
                if c.open_streams == 0:
                    break
                await asyncio.sleep(0.05)
            assert c.open_streams == 0
            assert 0 <= await c.ping() < 10
    run(main())
