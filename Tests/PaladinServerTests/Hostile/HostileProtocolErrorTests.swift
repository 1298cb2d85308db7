import NIOCore
import PaladinServer
import PaladinWire
import Testing

/// Frames that break the connection rules after a good handshake (docs/protocol.md §5, §7.1,
/// §12.1), and the frames that look odd but are not errors (PING ACK, IGNORABLE, §12.2).
@Suite("Hostile: protocol errors after the handshake", .timeLimit(.minutes(1)))
struct HostileProtocolErrorTests {
    /// One rule violation: the bytes sent after the handshake and the GOAWAY message expected.
    struct Violation: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var message: String
        var testDescription: String { name }
    }

    static let violations: [Violation] = [
        Violation(name: "second HELLO",
                  bytes: RawConnection.frame(.hello, streamID: 0, message: Paladin_V1_Hello()),
                  message: "duplicate HELLO"),
        Violation(name: "PING with 3 bytes",
                  bytes: RawConnection.frame(.ping, streamID: 0, bytes: [1, 2, 3]),
                  message: "PING payload must be 8 bytes, got 3"),
        Violation(name: "PING ACK with 9 bytes",
                  bytes: RawConnection.frame(.ping, flags: .ack, streamID: 0, bytes: [UInt8](repeating: 7, count: 9)),
                  message: "PING payload must be 8 bytes, got 9"),
        Violation(name: "REQUEST on stream 0",
                  bytes: RawConnection.healthCheck(streamID: 0),
                  message: "REQUEST must not use stream 0"),
        Violation(name: "CANCEL on stream 0",
                  bytes: RawConnection.frame(.cancel, streamID: 0),
                  message: "CANCEL must not use stream 0"),
        Violation(name: "PING on stream 3",
                  bytes: RawConnection.frame(.ping, streamID: 3, bytes: [1, 2, 3, 4, 5, 6, 7, 8]),
                  message: "PING must use stream 0"),
        Violation(name: "GOAWAY on stream 1",
                  bytes: RawConnection.frame(.goAway, streamID: 1, message: Paladin_V1_GoAway()),
                  message: "GOAWAY must use stream 0"),
        Violation(name: "MESSAGE from the client",
                  bytes: RawConnection.frame(.message, streamID: 1, bytes: [0x08, 0x01]),
                  message: "MESSAGE from a client is not allowed in protocol 1.0"),
        Violation(name: "END from the client",
                  bytes: RawConnection.frame(.end, streamID: 1),
                  message: "END from a client is not allowed in protocol 1.0"),
        Violation(name: "unknown type 0x40 without IGNORABLE",
                  bytes: RawConnection.frame(FrameType(rawValue: 0x40), streamID: 0, bytes: [0x68, 0x69]),
                  message: "unknown frame type 0x40"),
        Violation(name: "unknown type 0x00 without IGNORABLE",
                  bytes: RawConnection.frame(FrameType(rawValue: 0x00), streamID: 5),
                  message: "unknown frame type 0x00"),
        Violation(name: "unknown type 0xff with other flags",
                  bytes: RawConnection.frame(FrameType(rawValue: 0xFF), flags: [.endStream, .ack], streamID: 0),
                  message: "unknown frame type 0xff"),
        Violation(name: "GOAWAY that is not a GoAway",
                  bytes: RawConnection.frame(.goAway, streamID: 0, bytes: RawConnection.garbageProtobuf),
                  message: "malformed GoAway"),
    ]

    @Test("a rule violation gets GOAWAY{highest id, 13, <message>} and close; the server keeps serving",
          arguments: violations)
    func violation(_ violation: Violation) async throws {
        try await withTestServer { server in
            // Without a prior call: last_stream_id 0. The REQUEST pipelined behind the violation
            // is not processed ("after sending a connection-error GOAWAY the server reads nothing more").
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(violation.bytes + RawConnection.healthCheck(streamID: 101))
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .internal, message: violation.message)

            // With a finished call on stream 1 and a Watch open on stream 7: last_stream_id 7, and
            // the Watch is cancelled without an END (nothing but the GOAWAY arrives).
            let used = try await RawConnection.connect(port: server.port)
            try await used.handshake()
            try await used.expectHealthCheckWorks(streamID: 1)
            try await used.send(RawConnection.request(streamID: 7, method: RawConnection.healthWatchPath))
            try await used.expectServing(streamID: 7, thenEnd: false)
            try await used.send(violation.bytes)
            try await used.expectGoAwayAndClose(lastStreamID: 7, code: .internal, message: violation.message)

            try await server.expectStillServingNewClients()
        }
    }

    @Test("a reused or lower stream id gets GOAWAY{N, 13, \"stream id M is not greater than the previous stream id N\"}",
          arguments: [UInt32(5), 4, 1])
    func nonIncreasingStreamID(_ id: UInt32) async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.expectHealthCheckWorks(streamID: 5)
            try await raw.send(RawConnection.healthCheck(streamID: id))
            try await raw.expectGoAwayAndClose(lastStreamID: 5, code: .internal,
                                               message: "stream id \(id) is not greater than the previous stream id 5")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("stream id 0xffffffff can be used once; any REQUEST after it is a protocol error")
    func highestStreamID() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.expectHealthCheckWorks(streamID: 0xFFFF_FFFF)
            try await raw.expectPingAnswered()
            try await raw.send(RawConnection.healthCheck(streamID: 0xFFFF_FFFF))
            try await raw.expectGoAwayAndClose(lastStreamID: 0xFFFF_FFFF, code: .internal,
                                               message: "stream id 4294967295 is not greater than the previous stream id 4294967295")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a rejected REQUEST's id counts as used")
    func rejectedIDCountsAsUsed() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.frame(.request, flags: .endStream, streamID: 9, bytes: RawConnection.garbageProtobuf))
            try await raw.expectEnd(streamID: 9, code: .invalidArgument, message: "malformed Request")
            try await raw.send(RawConnection.healthCheck(streamID: 9))
            try await raw.expectGoAwayAndClose(lastStreamID: 9, code: .internal,
                                               message: "stream id 9 is not greater than the previous stream id 9")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a PING gets a PING ACK with the same 8 bytes (the golden ping/ping_ack vectors)")
    func pingIsAnswered() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.bytes(hex: "0000000806000000000000000102030405060708"))
            let ack = try #require(try await raw.nextFrame(), "closed instead of answering PING")
            #expect(RawConnection.hex(RawConnection.wireBytes(ack)) == "0000000806020000000000000102030405060708",
                    "expected the golden ping_ack, got \(RawConnection.describe(ack))")
            await raw.close()
        }
    }

    @Test("a PING ACK from the client is not answered")
    func pingAckIsNotAnswered() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(frame: .ping, flags: .ack, streamID: 0, bytes: [9, 9, 9, 9, 9, 9, 9, 9])
            // The next frame must answer this PING, not the ACK above.
            try await raw.expectPingAnswered(payload: [4, 3, 2, 1, 4, 3, 2, 1])
            await raw.close()
        }
    }

    @Test("unknown frame types with IGNORABLE are skipped, whatever their stream id",
          arguments: [
              ("golden unknown_ignorable", RawConnection.bytes(hex: "0000000240800000000000006869")),
              ("type 0x00 on stream 3", RawConnection.frame(FrameType(rawValue: 0x00), flags: .ignorable, streamID: 3, bytes: [1])),
              ("type 0x08, no payload", RawConnection.frame(FrameType(rawValue: 0x08), flags: .ignorable, streamID: 0)),
              ("type 0xff on stream 0xffffffff", RawConnection.frame(FrameType(rawValue: 0xFF), flags: [.ignorable, .ack, .endStream],
                                                                     streamID: 0xFFFF_FFFF, bytes: [UInt8](repeating: 0, count: 1000))),
          ])
    func ignorableUnknownFrame(_ name: String, _ frame: [UInt8]) async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(frame)
            try await raw.expectHealthCheckWorks(streamID: 1)
            try await raw.send(frame)
            try await raw.expectPingAnswered()
            await raw.close()
        }
    }

    @Test("undefined flag bits and non-zero reserved header bytes are ignored")
    func undefinedFlagsAndReservedBytesIgnored() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            // HELLO with ACK, END_STREAM and 0x40 set: still the client's HELLO.
            try await raw.send(Preface().bytes)
            var hello = Paladin_V1_Hello()
            hello.agent = "flags"
            try await raw.send(frame: .hello, flags: FrameFlags(rawValue: 0x43), streamID: 0, message: hello)
            let ack = try #require(try await raw.nextFrame(), "closed instead of HELLO ACK")
            #expect(ack.type == .hello && ack.flags == .ack, "got \(RawConnection.describe(ack))")
            // REQUEST with every flag bit set (END_STREAM among them) and reserved bytes 0xffff.
            var request = RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, flags: FrameFlags(rawValue: 0xFF))
            request[6] = 0xFF
            request[7] = 0xFF
            try await raw.send(request)
            try await raw.expectServing(streamID: 1)
            // PING with END_STREAM and IGNORABLE (no ACK) is still a PING to answer.
            let payload: [UInt8] = [8, 7, 6, 5, 4, 3, 2, 1]
            var ping = RawConnection.frame(.ping, flags: [.endStream, .ignorable], streamID: 0, bytes: payload)
            ping[6] = 0x12
            try await raw.send(ping)
            let pong = try #require(try await raw.nextFrame(), "closed instead of answering PING")
            #expect(pong.type == .ping && pong.flags == .ack && Array(pong.payload.readableBytesView) == payload,
                    "got \(RawConnection.describe(pong))")
            await raw.close()
        }
    }
}
