"""Client behaviour for server frames the real server does not send on demand: a scripted peer
(PING from the server, IGNORABLE frames, GOAWAY codes, protocol violations, odd unary answers)."""

import socket
import threading

import pytest

import paladin_client as pc
from paladin_client import frames as F
from paladin_client.v1 import frame_pb2, health_pb2

ACK = F.encode_frame(F.HELLO, F.ACK, 0, frame_pb2.Hello(agent="fake/1", max_frame_size=16384,
                                                         max_concurrent_streams=4).SerializeToString())
SERVING = health_pb2.HealthCheckResponse(status=1).SerializeToString()


class FakeServer:
    """Accepts one connection, checks the preface and HELLO, then runs `script(sock, read)`."""

    def __init__(self, script):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.script = script
        self.error = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        sock, _ = self.listener.accept()
        parser = F.FrameParser()
        pending = []
        buf = b""
        while len(buf) < 8:
            buf += sock.recv(8 - len(buf))
        assert buf == F.PREFACE

        def read():
            while not pending:
                data = sock.recv(65536)
                if not data:
                    return None
                pending.extend(parser.feed(data))
            return pending.pop(0)
        try:
            assert read()[0] == F.HELLO
            self.script(sock, read)
        except Exception as error:  # reported by join()
            self.error = error
        finally:
            sock.close()
            self.listener.close()

    def join(self):
        self.thread.join(20)
        if self.error:
            raise self.error


def test_client_answers_server_ping_and_skips_ignorable_frames():
    def script(sock, read):
        sock.sendall(ACK + F.encode_frame(0x60, F.IGNORABLE, 0, b"zz") + F.encode_frame(F.PING, 0, 0, b"12345678"))
        assert read() == (F.PING, F.ACK, 0, b"12345678")
        ftype, _, sid, _ = read()
        assert ftype == F.REQUEST
        sock.sendall(F.encode_frame(F.MESSAGE, 0, sid, SERVING) + F.encode_frame(F.END, 0, sid))
        assert read() is None
    fake = FakeServer(script)
    with pc.connect("127.0.0.1", fake.port) as c:
        assert c.max_concurrent_streams == 4
        assert c.health.check().status == 1
    fake.join()


@pytest.mark.parametrize("code,expected", [(16, pc.StatusCode.UNAUTHENTICATED), (12, pc.StatusCode.UNIMPLEMENTED),
                                           (8, pc.StatusCode.UNAVAILABLE)])
def test_goaway_instead_of_hello_ack_fails_the_connect(code, expected):
    def script(sock, read):
        sock.sendall(F.encode_frame(F.GOAWAY, 0, 0, frame_pb2.GoAway(code=code, message="no").SerializeToString()))
    fake = FakeServer(script)
    with pytest.raises(pc.PaladinError) as err:
        pc.connect("127.0.0.1", fake.port)
    assert err.value.code is expected
    fake.join()


def test_unary_shapes_and_unknown_codes():
    def script(sock, read):
        sock.sendall(ACK)
        for answer in (lambda s: F.encode_frame(F.END, 0, s),  # OK without MESSAGE -> INTERNAL
                       lambda s: F.encode_frame(F.MESSAGE, 0, s, SERVING) * 2 + F.encode_frame(F.END, 0, s),
                       lambda s: F.encode_frame(F.END, 0, s, frame_pb2.Status(code=99, message="odd").SerializeToString())):
            ftype, _, sid, _ = read()
            sock.sendall(answer(sid))
        assert read() is None
    fake = FakeServer(script)
    with pc.connect("127.0.0.1", fake.port) as c:
        for expected in (pc.StatusCode.INTERNAL, pc.StatusCode.INTERNAL, pc.StatusCode.UNKNOWN):
            with pytest.raises(pc.PaladinError) as err:
                c.health.check()
            assert err.value.code is expected
    fake.join()


def test_message_on_a_stream_never_opened_closes_the_connection():
    def script(sock, read):
        sock.sendall(ACK)
        ftype, _, sid, _ = read()
        sock.sendall(F.encode_frame(F.MESSAGE, 0, sid + 100, SERVING))
        frame = read()
        assert frame[0] == F.GOAWAY and frame_pb2.GoAway.FromString(frame[3]).code == 13
    fake = FakeServer(script)
    with pc.connect("127.0.0.1", fake.port) as c:
        with pytest.raises(pc.PaladinError) as err:
            c.health.check()
        assert err.value.code is pc.StatusCode.UNAVAILABLE and "protocol violation" in err.value.message
    fake.join()


def test_streams_above_goaway_last_stream_id_get_their_unavailable_end():
    def script(sock, read):
        sock.sendall(ACK)
        first = read()[2]
        second = read()[2]
        sock.sendall(F.encode_frame(F.GOAWAY, 0, 0, frame_pb2.GoAway(last_stream_id=first, message="server shutting down").SerializeToString()))
        sock.sendall(F.encode_frame(F.END, 0, second, frame_pb2.Status(code=14, message="server is shutting down").SerializeToString()))
        sock.sendall(F.encode_frame(F.MESSAGE, 0, first, SERVING) + F.encode_frame(F.END, 0, first))
    fake = FakeServer(script)
    with pc.connect("127.0.0.1", fake.port) as c:
        a = c.health.watch()
        b = c.health.watch()
        with pytest.raises(pc.PaladinError) as err:
            next(b)
        assert err.value.code is pc.StatusCode.UNAVAILABLE and not err.value.local
        assert [r.status for r in a] == [1]
        with pytest.raises(pc.PaladinError) as err:
            c.health.check()
        assert err.value.code is pc.StatusCode.UNAVAILABLE
    fake.join()
