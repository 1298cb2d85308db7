"""Frame layout of protocol 1.0 (docs/protocol.md §4-§5): preface, 12-byte header, parser."""

from __future__ import annotations

import struct
from typing import List, Optional, Sequence, Tuple

from .v1 import frame_pb2

#: The 8-byte client preface: "PLDN", major 1, minor 0, reserved 0 (§4).
PREFACE = b"PLDN\x01\x00\x00\x00"
PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 0

HELLO = 0x01
REQUEST = 0x02
MESSAGE = 0x03
END = 0x04
CANCEL = 0x05
PING = 0x06
GOAWAY = 0x07
TYPE_NAMES = {HELLO: "HELLO", REQUEST: "REQUEST", MESSAGE: "MESSAGE", END: "END",
              CANCEL: "CANCEL", PING: "PING", GOAWAY: "GOAWAY"}

END_STREAM = 0x01
ACK = 0x02
IGNORABLE = 0x80

HEADER = struct.Struct(">IBBHI")
HEADER_SIZE = 12
#: Default limits (§11), assumed before the HELLO ACK says otherwise.
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024
DEFAULT_MAX_CONCURRENT_STREAMS = 100
DEFAULT_MAX_METADATA_SIZE = 8192
MAX_STREAM_ID = 0xFFFFFFFF

Frame = Tuple[int, int, int, bytes]  # (type, flags, stream_id, payload)


def encode_frame(frame_type: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    """Header plus payload, ready for the socket."""
    return HEADER.pack(len(payload), frame_type, flags, 0, stream_id) + payload


def hello_frame(agent: str, auth_token: str = "") -> bytes:
    """The client's HELLO (stream 0, flags 0)."""
    return encode_frame(HELLO, 0, 0, frame_pb2.Hello(agent=agent, auth_token=auth_token).SerializeToString())


def request_frame(stream_id: int, method: str, message: bytes, timeout_us: int = 0,
                  metadata: Optional[Sequence[Tuple[str, str]]] = None) -> bytes:
    """A REQUEST with END_STREAM (required in 1.0) opening `stream_id`."""
    req = frame_pb2.Request(method=method, timeout_us=timeout_us, message=message)
    if metadata:
        for key, value in metadata:
            req.metadata.add(key=key, value=value)
    return encode_frame(REQUEST, END_STREAM, stream_id, req.SerializeToString())


class ProtocolViolation(Exception):
    """The peer broke the protocol; the connection must be closed (§12.3)."""


class FrameParser:
    """Incremental frame parser: feed it bytes, get whole frames back.

    Checks `length` against `max_frame_size` as soon as a header is complete, before any payload
    is buffered (§5.1), and skips unknown frame types that carry IGNORABLE (§5.2).
    """

    __slots__ = ("buffer", "max_frame_size")

    def __init__(self, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE) -> None:
        self.buffer = bytearray()
        self.max_frame_size = max_frame_size

    def feed(self, data: bytes) -> List[Frame]:
        buf = self.buffer
        buf += data
        frames: List[Frame] = []
        pos = 0
        size = len(buf)
        unpack = HEADER.unpack_from
        while size - pos >= HEADER_SIZE:
            length, ftype, flags, _, sid = unpack(buf, pos)
            if length > self.max_frame_size:
                raise ProtocolViolation(f"frame of {length} bytes exceeds the limit of {self.max_frame_size}")
            end = pos + HEADER_SIZE + length
            if end > size:
                break
            if 1 <= ftype <= 7:
                frames.append((ftype, flags, sid, bytes(buf[pos + HEADER_SIZE:end])))
            elif not flags & IGNORABLE:
                raise ProtocolViolation(f"unknown frame type 0x{ftype:02x}")
            pos = end
        if pos:
            del buf[:pos]
        return frames
