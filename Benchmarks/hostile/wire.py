"""Raw-socket helpers for the hostile probes: frames in and out without the client library's
rules, so a probe can send what a real client never would."""

import socket
import struct

from paladin_client import frames as F
from paladin_client.v1 import frame_pb2, health_pb2

HEADER = struct.Struct(">IBBHI")


def handshake(port, timeout=5.0):
    """A connected socket past preface + HELLO (the server's HELLO ACK is read)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(F.PREFACE + F.hello_frame("hostile-bench"))
    frame = read_frame(sock)
    if frame is None or frame[0] != F.HELLO:
        raise ConnectionError(f"no HELLO ACK: {frame!r}")
    return sock


def read_exact(sock, count):
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def read_frame(sock):
    """(type, flags, stream_id, payload), or None at end of stream."""
    header = read_exact(sock, F.HEADER_SIZE)
    if header is None:
        return None
    length, frame_type, flags, _, stream_id = HEADER.unpack(header)
    payload = read_exact(sock, length) if length else b""
    if payload is None:
        return None
    return frame_type, flags, stream_id, payload


def call(sock, stream_id, method, message=b"", metadata=None):
    """Sends one REQUEST and reads until its END; returns (status, messages). Other streams'
    frames and PINGs are skipped."""
    sock.sendall(F.request_frame(stream_id, method, message, metadata=metadata))
    messages = []
    while True:
        frame = read_frame(sock)
        if frame is None:
            raise ConnectionError("closed before END")
        frame_type, _, sid, payload = frame
        if frame_type == F.GOAWAY:
            raise ConnectionError(f"GOAWAY {frame_pb2.GoAway.FromString(payload)}")
        if sid != stream_id:
            continue
        if frame_type == F.MESSAGE:
            messages.append(payload)
        elif frame_type == F.END:
            return frame_pb2.Status.FromString(payload), messages


def health_request(stream_id):
    return F.request_frame(stream_id, "paladin.v1.Health/Check", health_pb2.HealthCheckRequest().SerializeToString())


def drain(sock):
    """Reads whatever arrives until the peer closes or goes quiet; errors end it quietly."""
    try:
        sock.settimeout(2.0)
        while sock.recv(1 << 20):
            pass
    except OSError:
        pass
