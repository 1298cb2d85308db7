"""What the sync and asyncio connections share: the handshake answer and routing of S->C frames."""

from __future__ import annotations

from typing import Any, Dict, Optional

from google.protobuf.message import DecodeError

from . import frames as F
from .status import PaladinError, StatusCode
from .v1 import frame_pb2

_Status = frame_pb2.Status
_GoAway = frame_pb2.GoAway


def timeout_us(timeout: Optional[float]) -> int:
    """Seconds (float) to the REQUEST's timeout_us; at least 1 µs when a timeout is given."""
    if timeout is None:
        return 0
    if timeout <= 0:
        return 1
    return max(1, int(timeout * 1_000_000))


def goaway_error(goaway: Any) -> PaladinError:
    """The status for calls lost with a connection that ended with this GOAWAY (§6.5)."""
    code = goaway.code if goaway.code in (StatusCode.UNIMPLEMENTED, StatusCode.UNAUTHENTICATED) else StatusCode.UNAVAILABLE
    return PaladinError(code, f"connection closed by the server: GOAWAY {StatusCode.of(goaway.code).name}: {goaway.message}", local=True)


def read_handshake(frame: F.Frame) -> Any:
    """The server's first frame must be HELLO ACK (returned) or GOAWAY (raised) (§5.4, §12.3)."""
    ftype, flags, sid, payload = frame
    if ftype == F.GOAWAY:
        try:
            goaway = _GoAway.FromString(payload)
        except DecodeError:
            raise PaladinError(StatusCode.UNAVAILABLE, "malformed GoAway from the server", local=True) from None
        raise goaway_error(goaway)
    if ftype != F.HELLO or not flags & F.ACK or sid != 0:
        raise PaladinError(StatusCode.UNAVAILABLE,
                           f"protocol violation: expected HELLO ACK, got {F.TYPE_NAMES.get(ftype, ftype)}", local=True)
    try:
        return frame_pb2.Hello.FromString(payload)
    except DecodeError:
        raise PaladinError(StatusCode.UNAVAILABLE, "malformed Hello from the server", local=True) from None


class CallState:
    """One open stream: its id, whether the caller gave up on it (cancel/deadline), its END."""

    __slots__ = ("stream_id", "abandoned", "final", "sink")

    def __init__(self, sink: Any) -> None:
        self.stream_id = 0
        self.abandoned = False
        self.final: Optional[Any] = None  # the server's Status, once END arrived
        self.sink = sink


class Router:
    """Routes the frames of an established connection (§5.4, §12.3).

    Subclasses provide `_deliver(call, item)` (item: bytes for MESSAGE, a Status for END, or a
    PaladinError), `_ended(call)` (a slot is free) and `_send_ping_ack(payload)`.
    """

    def _init_router(self) -> None:
        self._calls: Dict[int, CallState] = {}
        self._goaway: Optional[Any] = None

    def _route(self, frames: list) -> None:
        calls = self._calls
        for ftype, flags, sid, payload in frames:
            if ftype == F.MESSAGE:
                call = calls.get(sid)
                if call is None:
                    raise F.ProtocolViolation(f"MESSAGE on stream {sid}, which is not open")
                if not call.abandoned:
                    self._deliver(call, payload)
            elif ftype == F.END:
                call = calls.pop(sid, None)
                if call is None:
                    raise F.ProtocolViolation(f"END on stream {sid}, which is not open")
                try:
                    status = _Status.FromString(payload)
                except DecodeError:
                    raise F.ProtocolViolation("malformed Status") from None
                call.final = status
                self._ended(call)
                self._deliver(call, status)
            elif ftype == F.PING:
                if sid != 0 or len(payload) != 8:
                    raise F.ProtocolViolation("bad PING")
                if not flags & F.ACK:
                    self._send_ping_ack(payload)
                else:
                    self._ping_acked(payload)
            elif ftype == F.GOAWAY:
                try:
                    self._goaway = _GoAway.FromString(payload)
                except DecodeError:
                    raise F.ProtocolViolation("malformed GoAway") from None
            else:
                raise F.ProtocolViolation(f"{F.TYPE_NAMES[ftype]} from the server")

    def _ping_acked(self, payload: bytes) -> None:  # overridden where ping() is offered
        pass

    def _lost_error(self, reason: str) -> PaladinError:
        """What calls without END get when the connection ends (§6.5)."""
        if self._goaway is not None and self._goaway.code != 0:
            return goaway_error(self._goaway)
        return PaladinError(StatusCode.UNAVAILABLE, f"connection lost: {reason}", local=True)

    def _check_can_open(self) -> None:
        if self._goaway is not None:
            raise PaladinError(StatusCode.UNAVAILABLE,
                               f"connection is going away (GOAWAY {StatusCode.of(self._goaway.code).name}: "
                               f"{self._goaway.message}); open a new connection", local=True)
