"""Blocking client: one TCP connection, a reader thread, a queue per call (docs/protocol.md)."""

from __future__ import annotations

import os
import queue
import socket
import ssl
import threading
import time
from typing import Any, Generic, Iterator, Optional, Sequence, Tuple, Type, TypeVar

from . import frames as F
from ._tls import TLSSocket
from ._core import CallState, Router, read_handshake, timeout_us
from .status import PaladinError, StatusCode
from .v1 import frame_pb2
from .v1.services import Stubs

T = TypeVar("T")
_Status = frame_pb2.Status
_monotonic = time.monotonic
_DEFAULT_AGENT = "paladin-client-python/0.1.0"


def connect(host: str = "127.0.0.1", port: int = 50051, **kwargs: Any) -> "Connection":
    """Open a connection and complete the handshake. Use it as a context manager."""
    return Connection(host, port, **kwargs)


class ResponseStream(Generic[T]):
    """The responses of one server-streaming call, as an iterator.

    Iteration ends when the call ends OK; a non-OK END raises PaladinError. `cancel()` sends
    CANCEL; leaving a `with` block early cancels too. `status` is the server's final Status once
    its END arrived (also after a local cancel or deadline: see `wait_closed`).
    """

    __slots__ = ("_conn", "_call", "_type", "_deadline", "_done", "_error")

    def __init__(self, conn: "Connection", call: CallState, response_type: Type[T], deadline: Optional[float]) -> None:
        self._conn = conn
        self._call = call
        self._type = response_type
        self._deadline = deadline
        self._done = False
        self._error: Optional[PaladinError] = None

    @property
    def stream_id(self) -> int:
        return self._call.stream_id

    @property
    def status(self) -> Optional[Any]:
        """The server's END Status, once it arrived."""
        return self._call.final

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            if self._error is not None:
                raise self._error
            raise StopIteration
        item = self._conn._take(self._call, self._deadline)
        if item.__class__ is bytes:
            try:
                return self._type.FromString(item)  # type: ignore[attr-defined]
            except Exception:
                self._fail(PaladinError(StatusCode.INTERNAL, f"undecodable {self._type.__name__} from the server", local=True))
                raise self._error  # type: ignore[misc]
        self._done = True
        if item.__class__ is _Status:
            if item.code == 0:
                raise StopIteration
            self._error = PaladinError.from_status(item)
        else:
            self._error = item  # a local PaladinError (deadline, lost connection)
        raise self._error

    def _fail(self, error: PaladinError) -> None:
        self._done = True
        self._error = error
        self._conn._abandon(self._call)

    def cancel(self) -> None:
        """Send CANCEL; the stream then raises CANCELLED. No-op once the call ended."""
        if not self._done and self._call.final is None:
            self._fail(PaladinError(StatusCode.CANCELLED, "cancelled by the client (locally)", local=True))

    def wait_closed(self, timeout: Optional[float] = None) -> Optional[Any]:
        """Wait for the server's END (discarding responses); returns its Status, None on timeout."""
        deadline = None if timeout is None else _monotonic() + timeout
        while self._call.final is None:
            try:
                item = self._call.sink.get(timeout=None if deadline is None else max(0.0, deadline - _monotonic()))
            except queue.Empty:
                return None
            if isinstance(item, PaladinError):
                return None
        return self._call.final

    def __enter__(self) -> "ResponseStream[T]":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cancel()


class Connection(Stubs, Router):
    """A blocking Paladin connection; thread-safe: any number of threads may call at once.

    Calls are multiplexed over one TCP connection with increasing stream ids; beyond the
    server's max_concurrent_streams they wait for a free slot. Typed stubs: `conn.health`,
    `conn.server_info`, `conn.garrison`, `conn.paladin`, `conn.battalion`.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 50051, *, agent: str = _DEFAULT_AGENT,
                 auth_token: str = "", connect_timeout: float = 10.0,
                 ssl_context: Optional[ssl.SSLContext] = None, server_hostname: Optional[str] = None) -> None:
        """Connect and complete the handshake. With `ssl_context` (see `tls_context`) the
        connection speaks TLS, verifying the server as `server_hostname` (default `host`)."""
        self._init_router()
        self._init_stubs()
        sock: Any = socket.create_connection((host, port), timeout=connect_timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if ssl_context is not None:
            try:
                sock = TLSSocket(sock, ssl_context, server_hostname or host)
            except (ssl.SSLError, ConnectionError, OSError) as error:
                sock.close()
                raise PaladinError(StatusCode.UNAVAILABLE, f"TLS handshake with {host}:{port} failed: {error}",
                                   local=True) from None
        self._sock = sock
        self._out_lock = threading.Lock()  # guards _out, _writing and stream id order
        self._out: list = []
        self._writing = False
        self._state = threading.Lock()
        self._slot_free = threading.Condition(self._state)
        self._open = 0
        self._next_id = 1
        self._closed: Optional[PaladinError] = None
        self._pings: dict = {}
        parser = F.FrameParser()
        try:
            sock.sendall(F.PREFACE + F.hello_frame(agent, auth_token))
            first: list = []
            while not first:
                data = sock.recv(65536)
                if not data:
                    raise PaladinError(StatusCode.UNAVAILABLE, "connection closed during the handshake", local=True)
                first = parser.feed(data)
            self.hello = read_handshake(first[0])
        except BaseException:
            sock.close()
            raise
        parser.max_frame_size = max(self.hello.max_frame_size or F.DEFAULT_MAX_FRAME_SIZE, F.DEFAULT_MAX_FRAME_SIZE)
        self.max_concurrent_streams = self.hello.max_concurrent_streams or F.DEFAULT_MAX_CONCURRENT_STREAMS
        self.protocol_minor = min(F.PROTOCOL_MINOR, self.hello.protocol_minor)
        sock.settimeout(None)
        try:
            self._route(first[1:])
        except F.ProtocolViolation as violation:
            sock.close()
            raise PaladinError(StatusCode.UNAVAILABLE, f"protocol violation: {violation}", local=True) from None
        self._reader = threading.Thread(target=self._read_loop, args=(parser,), name="paladin-reader", daemon=True)
        self._reader.start()

    # -- calls ---------------------------------------------------------------------------------

    def unary(self, method: str, request: Any, response_type: Type[T], *, timeout: Optional[float] = None,
              metadata: Optional[Sequence[Tuple[str, str]]] = None) -> T:
        """Call a unary method: exactly one response, or PaladinError."""
        deadline = None if timeout is None else _monotonic() + timeout
        call = self._open_call(method, request.SerializeToString(), timeout, metadata)
        item = self._take(call, deadline)
        if item.__class__ is bytes:
            end = self._take(call, deadline)
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
                      metadata: Optional[Sequence[Tuple[str, str]]] = None) -> ResponseStream[T]:
        """Start a server-streaming call; iterate the result for its responses."""
        deadline = None if timeout is None else _monotonic() + timeout
        call = self._open_call(method, request.SerializeToString(), timeout, metadata)
        return ResponseStream(self, call, response_type, deadline)

    def ping(self, timeout: Optional[float] = 10.0) -> float:
        """Send a PING and wait for its ACK; returns the round trip in seconds."""
        payload = os.urandom(8)
        done = threading.Event()
        self._pings[payload] = done
        start = _monotonic()
        self._send(F.encode_frame(F.PING, 0, 0, payload))
        if not done.wait(timeout):
            self._pings.pop(payload, None)
            raise PaladinError(StatusCode.DEADLINE_EXCEEDED, "no PING ACK in time", local=True)
        if self._closed is not None:
            raise self._closed
        return _monotonic() - start

    def close(self) -> None:
        """Close the connection; calls still open fail with UNAVAILABLE."""
        if self._closed is None:
            self._closed = PaladinError(StatusCode.UNAVAILABLE, "connection closed by the client", local=True)
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        if self._reader is not threading.current_thread():
            self._reader.join(5)

    @property
    def open_streams(self) -> int:
        """Calls sent and not yet ended by the server."""
        return self._open

    @property
    def goaway(self) -> Optional[Any]:
        """The GoAway the server sent, if any."""
        return self._goaway

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------------------

    def _open_call(self, method: str, message: bytes, timeout: Optional[float],
                   metadata: Optional[Sequence[Tuple[str, str]]]) -> CallState:
        call = CallState(queue.SimpleQueue())
        with self._state:
            while True:
                if self._closed is not None:
                    raise self._closed
                self._check_can_open()
                if self._open < self.max_concurrent_streams:
                    break
                self._slot_free.wait()
            self._open += 1
        frame_args = (method, message, timeout_us(timeout), metadata)
        with self._out_lock:
            sid = self._next_id
            if sid > F.MAX_STREAM_ID:
                with self._state:
                    self._open -= 1
                    self._slot_free.notify()
                raise PaladinError(StatusCode.UNAVAILABLE, "stream ids exhausted; open a new connection", local=True)
            self._next_id = sid + 2
            call.stream_id = sid
            self._calls[sid] = call
            self._out.append(F.request_frame(sid, *frame_args))
            writer = not self._writing
            self._writing = True
        if self._closed is not None:  # lost while registering: the reader may have missed this call
            if writer:
                with self._out_lock:
                    self._out.clear()
                    self._writing = False
            if self._calls.pop(sid, None) is not None:
                raise self._closed
            return call  # the reader already failed it
        if writer:
            self._flush()
        return call

    def _take(self, call: CallState, deadline: Optional[float]) -> Any:
        """The next item of a call (bytes, Status or PaladinError), enforcing its deadline locally."""
        if deadline is None:
            return call.sink.get()
        try:
            return call.sink.get(timeout=max(0.0, deadline - _monotonic()))
        except queue.Empty:
            self._abandon(call)
            return PaladinError(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded (client)", local=True)

    def _abandon(self, call: CallState) -> None:
        """The caller gave up (cancel or deadline): send CANCEL, drop its responses until END."""
        if call.abandoned or call.final is not None:
            return
        call.abandoned = True
        try:
            self._send(F.encode_frame(F.CANCEL, 0, call.stream_id))
        except PaladinError:
            pass

    def _send(self, frame: bytes) -> None:
        if self._closed is not None:
            raise self._closed
        with self._out_lock:
            self._out.append(frame)
            if self._writing:
                return
            self._writing = True
        self._flush()

    def _flush(self) -> None:
        """Write everything queued, including what other threads queue meanwhile (one syscall
        for many frames under load). Only the thread that set _writing calls this."""
        while True:
            with self._out_lock:
                if not self._out:
                    self._writing = False
                    return
                data = self._out[0] if len(self._out) == 1 else b"".join(self._out)
                self._out.clear()
            try:
                self._sock.sendall(data)
            except OSError as error:
                with self._out_lock:
                    self._out.clear()
                    self._writing = False
                try:
                    self._sock.shutdown(socket.SHUT_RDWR)  # the reader then fails every open call
                except OSError:
                    pass
                raise self._lost(f"send failed: {error}") from None

    def _lost(self, reason: str) -> PaladinError:
        return self._closed or self._lost_error(reason)

    # Router hooks (reader thread).
    def _deliver(self, call: CallState, item: Any) -> None:
        call.sink.put(item)

    def _ended(self, call: CallState) -> None:
        with self._state:
            self._open -= 1
            self._slot_free.notify()

    def _send_ping_ack(self, payload: bytes) -> None:
        self._send(F.encode_frame(F.PING, F.ACK, 0, payload))

    def _ping_acked(self, payload: bytes) -> None:
        done = self._pings.pop(payload, None)
        if done is not None:
            done.set()

    def _read_loop(self, parser: F.FrameParser) -> None:
        recv = self._sock.recv
        reason = "closed by the server"
        try:
            while True:
                data = recv(262144)
                if not data:
                    break
                self._route(parser.feed(data))
        except F.ProtocolViolation as violation:
            reason = f"protocol violation by the server: {violation}"
            try:
                self._sock.sendall(F.encode_frame(F.GOAWAY, 0, 0, frame_pb2.GoAway(code=13, message=str(violation)).SerializeToString()))
            except OSError:
                pass
        except (OSError, PaladinError) as error:
            reason = str(error)
        error = self._closed or self._lost_error(reason)
        with self._state:
            self._closed = error
            calls = list(self._calls.values())
            self._calls.clear()
            self._open = 0
            self._slot_free.notify_all()
        for call in calls:
            call.sink.put(error)
        for done in list(self._pings.values()):
            done.set()
        try:
            self._sock.close()
        except OSError:
            pass
