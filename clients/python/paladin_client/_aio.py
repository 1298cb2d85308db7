"""asyncio client: one connection over asyncio streams, a reader task, per-call waiters."""

from __future__ import annotations

import asyncio
import collections
import os
import socket
import ssl
from typing import Any, AsyncIterator, Deque, Generic, Optional, Sequence, Tuple, Type, TypeVar

from . import frames as F
from ._core import CallState, Router, read_handshake, timeout_us
from .status import PaladinError, StatusCode
from .v1 import frame_pb2
from .v1.services import AsyncStubs

T = TypeVar("T")
_Status = frame_pb2.Status
_DEFAULT_AGENT = "paladin-client-python-asyncio/0.1.0"


async def connect_async(host: str = "127.0.0.1", port: int = 50051, *, agent: str = _DEFAULT_AGENT,
                        auth_token: str = "", connect_timeout: float = 10.0,
                        ssl_context: Optional[ssl.SSLContext] = None,
                        server_hostname: Optional[str] = None) -> "AsyncConnection":
    """Open a connection and complete the handshake (`async with await connect_async(...)`).
    With `ssl_context` (see `tls_context`) it speaks TLS, verifying `server_hostname` (default `host`)."""
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ssl_context,
                                    server_hostname=(server_hostname or host) if ssl_context else None),
            connect_timeout)
    except ssl.SSLError as error:
        raise PaladinError(StatusCode.UNAVAILABLE, f"TLS handshake with {host}:{port} failed: {error}",
                           local=True) from None
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    parser = F.FrameParser()
    try:
        writer.write(F.PREFACE + F.hello_frame(agent, auth_token))
        first: list = []
        while not first:
            data = await asyncio.wait_for(reader.read(65536), connect_timeout)
            if not data:
                raise PaladinError(StatusCode.UNAVAILABLE, "connection closed during the handshake", local=True)
            first = parser.feed(data)
        hello = read_handshake(first[0])
    except BaseException:
        writer.close()
        raise
    conn = AsyncConnection(reader, writer, parser, hello)
    conn._route(first[1:])
    return conn


class _Sink:
    """Items of one call and the future its consumer waits on."""

    __slots__ = ("items", "waiter", "timer")

    def __init__(self) -> None:
        self.items: Deque[Any] = collections.deque()
        self.waiter: Optional[asyncio.Future] = None
        self.timer: Optional[asyncio.TimerHandle] = None


class AsyncResponseStream(Generic[T]):
    """The responses of one server-streaming call, as an async iterator (see ResponseStream)."""

    __slots__ = ("_conn", "_call", "_type", "_done", "_error")

    def __init__(self, conn: "AsyncConnection", call: CallState, response_type: Type[T]) -> None:
        self._conn = conn
        self._call = call
        self._type = response_type
        self._done = False
        self._error: Optional[PaladinError] = None

    @property
    def stream_id(self) -> int:
        return self._call.stream_id

    @property
    def status(self) -> Optional[Any]:
        return self._call.final

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._done:
            if self._error is not None:
                raise self._error
            raise StopAsyncIteration
        item = await self._conn._take(self._call)
        if item.__class__ is bytes:
            return self._type.FromString(item)  # type: ignore[attr-defined]
        self._done = True
        if item.__class__ is _Status:
            if item.code == 0:
                raise StopAsyncIteration
            self._error = PaladinError.from_status(item)
        else:
            self._error = item
        raise self._error

    def cancel(self) -> None:
        """Send CANCEL; the stream then raises CANCELLED. No-op once the call ended."""
        if not self._done and self._call.final is None:
            self._done = True
            self._error = PaladinError(StatusCode.CANCELLED, "cancelled by the client (locally)", local=True)
            self._conn._abandon(self._call)

    async def wait_closed(self, timeout: Optional[float] = None) -> Optional[Any]:
        """Wait for the server's END (discarding responses); returns its Status, None on timeout."""
        loop = asyncio.get_running_loop()
        end = None if timeout is None else loop.time() + timeout
        sink = self._call.sink
        while self._call.final is None:
            if sink.items:
                if isinstance(sink.items.popleft(), PaladinError):
                    return None
                continue
            sink.waiter = loop.create_future()
            try:
                await asyncio.wait_for(sink.waiter, None if end is None else max(0.0, end - loop.time()))
            except asyncio.TimeoutError:
                return None
        return self._call.final

    async def __aenter__(self) -> "AsyncResponseStream[T]":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.cancel()


class AsyncConnection(AsyncStubs, Router):
    """An asyncio Paladin connection: any number of tasks may call at once (same event loop).

    Open with `await connect_async(...)`. Typed stubs: `conn.health`, `conn.garrison`, ...
    Cancelling a task that awaits a call sends CANCEL for it.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, parser: F.FrameParser, hello: Any) -> None:
        self._init_router()
        self._init_stubs()
        self._reader = reader
        self._writer = writer
        self.hello = hello
        parser.max_frame_size = max(hello.max_frame_size or F.DEFAULT_MAX_FRAME_SIZE, F.DEFAULT_MAX_FRAME_SIZE)
        self.max_concurrent_streams = hello.max_concurrent_streams or F.DEFAULT_MAX_CONCURRENT_STREAMS
        self.protocol_minor = min(F.PROTOCOL_MINOR, hello.protocol_minor)
        self._loop = asyncio.get_running_loop()
        self._open = 0
        self._next_id = 1
        self._slot_waiters: Deque[asyncio.Future] = collections.deque()
        self._closed: Optional[PaladinError] = None
        self._pings: dict = {}
        self._out: list = []
        self._task = self._loop.create_task(self._read_loop(parser))

    # -- calls ---------------------------------------------------------------------------------

    async def unary(self, method: str, request: Any, response_type: Type[T], *, timeout: Optional[float] = None,
                    metadata: Optional[Sequence[Tuple[str, str]]] = None) -> T:
        """Call a unary method: exactly one response, or PaladinError."""
        call = await self._open_call(method, request.SerializeToString(), timeout, metadata)
        item = await self._take(call)
        if item.__class__ is bytes:
            end = await self._take(call)
            if end.__class__ is _Status:
                if end.code == 0:
                    return response_type.FromString(item)  # type: ignore[attr-defined]
                raise PaladinError.from_status(end)
            if end.__class__ is bytes:
                self._abandon(call)
                raise PaladinError(StatusCode.INTERNAL, "unary call answered with more than one message", local=True)
            raise end
        if item.__class__ is _Status:
            if item.code == 0:
                raise PaladinError(StatusCode.INTERNAL, "unary call ended OK without a message", local=True)
            raise PaladinError.from_status(item)
        raise item

    def server_stream(self, method: str, request: Any, response_type: Type[T], *, timeout: Optional[float] = None,
                      metadata: Optional[Sequence[Tuple[str, str]]] = None) -> "AsyncStreamCall[T]":
        """Start a server-streaming call: `async for r in conn.server_stream(...)` or
        `stream = await conn.server_stream(...)` (the REQUEST is sent on first use)."""
        return AsyncStreamCall(self, method, request.SerializeToString(), response_type, timeout, metadata)

    async def ping(self, timeout: Optional[float] = 10.0) -> float:
        """Send a PING and wait for its ACK; returns the round trip in seconds."""
        payload = os.urandom(8)
        done = self._loop.create_future()
        self._pings[payload] = done
        start = self._loop.time()
        self._send(F.encode_frame(F.PING, 0, 0, payload))
        try:
            await asyncio.wait_for(done, timeout)
        except asyncio.TimeoutError:
            self._pings.pop(payload, None)
            raise PaladinError(StatusCode.DEADLINE_EXCEEDED, "no PING ACK in time", local=True) from None
        return self._loop.time() - start

    async def close(self) -> None:
        """Close the connection; calls still open fail with UNAVAILABLE."""
        if self._closed is None:
            self._closed = PaladinError(StatusCode.UNAVAILABLE, "connection closed by the client", local=True)
        self._flush()
        self._writer.close()
        try:
            await self._task
        except Exception:
            pass

    @property
    def open_streams(self) -> int:
        return self._open

    @property
    def goaway(self) -> Optional[Any]:
        return self._goaway

    async def __aenter__(self) -> "AsyncConnection":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # -- internals -----------------------------------------------------------------------------

    async def _open_call(self, method: str, message: bytes, timeout: Optional[float],
                         metadata: Optional[Sequence[Tuple[str, str]]]) -> CallState:
        while True:
            if self._closed is not None:
                raise self._closed
            self._check_can_open()
            if self._open < self.max_concurrent_streams:
                break
            waiter = self._loop.create_future()
            self._slot_waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_slot_waiter()  # pass the slot we were given on
                raise
        sid = self._next_id
        if sid > F.MAX_STREAM_ID:
            raise PaladinError(StatusCode.UNAVAILABLE, "stream ids exhausted; open a new connection", local=True)
        self._next_id = sid + 2
        self._open += 1
        call = CallState(_Sink())
        call.stream_id = sid
        self._calls[sid] = call
        self._send(F.request_frame(sid, method, message, timeout_us(timeout), metadata))
        if timeout is not None:
            call.sink.timer = self._loop.call_later(max(0.0, timeout), self._expire, call)
        if self._writer.transport.get_write_buffer_size() > 1 << 20:
            await self._writer.drain()
        return call

    async def _take(self, call: CallState) -> Any:
        sink = call.sink
        if not sink.items:
            sink.waiter = self._loop.create_future()
            try:
                await sink.waiter
            except asyncio.CancelledError:
                self._abandon(call)
                raise
        return sink.items.popleft()

    def _expire(self, call: CallState) -> None:
        """The local deadline timer (§9): report DEADLINE_EXCEEDED and send CANCEL."""
        if call.final is None and not call.abandoned:
            self._abandon(call)
            self._deliver(call, PaladinError(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded (client)", local=True), force=True)

    def _abandon(self, call: CallState) -> None:
        if call.abandoned or call.final is not None:
            return
        call.abandoned = True
        try:
            self._send(F.encode_frame(F.CANCEL, 0, call.stream_id))
        except PaladinError:
            pass

    def _send(self, frame: bytes) -> None:
        """Queue a frame; queued frames go out in one write at the end of this loop iteration.
        With at most one call open there is nothing to batch: write at once (saves a loop turn)."""
        if self._closed is not None:
            raise self._closed
        if self._open <= 1 and not self._out:
            if not self._writer.is_closing():
                self._writer.write(frame)
            return
        self._out.append(frame)
        if len(self._out) == 1:
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        if self._out:
            data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
            self._out.clear()
            if not self._writer.is_closing():
                self._writer.write(data)

    # Router hooks.
    def _deliver(self, call: CallState, item: Any, force: bool = False) -> None:
        sink = call.sink
        sink.items.append(item)
        waiter = sink.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _ended(self, call: CallState) -> None:
        timer = call.sink.timer
        if timer is not None:
            timer.cancel()
        self._open -= 1
        self._wake_slot_waiter()

    def _wake_slot_waiter(self) -> None:
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    def _send_ping_ack(self, payload: bytes) -> None:
        self._send(F.encode_frame(F.PING, F.ACK, 0, payload))

    def _ping_acked(self, payload: bytes) -> None:
        done = self._pings.pop(payload, None)
        if done is not None and not done.done():
            done.set_result(None)

    async def _read_loop(self, parser: F.FrameParser) -> None:
        read = self._reader.read
        reason = "closed by the server"
        try:
            while True:
                data = await read(262144)
                if not data:
                    break
                self._route(parser.feed(data))
        except F.ProtocolViolation as violation:
            reason = f"protocol violation by the server: {violation}"
            self._writer.write(F.encode_frame(F.GOAWAY, 0, 0, frame_pb2.GoAway(code=13, message=str(violation)).SerializeToString()))
        except (OSError, PaladinError) as error:
            reason = str(error)
        error = self._closed or self._lost_error(reason)
        self._closed = error
        calls = list(self._calls.values())
        self._calls.clear()
        self._open = 0
        for call in calls:
            if call.sink.timer is not None:
                call.sink.timer.cancel()
            self._deliver(call, error)
        for waiter in self._slot_waiters:
            if not waiter.done():
                waiter.set_result(None)
        for done in self._pings.values():
            if not done.done():
                done.set_exception(error)
        self._writer.close()


class AsyncStreamCall(Generic[T]):
    """A server-streaming call whose REQUEST goes out on first use: `await` it for the
    AsyncResponseStream, iterate it directly (`async for`), or use it with `async with`
    (leaving the block cancels the call)."""

    __slots__ = ("_args", "_stream")

    def __init__(self, conn: AsyncConnection, method: str, message: bytes, response_type: Type[T],
                 timeout: Optional[float], metadata: Optional[Sequence[Tuple[str, str]]]) -> None:
        self._args = (conn, method, message, response_type, timeout, metadata)
        self._stream: Optional[AsyncResponseStream[T]] = None

    async def start(self) -> AsyncResponseStream[T]:
        if self._stream is None:
            conn, method, message, response_type, timeout, metadata = self._args
            call = await conn._open_call(method, message, timeout, metadata)
            self._stream = AsyncResponseStream(conn, call, response_type)
        return self._stream

    def __await__(self):  # type: ignore[no-untyped-def]
        return self.start().__await__()

    def __aiter__(self) -> "AsyncStreamCall[T]":
        return self

    async def __anext__(self) -> T:
        stream = self._stream or await self.start()
        return await stream.__anext__()

    async def __aenter__(self) -> AsyncResponseStream[T]:
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        if self._stream is not None:
            self._stream.cancel()
