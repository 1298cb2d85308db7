"""A peer that breaks the protocol gets the GOAWAY or END that docs/protocol.md §12 promises,
and the other clients of the server keep working."""

import socket
import struct

import pytest

import paladin_client as pc
from paladin_client import frames as F
from paladin_client.v1 import frame_pb2, health_pb2


class RawPeer:
    """A hand-driven connection: write any bytes, read frames."""

    def __init__(self, server, handshake=True):
        self.sock = socket.create_connection((server.host, server.port), timeout=20)
        self.parser = F.FrameParser()
        self.pending = []
        if handshake:
            self.sock.sendall(F.PREFACE + F.hello_frame("hostile/1.0"))
            ftype, flags, _, _ = self.next()
            assert (ftype, flags) == (F.HELLO, F.ACK)

    def next(self):
        while not self.pending:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.pending += self.parser.feed(data)
        return self.pending.pop(0)

    def expect_goaway(self):
        frame = self.next()
        assert frame is not None and frame[0] == F.GOAWAY, frame
        goaway = frame_pb2.GoAway.FromString(frame[3])
        assert self.next() is None  # then the server closes
        return goaway

    def close(self):
        self.sock.close()


@pytest.fixture()
def bystander(server):
    """A well-behaved client with a stream open during the abuse."""
    with pc.connect(server.host, server.port) as c:
        watch = c.health.watch()
        assert next(watch).status == health_pb2.SERVING_STATUS_SERVING
        yield c
        assert c.health.check().status == health_pb2.SERVING_STATUS_SERVING
        assert c.open_streams == 1 and watch.status is None  # its stream was not disturbed
        watch.cancel()


def test_bad_ping_length_is_a_connection_error(server, bystander):
    peer = RawPeer(server)
    peer.sock.sendall(F.encode_frame(F.PING, 0, 0, b"abc"))
    goaway = peer.expect_goaway()
    assert (goaway.code, goaway.message) == (13, "PING payload must be 8 bytes, got 3")


def test_malformed_request_payload_is_a_stream_error(server, bystander):
    peer = RawPeer(server)
    peer.sock.sendall(F.encode_frame(F.REQUEST, F.END_STREAM, 1, b"\x0a\xff"))  # truncated string
    ftype, _, sid, payload = peer.next()
    assert (ftype, sid) == (F.END, 1)
    status = frame_pb2.Status.FromString(payload)
    assert (status.code, status.message) == (3, "malformed Request")
    # The connection keeps serving.
    peer.sock.sendall(F.request_frame(3, "paladin.v1.Health/Check", b""))
    assert peer.next()[0:3] == (F.MESSAGE, 0, 3)
    assert peer.next()[0:3] == (F.END, 0, 3)
    peer.close()


def test_request_without_end_stream_is_invalid_argument(server, bystander):
    peer = RawPeer(server)
    payload = frame_pb2.Request(method="paladin.v1.Health/Check").SerializeToString()
    peer.sock.sendall(F.encode_frame(F.REQUEST, 0, 1, payload))
    ftype, _, sid, body = peer.next()
    status = frame_pb2.Status.FromString(body)
    assert (ftype, sid, status.code) == (F.END, 1, 3)
    assert status.message == "client streaming is not supported in protocol 1.0"
    peer.close()


def test_oversize_frame_header_is_refused_before_the_payload(server, bystander):
    peer = RawPeer(server)
    limit = 4194304
    peer.sock.sendall(struct.pack(">IBBHI", limit + 1, F.REQUEST, F.END_STREAM, 0, 1))
    goaway = peer.expect_goaway()
    assert (goaway.code, goaway.message) == (8, f"frame of {limit + 1} bytes exceeds the limit of {limit}")


def test_non_increasing_stream_id_and_unknown_type(server, bystander):
    peer = RawPeer(server)
    peer.sock.sendall(F.request_frame(5, "paladin.v1.Health/Check", b""))
    assert peer.next()[0] == F.MESSAGE and peer.next()[0] == F.END
    peer.sock.sendall(F.request_frame(5, "paladin.v1.Health/Check", b""))
    goaway = peer.expect_goaway()
    assert (goaway.last_stream_id, goaway.code) == (5, 13)
    assert goaway.message == "stream id 5 is not greater than the previous stream id 5"

    peer = RawPeer(server)
    peer.sock.sendall(F.encode_frame(0x40, 0x80, 0, b"hi") + F.encode_frame(0x41, 0, 0, b""))
    assert peer.expect_goaway().message == "unknown frame type 0x41"


def test_bad_preface_and_first_frame_not_hello(server, bystander):
    peer = RawPeer(server, handshake=False)
    peer.sock.sendall(b"HTTP/1.1")
    assert (lambda g: (g.code, g.message))(peer.expect_goaway()) == (13, "bad preface")

    peer = RawPeer(server, handshake=False)
    peer.sock.sendall(b"PLDN\x02\x00\x00\x00")
    goaway = peer.expect_goaway()
    assert goaway.code == 12 and goaway.message == "unsupported protocol version 2.0; this server speaks 1.x"

    peer = RawPeer(server, handshake=False)
    peer.sock.sendall(F.PREFACE + F.encode_frame(F.PING, 0, 0, bytes(8)))
    assert (lambda g: (g.code, g.message))(peer.expect_goaway()) == (13, "expected HELLO, got PING")


def test_the_server_answers_ping_with_the_same_bytes(server):
    peer = RawPeer(server)
    peer.sock.sendall(F.encode_frame(F.PING, 0, 0, bytes(range(1, 9))))
    assert peer.next() == (F.PING, F.ACK, 0, bytes(range(1, 9)))
    peer.close()
