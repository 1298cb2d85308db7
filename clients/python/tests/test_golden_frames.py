"""The conformance vectors (Tests/PaladinWireTests/Fixtures/golden-frames.txt): our encoder makes
exactly these bytes from the described values, and our parser reads them back."""

import pytest

import paladin_client as pc
from paladin_client import frames as F
from paladin_client.v1 import frame_pb2, garrison_pb2, health_pb2

from conftest import golden_vectors

V = golden_vectors()


def parse_one(data: bytes):
    frames = F.FrameParser().feed(data)
    assert len(frames) == 1
    return frames[0]


def test_every_vector_is_covered():
    assert set(V) == {
        "preface", "hello_client", "hello_ack", "request_health_check", "message_health_serving", "end_ok",
        "end_unimplemented", "request_garrison_append", "cancel", "ping", "ping_ack", "goaway_shutdown",
        "goaway_oversize", "unknown_ignorable"}


def test_preface():
    assert F.PREFACE == V["preface"]


def test_hello_client_and_ack():
    assert F.hello_frame("example-client/1.0") == V["hello_client"]
    ack = frame_pb2.Hello(agent="paladin/0.1.0", max_frame_size=4194304, max_concurrent_streams=100, max_metadata_size=8192)
    assert F.encode_frame(F.HELLO, F.ACK, 0, ack.SerializeToString()) == V["hello_ack"]
    ftype, flags, sid, payload = parse_one(V["hello_ack"])
    assert (ftype, flags, sid) == (F.HELLO, F.ACK, 0)
    assert frame_pb2.Hello.FromString(payload) == ack


def test_request_health_check():
    message = health_pb2.HealthCheckRequest(service="").SerializeToString()
    assert message == b""
    data = F.request_frame(1, "paladin.v1.Health/Check", message, 5_000_000, [("x-request-id", "42")])
    assert data == V["request_health_check"]
    ftype, flags, sid, payload = parse_one(data)
    assert (ftype, flags, sid) == (F.REQUEST, F.END_STREAM, 1)
    request = frame_pb2.Request.FromString(payload)
    assert request.method == "paladin.v1.Health/Check" and request.timeout_us == 5_000_000
    assert [(m.key, m.value) for m in request.metadata] == [("x-request-id", "42")]


def test_message_and_end():
    serving = health_pb2.HealthCheckResponse(status=health_pb2.SERVING_STATUS_SERVING)
    assert F.encode_frame(F.MESSAGE, 0, 1, serving.SerializeToString()) == V["message_health_serving"]
    assert F.encode_frame(F.END, 0, 1, frame_pb2.Status().SerializeToString()) == V["end_ok"]
    status = frame_pb2.Status(code=12, message="unknown method paladin.v1.Nope/Nope")
    assert F.encode_frame(F.END, 0, 3, status.SerializeToString()) == V["end_unimplemented"]
    error = pc.PaladinError.from_status(frame_pb2.Status.FromString(parse_one(V["end_unimplemented"])[3]))
    assert error.code is pc.StatusCode.UNIMPLEMENTED and error.message == "unknown method paladin.v1.Nope/Nope"


def test_request_garrison_append():
    append = garrison_pb2.AppendRequest(session_id="s1", entries=[garrison_pb2.GarrisonEntry(
        role=garrison_pb2.ROLE_USER, content="héllo ⚔", importance=50, metadata={"lang": "fr"})])
    data = F.request_frame(5, "paladin.v1.GarrisonService/Append", append.SerializeToString())
    assert data == V["request_garrison_append"]
    request = frame_pb2.Request.FromString(parse_one(data)[3])
    assert garrison_pb2.AppendRequest.FromString(request.message) == append


def test_cancel_ping_goaway():
    assert F.encode_frame(F.CANCEL, 0, 5) == V["cancel"]
    assert F.encode_frame(F.PING, 0, 0, bytes(range(1, 9))) == V["ping"]
    assert F.encode_frame(F.PING, F.ACK, 0, bytes(range(1, 9))) == V["ping_ack"]
    shutdown = frame_pb2.GoAway(last_stream_id=7, message="server shutting down")
    assert F.encode_frame(F.GOAWAY, 0, 0, shutdown.SerializeToString()) == V["goaway_shutdown"]
    oversize = frame_pb2.GoAway(code=8, message="frame of 4194305 bytes exceeds the limit of 4194304")
    assert F.encode_frame(F.GOAWAY, 0, 0, oversize.SerializeToString()) == V["goaway_oversize"]
    assert frame_pb2.GoAway.FromString(parse_one(V["goaway_shutdown"])[3]) == shutdown


def test_unknown_ignorable_is_skipped_and_unknown_without_flag_is_refused():
    parser = F.FrameParser()
    assert parser.feed(V["unknown_ignorable"] + V["ping"]) == [(F.PING, 0, 0, bytes(range(1, 9)))]
    refused = bytearray(V["unknown_ignorable"])
    refused[5] = 0
    with pytest.raises(F.ProtocolViolation, match="unknown frame type 0x40"):
        F.FrameParser().feed(bytes(refused))


def test_parser_checks_length_before_the_payload_arrives():
    header = F.HEADER.pack(4194305, F.MESSAGE, 0, 0, 1)
    with pytest.raises(F.ProtocolViolation, match="exceeds the limit"):
        F.FrameParser().feed(header)


def test_parser_reassembles_frames_split_anywhere():
    stream = V["hello_ack"] + V["message_health_serving"] + V["end_ok"]
    parser = F.FrameParser()
    frames = []
    for i in range(len(stream)):
        frames += parser.feed(stream[i:i + 1])
    assert [f[0] for f in frames] == [F.HELLO, F.MESSAGE, F.END]
