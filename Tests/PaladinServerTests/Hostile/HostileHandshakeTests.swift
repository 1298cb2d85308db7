import NIOCore
import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// The preface and HELLO checks of docs/protocol.md §4, §5.4, §6.1 and §12.1, sent by a raw
/// client; after each, a well-behaved client is still served.
@Suite("Hostile: preface and handshake", .timeLimit(.minutes(1)))
struct HostileHandshakeTests {
    @Test("a wrong preface gets GOAWAY{0, 13, \"bad preface\"} and close",
          arguments: [
              ("HTTP request", Array("GET / HTTP/1.1\r\n".utf8)),
              ("reserved bytes not zero", [0x50, 0x4C, 0x44, 0x4E, 0x01, 0x00, 0x00, 0x01]),
              ("lower-case magic", Array("pldn".utf8) + [0x01, 0x00, 0x00, 0x00]),
          ] as [(String, [UInt8])])
    func badPreface(_ name: String, _ bytes: [UInt8]) async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(bytes)
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .internal, message: "bad preface")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a preface with another major version gets GOAWAY{0, 12, \"unsupported protocol version X.Y; ...\"}",
          arguments: [(UInt8(2), UInt8(0)), (0, 9), (255, 255)])
    func unsupportedMajor(_ major: UInt8, _ minor: UInt8) async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(Preface(major: major, minor: minor).bytes + RawConnection.prefaceAndHello().dropFirst(8))
            try await raw.expectGoAwayAndClose(
                lastStreamID: 0, code: .unimplemented,
                message: "unsupported protocol version \(major).\(minor); this server speaks 1.x")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a higher client minor is accepted; the ACK carries minor 0 and the configured limits")
    func higherMinorAccepted() async throws {
        try await withTestServer(configure: {
            $0.limits.maxFrameSize = 20_000
            $0.limits.maxConcurrentStreams = 7
            $0.limits.maxMetadataSize = 300
        }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(Preface(major: 1, minor: 7).bytes + RawConnection.prefaceAndHello().dropFirst(8))
            let ack = try #require(try await raw.nextFrame(), "no HELLO ACK")
            #expect(ack.type == .hello && ack.flags == .ack && ack.streamID == 0, "first frame: \(RawConnection.describe(ack))")
            let hello = try Paladin_V1_Hello(decoding: ack.payload)
            #expect(hello.protocolMinor == 0)
            #expect(hello.agent == "paladin/\(PaladinVersion.current)")
            #expect(hello.maxFrameSize == 20_000)
            #expect(hello.maxConcurrentStreams == 7)
            #expect(hello.maxMetadataSize == 300)
            #expect(hello.authToken.isEmpty)
            try await raw.expectHealthCheckWorks(streamID: 1)
            await raw.close()
        }
    }

    @Test("a HELLO payload that is not a Hello gets GOAWAY{0, 13, \"malformed Hello\"}")
    func malformedHello() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(Preface().bytes + RawConnection.frame(.hello, streamID: 0, bytes: RawConnection.garbageProtobuf))
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .internal, message: "malformed Hello")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a first frame other than HELLO gets GOAWAY{0, 13, \"expected HELLO, got <TYPE>\"}",
          arguments: [
              ("REQUEST", RawConnection.healthCheck(streamID: 1)),
              ("PING", RawConnection.frame(.ping, streamID: 0, bytes: [1, 2, 3, 4, 5, 6, 7, 8])),
              ("CANCEL", RawConnection.frame(.cancel, streamID: 1)),
          ])
    func firstFrameNotHello(_ type: String, _ frame: [UInt8]) async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(Preface().bytes + frame)
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .internal, message: "expected HELLO, got \(type)")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a HELLO on stream 1 gets GOAWAY{0, 13, \"HELLO must use stream 0\"}")
    func helloOnStreamOne() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(Preface().bytes + RawConnection.frame(.hello, streamID: 1, message: Paladin_V1_Hello()))
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .internal, message: "HELLO must use stream 0")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("REQUESTs pipelined behind the HELLO are answered after the HELLO ACK, which comes first")
    func pipelinedRequestsAfterAck() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(RawConnection.prefaceAndHello()
                + RawConnection.frame(.request, flags: .endStream, streamID: 1, bytes: RawConnection.garbageProtobuf)
                + RawConnection.healthCheck(streamID: 3)
                + RawConnection.frame(.ping, streamID: 0, bytes: [1, 2, 3, 4, 5, 6, 7, 8]))
            let ack = try #require(try await raw.nextFrame(), "closed instead of HELLO ACK")
            #expect(ack.type == .hello && ack.flags == .ack, "first frame: \(RawConnection.describe(ack))")
            try await raw.expectEnd(streamID: 1, code: .invalidArgument, message: "malformed Request")
            try await raw.expectServing(streamID: 3)
            let pong = try #require(try await raw.nextFrame(), "closed instead of answering PING")
            #expect(pong.type == .ping && pong.flags == .ack, "got \(RawConnection.describe(pong))")
            await raw.close()
        }
    }

    // MARK: Auth

    @Test("auth required: a HELLO without the token, or with a wrong one, gets GOAWAY{0, 16} and pipelined REQUESTs are not processed",
          arguments: ["", "s3cre", "s3cret!", "S3CRET"])
    func authTokenRefused(_ token: String) async throws {
        try await withTestServer(configure: { $0.authToken = "s3cret" }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(RawConnection.prefaceAndHello(authToken: token) + RawConnection.healthCheck(streamID: 1))
            try await raw.expectGoAwayAndClose(
                lastStreamID: 0, code: .unauthenticated,
                message: token.isEmpty ? "authentication required: send a bearer token in HELLO or a client certificate"
                    : "invalid auth token")

            // The right token works, raw and through the client.
            let good = try await RawConnection.connect(port: server.port)
            try await good.handshake(authToken: "s3cret")
            try await good.expectHealthCheckWorks(streamID: 1)
            await good.close()
            let client = try await server.connect {
                $0.authToken = "s3cret"
                $0.connectTimeout = .seconds(3)
            }
            let reply = try await Paladin_V1_HealthClient(client)
                .check(Paladin_V1_HealthCheckRequest(), options: CallOptions(timeout: .seconds(3)))
            #expect(reply.status == .serving)
            await client.close()
        }
    }

    @Test("auth required: the client reports UNAUTHENTICATED for a missing token")
    func clientWithoutTokenIsRefused() async throws {
        try await withTestServer(configure: { $0.authToken = "s3cret" }) { server in
            let error = await #expect(throws: RPCError.self) {
                let connection = try await server.connect { $0.connectTimeout = .seconds(3) }
                await connection.close()
            }
            #expect(error?.code == .unauthenticated)
        }
    }

    // MARK: Handshake timeout

    @Test("a peer that does not finish the handshake gets GOAWAY{0, 4, \"handshake not completed within 1 s\"}",
          arguments: [
              ("nothing at all", [UInt8]()),
              ("only the preface", Preface().bytes),
              ("the preface and half a HELLO", Array(RawConnection.prefaceAndHello().prefix(20))),
          ])
    func handshakeTimeout(_ name: String, _ bytes: [UInt8]) async throws {
        try await withTestServer(configure: { $0.timeouts.handshakeMilliseconds = 1000 }) { server in
            let started = ContinuousClock.now
            let raw = try await RawConnection.connect(port: server.port)
            if !bytes.isEmpty { try? await raw.send(bytes) }  // on a slow machine the timeout may already have hit
            try await raw.expectGoAwayAndClose(lastStreamID: 0, code: .deadlineExceeded,
                                               message: "handshake not completed within 1 s")
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(900), "GOAWAY came after \(elapsed), before the 1 s timeout")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a handshake completed in time is not timed out later")
    func completedHandshakeIsNotTimedOut() async throws {
        try await withTestServer(configure: { $0.timeouts.handshakeMilliseconds = 1000 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await Task.sleep(for: .milliseconds(1200))
            #expect(!raw.isClosed, "the server closed a connection that had completed its handshake")
            try await raw.expectHealthCheckWorks(streamID: 1)
            await raw.close()
        }
    }

    // MARK: Connection limit

    @Test("max_connections 2: the 3rd gets GOAWAY{0, 8, \"too many connections\"}; after one closes a new one works")
    func tooManyConnections() async throws {
        try await withTestServer(configure: { $0.limits.maxConnections = 2 }) { server in
            let first = try await RawConnection.connect(port: server.port)
            try await first.handshake()
            let second = try await RawConnection.connect(port: server.port)
            try await second.handshake()

            // The third is refused before it sends anything ("without reading anything").
            let third = try await RawConnection.connect(port: server.port)
            try await third.expectGoAwayAndClose(lastStreamID: 0, code: .resourceExhausted, message: "too many connections")

            // The two held connections are unaffected.
            try await first.expectHealthCheckWorks(streamID: 1)
            try await second.expectPingAnswered()

            await first.close()
            let replacement = try await server.rawConnectionOnceAccepted()
            try await replacement.expectHealthCheckWorks(streamID: 1)
            await replacement.close()
            await second.close()
            // A well-behaved client gets in (the server may need a moment to see the closes).
            try await server.expectStillServingNewClients(retryFor: .seconds(3))
        }
    }
}
