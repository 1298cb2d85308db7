#!/usr/bin/env python3
"""Generates the Paladin wire-protocol conformance vectors.

Writes Tests/PaladinWireTests/Fixtures/golden-frames.txt and refreshes the generated blocks of
docs/protocol.md (the annotated hex dump of a unary call and the vector appendix), so the
fixture, the spec and the .proto contract cannot drift apart.

The protobuf bytes come from the official Python protobuf runtime, using code that protoc
generates from proto/paladin/v1/*.proto into a temporary directory (never committed).

Usage:
    scripts/golden-frames.py            write the fixture and refresh docs/protocol.md
    scripts/golden-frames.py --check    exit 1 if either file is stale (for CI); writes nothing
    scripts/golden-frames.py --print    print the fixture to stdout; writes nothing

Needs: protoc (3.21 or newer; $PROTOC overrides) and the `protobuf` Python package.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"
FIXTURE = ROOT / "Tests" / "PaladinWireTests" / "Fixtures" / "golden-frames.txt"
DOC = ROOT / "docs" / "protocol.md"

# --- Protocol constants (docs/protocol.md is normative) --------------------------------------

PREFACE_MAGIC = b"PLDN"
PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 0
HEADER_SIZE = 12

HELLO, REQUEST, MESSAGE, END, CANCEL, PING, GOAWAY = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
TYPE_NAMES = {
    HELLO: "HELLO", REQUEST: "REQUEST", MESSAGE: "MESSAGE", END: "END",
    CANCEL: "CANCEL", PING: "PING", GOAWAY: "GOAWAY",
}
END_STREAM, ACK, IGNORABLE = 0x01, 0x02, 0x80
FLAG_NAMES = [(END_STREAM, "END_STREAM"), (ACK, "ACK"), (IGNORABLE, "IGNORABLE")]

STATUS_NAMES = [
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
]


def preface(major: int = PROTOCOL_MAJOR, minor: int = PROTOCOL_MINOR) -> bytes:
    return PREFACE_MAGIC + bytes([major, minor, 0, 0])


def frame(ftype: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    return (
        len(payload).to_bytes(4, "big")
        + bytes([ftype, flags])
        + b"\x00\x00"
        + stream_id.to_bytes(4, "big")
        + payload
    )


# --- Generated protobuf code -----------------------------------------------------------------


def load_protos(tmp: Path):
    """Runs protoc into tmp and imports the generated modules."""
    protoc = os.environ.get("PROTOC") or shutil.which("protoc")
    if not protoc:
        sys.exit("golden-frames: protoc not found (install protobuf-compiler or set $PROTOC)")
    protos = sorted(str(p.relative_to(PROTO_DIR)) for p in (PROTO_DIR / "paladin" / "v1").glob("*.proto"))
    subprocess.run([protoc, f"-I{PROTO_DIR}", f"--python_out={tmp}", *protos], check=True, cwd=PROTO_DIR)
    # Regular packages, so an installed `paladin` distribution (e.g. the Python client) cannot
    # shadow the generated code.
    for pkg in (tmp / "paladin", tmp / "paladin" / "v1"):
        (pkg / "__init__.py").touch()
    sys.path.insert(0, str(tmp))
    names = ["frame", "health", "garrison", "server_info", "paladin", "battalion"]
    return {n: importlib.import_module(f"paladin.v1.{n}_pb2") for n in names}


def encode(msg) -> bytes:
    # Deterministic serialization fixes the order of map entries (only matters with > 1 entry).
    return msg.SerializeToString(deterministic=True)


# --- Vectors ---------------------------------------------------------------------------------


@dataclass
class Vector:
    name: str
    meaning: list[str]
    data: bytes
    # Payload type for the annotation: a message class, "preface", "raw" or None (empty).
    payload_type: object = None


def build_vectors(pb) -> list[Vector]:
    f, h, g = pb["frame"], pb["health"], pb["garrison"]

    hello_client = f.Hello(agent="example-client/1.0")
    hello_ack = f.Hello(
        agent="paladin/0.1.0",
        max_frame_size=4194304,
        max_concurrent_streams=100,
        max_metadata_size=8192,
        protocol_minor=0,
    )
    check_req = h.HealthCheckRequest(service="")
    assert encode(check_req) == b"", "HealthCheckRequest{service:\"\"} must encode to zero bytes"
    request_check = f.Request(
        method="paladin.v1.Health/Check",
        metadata=[f.MetadataEntry(key="x-request-id", value="42")],
        timeout_us=5_000_000,
        message=encode(check_req),
    )
    serving = h.HealthCheckResponse(status=h.SERVING_STATUS_SERVING)
    append = g.AppendRequest(
        session_id="s1",
        entries=[
            g.GarrisonEntry(
                role=g.ROLE_USER,
                content="h\u00e9llo \u2694",  # "héllo ⚔": U+00E9, U+2694 CROSSED SWORDS
                importance=50,
                metadata={"lang": "fr"},
            )
        ],
    )
    request_append = f.Request(
        method="paladin.v1.GarrisonService/Append", timeout_us=0, message=encode(append)
    )
    ping_data = bytes.fromhex("0102030405060708")

    vectors = [
        Vector("preface",
               ["Client preface: magic \"PLDN\", major 1, minor 0, two reserved zero bytes.",
                "The client sends it first on every connection; the server sends none."],
               preface(), "preface"),
        Vector("hello_client",
               ["HELLO from the client (first frame after the preface): flags 0, stream 0,",
                "Hello{agent:\"example-client/1.0\"} (no auth_token)."],
               frame(HELLO, 0, 0, encode(hello_client)), f.Hello),
        Vector("hello_ack",
               ["HELLO ACK from the server: flags ACK, stream 0, Hello{agent:\"paladin/0.1.0\",",
                "max_frame_size:4194304, max_concurrent_streams:100, max_metadata_size:8192,",
                "protocol_minor:0 (default value, so the field is absent)}."],
               frame(HELLO, ACK, 0, encode(hello_ack)), f.Hello),
        Vector("request_health_check",
               ["REQUEST opening a unary call on stream 1: flags END_STREAM,",
                "Request{method:\"paladin.v1.Health/Check\", metadata:[{\"x-request-id\",\"42\"}],",
                "timeout_us:5000000 (5 s), message: HealthCheckRequest{service:\"\"} which encodes",
                "to zero bytes, so Request.message is absent}."],
               frame(REQUEST, END_STREAM, 1, encode(request_check)), f.Request),
        Vector("message_health_serving",
               ["MESSAGE on stream 1 (the unary response): flags 0,",
                "HealthCheckResponse{status:SERVING_STATUS_SERVING (1)}."],
               frame(MESSAGE, 0, 1, encode(serving)), h.HealthCheckResponse),
        Vector("end_ok",
               ["END on stream 1: Status{} i.e. code 0 OK. Every field is at its default,",
                "so the payload is empty (length 0)."],
               frame(END, 0, 1, encode(f.Status())), f.Status),
        Vector("end_unimplemented",
               ["END on stream 3 for an unknown method: flags 0,",
                "Status{code:12 UNIMPLEMENTED, message:\"unknown method paladin.v1.Nope/Nope\"}."],
               frame(END, 0, 3, encode(f.Status(code=12, message="unknown method paladin.v1.Nope/Nope"))),
               f.Status),
        Vector("request_garrison_append",
               ["REQUEST on stream 5: flags END_STREAM,",
                "Request{method:\"paladin.v1.GarrisonService/Append\", no metadata, timeout_us:0 (absent),",
                "message: AppendRequest{session_id:\"s1\", entries:[GarrisonEntry{role:ROLE_USER (2),",
                "content:\"h\u00e9llo \u2694\" (UTF-8, 10 bytes), importance:50, metadata:{\"lang\":\"fr\"}}]}}."],
               frame(REQUEST, END_STREAM, 5, encode(request_append)), f.Request),
        Vector("cancel",
               ["CANCEL from the client for stream 5: flags 0, empty payload."],
               frame(CANCEL, 0, 5), None),
        Vector("ping",
               ["PING: flags 0, stream 0, 8 opaque bytes 01..08."],
               frame(PING, 0, 0, ping_data), "raw"),
        Vector("ping_ack",
               ["PING ACK answering the PING above: flags ACK, stream 0, the same 8 bytes."],
               frame(PING, ACK, 0, ping_data), "raw"),
        Vector("goaway_shutdown",
               ["GOAWAY for a graceful shutdown: flags 0, stream 0,",
                "GoAway{last_stream_id:7, code:0 OK (absent), message:\"server shutting down\"}."],
               frame(GOAWAY, 0, 0, encode(f.GoAway(last_stream_id=7, code=0, message="server shutting down"))),
               f.GoAway),
        Vector("goaway_oversize",
               ["GOAWAY answering a frame header whose length (4194305) exceeds max_frame_size:",
                "flags 0, stream 0, GoAway{last_stream_id:0 (absent), code:8 RESOURCE_EXHAUSTED,",
                "message:\"frame of 4194305 bytes exceeds the limit of 4194304\"}."],
               frame(GOAWAY, 0, 0, encode(f.GoAway(
                   last_stream_id=0, code=8,
                   message="frame of 4194305 bytes exceeds the limit of 4194304"))),
               f.GoAway),
        Vector("unknown_ignorable",
               ["A frame of unknown type 0x40 with flags IGNORABLE (0x80), stream 0, payload \"hi\"",
                "(68 69). A 1.0 receiver skips it; without IGNORABLE it would be a protocol error."],
               frame(0x40, IGNORABLE, 0, b"hi"), "raw"),
    ]

    # Pinned values from the specification (guards against accidental edits above).
    pinned = {
        "preface": "504c444e01000000",
        "cancel": "000000000500000000000005",
        "ping": "0000000806000000000000000102030405060708",
        "ping_ack": "0000000806020000000000000102030405060708",
        "end_ok": "000000000400000000000001",
        "unknown_ignorable": "000000024080000000000000" + "6869",
    }
    by_name = {v.name: v for v in vectors}
    for name, hexstr in pinned.items():
        assert by_name[name].data.hex() == hexstr, f"{name}: {by_name[name].data.hex()} != {hexstr}"

    # Round trips: every payload parses back to the message it was built from.
    def payload(v):
        return v.data[HEADER_SIZE:]
    assert f.Hello.FromString(payload(by_name["hello_client"])) == hello_client
    assert f.Hello.FromString(payload(by_name["hello_ack"])) == hello_ack
    assert f.Request.FromString(payload(by_name["request_health_check"])) == request_check
    rq = f.Request.FromString(payload(by_name["request_garrison_append"]))
    assert g.AppendRequest.FromString(rq.message) == append
    assert h.HealthCheckResponse.FromString(payload(by_name["message_health_serving"])) == serving
    for v in vectors:
        if v.payload_type != "preface":
            assert int.from_bytes(v.data[:4], "big") == len(v.data) - HEADER_SIZE, v.name
            assert v.data[6:8] == b"\x00\x00", v.name
    return vectors


# --- Fixture ---------------------------------------------------------------------------------

FIXTURE_HEADER = """\
# Paladin wire protocol 1.0: conformance vectors (golden frames).
#
# GENERATED by scripts/golden-frames.py from proto/paladin/v1/*.proto. Do not edit by hand:
# change the script and run it again. docs/protocol.md is the normative specification; its
# hex dumps are generated from the same script.
#
# Format: UTF-8 text. Lines starting with '#' are comments (the lines just above a vector say
# what it means); blank lines are ignored. Every other line is one vector: `name hex`, a single
# space between them, lowercase hex without spaces. The hex is the complete bytes on the wire:
# the 8-byte preface, or a 12-byte frame header plus its payload.
#
# Frame header (big-endian): length u32 (payload bytes, header excluded) | type u8 | flags u8 |
# reserved u16 (0) | stream_id u32.
# Types: 0x01 HELLO, 0x02 REQUEST, 0x03 MESSAGE, 0x04 END, 0x05 CANCEL, 0x06 PING, 0x07 GOAWAY.
# Flags: 0x01 END_STREAM, 0x02 ACK, 0x80 IGNORABLE.
#
# Tests should check both directions: encoding the described value gives exactly these bytes,
# and decoding these bytes gives the described value.
"""


def render_fixture(vectors: list[Vector]) -> str:
    out = [FIXTURE_HEADER.rstrip("\n")]
    for v in vectors:
        out.append("")
        out.extend(f"# {line}" for line in v.meaning)
        out.append(f"{v.name} {v.data.hex()}")
    return "\n".join(out) + "\n"


# --- Annotated hex dumps (for docs/protocol.md) ----------------------------------------------

HEX_COL = 27  # width of the hex column
WRAP = 8      # bytes per line in the hex column
WIRE_TYPES = {0: "VARINT", 1: "I64", 2: "LEN", 5: "I32"}


def hexs(b: bytes) -> str:
    return " ".join(f"{x:02x}" for x in b)


class Annotator:
    def __init__(self, pb):
        self.pb = pb
        self.lines: list[str] = []

    def emit(self, data: bytes, text: str, indent: int = 0):
        pad = "  " * indent
        chunks = [data[i:i + WRAP] for i in range(0, len(data), WRAP)] or [b""]
        for i, chunk in enumerate(chunks):
            col = hexs(chunk).ljust(HEX_COL)
            self.lines.append((col + (pad + text if i == 0 else "")).rstrip())

    def note(self, text: str, indent: int = 0):
        self.lines.append((" " * HEX_COL + "  " * indent + text).rstrip())

    # The frame header, then the payload.
    def vector(self, v: Vector):
        d = v.data
        if v.payload_type == "preface":
            self.emit(d[0:4], 'magic "PLDN"')
            self.emit(d[4:5], f"major version = {d[4]}")
            self.emit(d[5:6], f"minor version = {d[5]}")
            self.emit(d[6:8], "reserved (0)")
            return
        length = int.from_bytes(d[0:4], "big")
        ftype, flags = d[4], d[5]
        stream = int.from_bytes(d[8:12], "big")
        tname = TYPE_NAMES.get(ftype, "unknown type")
        fnames = [n for bit, n in FLAG_NAMES if flags & bit]
        self.emit(d[0:4], f"length    = {length}")
        self.emit(d[4:5], f"type      = 0x{ftype:02x} {tname}")
        self.emit(d[5:6], f"flags     = 0x{flags:02x}" + (f" {'|'.join(fnames)}" if fnames else ""))
        self.emit(d[6:8], "reserved  = 0")
        self.emit(d[8:12], f"stream_id = {stream}")
        body = d[HEADER_SIZE:]
        pt = v.payload_type
        if pt is None:
            self.note("(no payload)")
        elif pt == "raw":
            what = "opaque 8 bytes" if ftype == PING else "opaque payload, skipped"
            self.emit(body, f"payload: {what}")
        else:
            desc = pt.DESCRIPTOR
            self.note(f"payload: {desc.full_name}, {len(body)} bytes")
            self.message(body, desc, 1)

    def message(self, data: bytes, desc, indent: int):
        seen = set()
        pos = 0
        while pos < len(data):
            key, n = self.varint(data, pos)
            num, wt = key >> 3, key & 7
            fd = desc.fields_by_number.get(num)
            fname = fd.name if fd else "(unknown field)"
            seen.add(num)
            self.emit(data[pos:pos + n], f"key: field {num} {fname}, wire type {wt} {WIRE_TYPES.get(wt, '?')}", indent)
            pos += n
            if wt == 0:
                val, n = self.varint(data, pos)
                self.emit(data[pos:pos + n], self.scalar(fd, val), indent)
                pos += n
            elif wt == 2:
                ln, n = self.varint(data, pos)
                self.emit(data[pos:pos + n], f"length = {ln}", indent)
                pos += n
                chunk = data[pos:pos + ln]
                self.length_delimited(chunk, fd, desc, indent)
                pos += ln
            elif wt in (1, 5):
                size = 8 if wt == 1 else 4
                self.emit(data[pos:pos + size], "fixed-width value", indent)
                pos += size
            else:
                raise ValueError(f"unsupported wire type {wt}")
        absent = [f.name for f in desc.fields if f.number not in seen]
        if absent:
            words = ("(absent, at their default: " + ", ".join(absent) + ")").split(" ")
            line = ""
            for w in words:  # wrap long lists at about 100 columns
                if line and HEX_COL + 2 * indent + len(line) + 1 + len(w) > 100:
                    self.note(line, indent)
                    line = " "
                line = f"{line} {w}" if line.strip() else f"{line}{w}"
            self.note(line, indent)

    def length_delimited(self, chunk: bytes, fd, parent, indent: int):
        from google.protobuf.descriptor import FieldDescriptor as FD
        if fd is None:
            self.emit(chunk, "unknown field bytes", indent)
        elif fd.type == FD.TYPE_STRING:
            self.emit(chunk, json.dumps(chunk.decode("utf-8"), ensure_ascii=False), indent)
        elif fd.type == FD.TYPE_MESSAGE:
            kind = "map entry" if fd.message_type.GetOptions().map_entry else fd.message_type.full_name
            self.note(kind, indent + 1)
            self.message(chunk, fd.message_type, indent + 1)
        elif fd.type == FD.TYPE_BYTES and parent.full_name == "paladin.v1.Request" and fd.name == "message":
            # Request.message: the encoding of the method's request type.
            rt = self.request_type
            self.note(f"bytes: the encoding of {rt.full_name}", indent + 1)
            self.message(chunk, rt, indent + 1)
        elif fd.type == FD.TYPE_BYTES:
            self.emit(chunk, "bytes", indent)
        else:
            self.emit(chunk, "packed values", indent)

    # The request type of the method named by the Request being annotated.
    request_type = None

    def set_request_method(self, method: str):
        service, name = method.split("/")
        for mod in self.pb.values():
            sd = mod.DESCRIPTOR.services_by_name.get(service.split(".")[-1])
            if sd is not None and sd.full_name == service:
                self.request_type = sd.methods_by_name[name].input_type
                return
        raise KeyError(method)

    def scalar(self, fd, val: int) -> str:
        from google.protobuf.descriptor import FieldDescriptor as FD
        if fd is None:
            return f"varint {val}"
        if fd.type == FD.TYPE_ENUM:
            ev = fd.enum_type.values_by_number.get(val)
            return f"{val} = {ev.name if ev else '(unknown enum value)'}"
        if fd.type == FD.TYPE_BOOL:
            return "true" if val else "false"
        text = f"{val}"
        if fd.containing_type.full_name in ("paladin.v1.Status", "paladin.v1.GoAway") and fd.name == "code":
            text += f" = {STATUS_NAMES[val]}"
        elif fd.name.endswith("_us"):
            text += f" (= {val / 1e6:g} s)"
        elif fd.name.endswith("_size") and val % 1024 == 0:
            text += f" (= {val // 1048576} MiB)" if val % 1048576 == 0 else f" (= {val // 1024} KiB)"
        return text

    @staticmethod
    def varint(data: bytes, pos: int) -> tuple[int, int]:
        val = shift = n = 0
        while True:
            b = data[pos + n]
            val |= (b & 0x7F) << shift
            shift += 7
            n += 1
            if not b & 0x80:
                return val, n


def annotate(pb, v: Vector) -> list[str]:
    a = Annotator(pb)
    if v.payload_type is not None and not isinstance(v.payload_type, str):
        if v.payload_type.DESCRIPTOR.full_name == "paladin.v1.Request":
            req = v.payload_type.FromString(v.data[HEADER_SIZE:])
            a.set_request_method(req.method)
    a.vector(v)
    return a.lines


def xxd(data: bytes) -> list[str]:
    out = []
    for off in range(0, len(data), 16):
        row = data[off:off + 16]
        left = hexs(row[:8]).ljust(23) + "  " + hexs(row[8:])
        text = "".join(chr(c) if 0x20 <= c < 0x7F else "." for c in row)
        out.append(f"{off:04x}  {left.ljust(48)}  {text}")
    return out


UNARY_CLIENT = ["preface", "hello_client", "request_health_check"]
UNARY_SERVER = ["hello_ack", "message_health_serving", "end_ok"]


def render_unary(pb, vectors: list[Vector]) -> str:
    by = {v.name: v for v in vectors}
    out = []
    for title, names in (("Client to server", UNARY_CLIENT), ("Server to client", UNARY_SERVER)):
        stream = b"".join(by[n].data for n in names)
        out.append(f"**{title}**, {len(stream)} bytes ({' + '.join(f'`{n}`' for n in names)}):")
        out.append("")
        out.append("```text")
        out.extend(xxd(stream))
        out.append("```")
        out.append("")
        for n in names:
            v = by[n]
            out.append(f"`{n}` ({len(v.data)} bytes):")
            out.append("")
            out.append("```text")
            out.extend(annotate(pb, v))
            out.append("```")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_vectors(pb, vectors: list[Vector]) -> str:
    out = ["```text"]
    out.extend(f"{v.name} {v.data.hex()}" for v in vectors)
    out.append("```")
    out.append("")
    out.append("Breakdown of the vectors not already shown in the unary call above:")
    out.append("")
    for v in vectors:
        if v.name in UNARY_CLIENT + UNARY_SERVER:
            continue
        out.append(f"`{v.name}`: " + " ".join(v.meaning))
        out.append("")
        out.append("```text")
        out.extend(annotate(pb, v))
        out.append("```")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def refresh_doc(text: str, blocks: dict[str, str]) -> str:
    for name, body in blocks.items():
        begin = f"<!-- BEGIN GENERATED {name} (scripts/golden-frames.py) -->"
        end = f"<!-- END GENERATED {name} -->"
        i, j = text.find(begin), text.find(end)
        if i < 0 or j < i:
            raise SystemExit(f"golden-frames: {DOC} lacks the markers of block {name!r}")
        text = text[: i + len(begin)] + "\n" + body + text[j:]
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail if the outputs are stale")
    mode.add_argument("--print", action="store_true", help="print the fixture to stdout")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="paladin-golden-") as tmp:
        pb = load_protos(Path(tmp))
        vectors = build_vectors(pb)
        fixture = render_fixture(vectors)
        blocks = {"unary-call": render_unary(pb, vectors), "vectors": render_vectors(pb, vectors)}

    if args.print:
        sys.stdout.write(fixture)
        return 0

    doc_old = DOC.read_text(encoding="utf-8") if DOC.exists() else None
    doc_new = refresh_doc(doc_old, blocks) if doc_old is not None else None
    fixture_old = FIXTURE.read_text(encoding="utf-8") if FIXTURE.exists() else None

    if args.check:
        stale = []
        if fixture_old != fixture:
            stale.append(str(FIXTURE.relative_to(ROOT)))
        if doc_old is None or doc_new != doc_old:
            stale.append(str(DOC.relative_to(ROOT)))
        if stale:
            print("golden-frames: stale, run scripts/golden-frames.py: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("golden-frames: up to date")
        return 0

    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(fixture, encoding="utf-8")
    print(f"wrote {FIXTURE.relative_to(ROOT)} ({len(vectors)} vectors)")
    if doc_new is not None and doc_new != doc_old:
        DOC.write_text(doc_new, encoding="utf-8")
        print(f"refreshed {DOC.relative_to(ROOT)}")
    elif doc_old is None:
        print(f"note: {DOC.relative_to(ROOT)} does not exist; its generated blocks were not written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
