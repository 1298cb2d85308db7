"""The hostile probes of issue 17, each a function `probe(port, seconds)` that attacks the server
from its own process until the time is up. Failures of the attacker's own calls are expected
(that is the server refusing); only the server's health, latency and memory are measured."""

import socket
import time

from paladin_client import frames as F
from paladin_client.v1 import battalion_pb2, frame_pb2, garrison_pb2, paladin_pb2

from wire import call, drain, handshake

MiB = 1024 * 1024


def _repeat(seconds, attack):
    """Runs `attack()` again and again until `seconds` pass; connection errors are the server
    defending itself and are counted, not raised."""
    end = time.monotonic() + seconds
    refused = 0
    while time.monotonic() < end:
        try:
            attack()
        except (OSError, ConnectionError):
            refused += 1
            time.sleep(0.01)
    return refused


def _calls(port, calls):
    """One connection making `calls` ((method, payload) pairs) in turn, each awaited."""
    sock = handshake(port)
    for index, (method, payload) in enumerate(calls):
        call(sock, 2 * index + 1, method, payload)
    sock.close()


def _repeat_calls(port, seconds, calls):
    """`_calls` on a new connection again and again until `seconds` pass."""
    _repeat(seconds, lambda: _calls(port, calls))


def _repeat_sends(port, seconds, data, handshaken=True):
    """Sends `data` on a new connection (after the handshake, or instead of it), reads whatever
    comes back until the server closes or goes quiet, again and again until `seconds` pass."""
    def attack():
        sock = handshake(port) if handshaken else socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(data)
        drain(sock)
        sock.close()
    _repeat(seconds, attack)


def never_read_unary(port, seconds):
    """Pipelines ListPaladins (about 1 MiB replies) and ServerInfo/Get, and never reads."""
    _pipeline_without_reading(port, seconds, lambda stream_id: F.request_frame(
        stream_id, "paladin.v1.PaladinService/ListPaladins" if stream_id % 4 == 1 else "paladin.v1.ServerInfo/Get", b""))


def _pipeline_without_reading(port, seconds, make_frame, max_stream_id=1 << 30):
    """Writes frames from `make_frame(stream_id)` as fast as the server takes them, reading nothing."""
    sock = handshake(port)
    sock.setblocking(False)
    end = time.monotonic() + seconds
    stream_id, pending = 1, b""
    while time.monotonic() < end:
        if not pending and stream_id < max_stream_id:
            pending = make_frame(stream_id)
            stream_id += 2
        if not pending:
            time.sleep(0.05)
            continue
        try:
            pending = pending[sock.send(pending):]
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            break
    sock.close()


def never_read_pings(port, seconds):
    """PINGs without reading the answers (the flood guard ends it; the probe reconnects)."""
    ping = F.encode_frame(F.PING, 0, 0, b"12345678")

    def attack():
        sock = handshake(port)
        for _ in range(10_000):
            sock.sendall(ping)
        sock.close()
    _repeat(seconds, attack)


def never_read_stream(port, seconds):
    """Opens ExecuteStream calls on a paladin with a long answer and never reads them."""
    request = paladin_pb2.ExecuteRequest(paladin="longout", input="go").SerializeToString()
    _pipeline_without_reading(port, seconds, lambda stream_id: F.request_frame(
        stream_id, "paladin.v1.PaladinService/ExecuteStream", request), max_stream_id=200)


def cancel_flood(port, seconds):
    """CANCELs of streams never opened."""
    _repeat_sends(port, seconds, b"".join(F.encode_frame(F.CANCEL, 0, i, b"") for i in range(1, 5000)))


def empty_metadata(port, seconds):
    """A REQUEST carrying about 4 MiB of empty metadata entries."""
    request = frame_pb2.Request(method="paladin.v1.Health/Check")
    request.metadata.extend([frame_pb2.MetadataEntry()] * (2 * MiB - 64))
    _repeat_sends(port, seconds, F.encode_frame(F.REQUEST, F.END_STREAM, 1, request.SerializeToString()))


def hello_unknown_fields(port, seconds):
    """A HELLO of nearly 4 MiB of unknown varint fields, before authentication."""
    junk = b"\xf8\x3e\x01" * (4 * MiB // 3 - 16)  # field 1000, varint 1
    _repeat_sends(port, seconds, F.PREFACE + F.encode_frame(F.HELLO, 0, 0, junk), handshaken=False)


def partial_hellos(port, seconds):
    """1,024 connections, each holding half a HELLO."""
    hello = F.PREFACE + F.hello_frame("slow")
    held = []
    end = time.monotonic() + seconds
    try:
        while len(held) < 1024 and time.monotonic() < end:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.sendall(hello[: len(hello) - 3])
                held.append(sock)
            except OSError:
                time.sleep(0.01)
        time.sleep(max(0, end - time.monotonic()))
    finally:
        for sock in held:
            sock.close()


def append_empty_entries(port, seconds):
    """An AppendRequest of 2M empty entries (about 4 MB)."""
    request = garrison_pb2.AppendRequest(session_id="flood")
    request.entries.extend([garrison_pb2.GarrisonEntry()] * 2_000_000)
    _repeat_calls(port, seconds, [("paladin.v1.GarrisonService/Append", request.SerializeToString())])


def battalion_empty_members(port, seconds):
    """A CreateBattalion of 2M empty formation members."""
    definition = battalion_pb2.BattalionDefinition(name="flood")
    definition.formation.members.extend([""] * 2_000_000)
    _repeat_calls(port, seconds, [_create_battalion(definition)])


def system_entries(port, seconds):
    """Appends of 1,000 empty system entries, to one session again and again."""
    request = garrison_pb2.AppendRequest(session_id="system-flood")
    request.entries.extend([garrison_pb2.GarrisonEntry(role=garrison_pb2.ROLE_SYSTEM)] * 1000)
    _repeat_calls(port, seconds, [("paladin.v1.GarrisonService/Append", request.SerializeToString())] * 20)


def campaign_chain(port, seconds):
    """A Campaign of a 150k-member chain."""
    definition = battalion_pb2.BattalionDefinition(name="chain")
    members = [f"m{i}" for i in range(150_000)]
    definition.campaign.members.extend(members)
    definition.campaign.edges.extend(
        battalion_pb2.CampaignEdge(**{"from": a, "to": b}) for a, b in zip(members, members[1:]))
    definition.campaign.entry_points.append("m0")
    _repeat_calls(port, seconds, [_create_battalion(definition)])


def catastrophic_regex(port, seconds):
    """Runs a campaign whose edge is `(a+)+$` over a 100 KB answer of `a`s and a `!`."""
    definition = battalion_pb2.BattalionDefinition(name="regex-bomb")
    definition.campaign.members.extend(["longout", "echo"])
    definition.campaign.edges.append(battalion_pb2.CampaignEdge(
        **{"from": "longout", "to": "echo", "condition": battalion_pb2.EDGE_CONDITION_KIND_REGEX, "pattern": "(a+)+$"}))
    definition.campaign.entry_points.append("longout")
    _calls(port, [_create_battalion(definition)])
    run = battalion_pb2.RunRequest(battalion="regex-bomb", input="go").SerializeToString()
    _repeat_calls(port, seconds, [("paladin.v1.BattalionService/Run", run)])


def provider_faults(port, seconds):
    """Executes paladins whose provider answers Retry-After: inf, an endless SSE line, an endless body."""
    _repeat_calls(port, seconds, [
        ("paladin.v1.PaladinService/Execute", paladin_pb2.ExecuteRequest(paladin=name, input="go").SerializeToString())
        for name in ["fault_inf", "fault_line", "fault_body"]])


def unbounded_reads(port, seconds):
    """History and Search with limit 0xFFFFFFFF on a session of 128 entries of 60 KB."""
    request = garrison_pb2.AppendRequest(session_id="big")
    request.entries.extend([garrison_pb2.GarrisonEntry(role=garrison_pb2.ROLE_USER, content="word " * 12_000)] * 16)
    _calls(port, [("paladin.v1.GarrisonService/Append", request.SerializeToString())] * 8)
    _repeat_calls(port, seconds, [
        ("paladin.v1.GarrisonService/History",
         garrison_pb2.HistoryRequest(session_id="big", limit=0xFFFFFFFF).SerializeToString()),
        ("paladin.v1.GarrisonService/Search",
         garrison_pb2.SearchRequest(session_id="big", query="word", limit=0xFFFFFFFF).SerializeToString())])


def _create_battalion(definition):
    """The CreateBattalion call of `definition`, as a (method, payload) pair."""
    return ("paladin.v1.BattalionService/CreateBattalion",
            battalion_pb2.CreateBattalionRequest(definition=definition).SerializeToString())


ALL = [
    never_read_unary, never_read_pings, never_read_stream, cancel_flood, empty_metadata,
    hello_unknown_fields, partial_hellos, append_empty_entries, battalion_empty_members,
    system_entries, campaign_chain, catastrophic_regex, provider_faults, unbounded_reads,
]
