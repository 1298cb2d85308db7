import NIOCore
import PaladinServer
import PaladinWire
import Testing

/// REQUESTs that fail one stream (docs/protocol.md §12.2): each is answered with END on its
/// stream, and the same connection keeps serving.
@Suite("Hostile: stream errors", .timeLimit(.minutes(1)))
struct HostileStreamErrorTests {
    /// `end_unimplemented` from Tests/PaladinWireTests/Fixtures/golden-frames.txt.
    static let goldenEndUnimplemented =
        "000000270400000000000003080c1223756e6b6e6f776e206d6574686f642070616c6164696e2e76312e4e6f70652f4e6f7065"

    /// Handshakes a raw connection, sends `frame`, expects END{code, message} on `streamID`,
    /// then a Health/Check on a higher stream of the same connection, then a new client.
    private func expectStreamError(
        _ frame: [UInt8], streamID: UInt32, code: StatusCode, message: String,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        extraRoutes: (inout ServiceRouter) -> Void = { _ in },
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withTestServer(extraRoutes: extraRoutes, configure: configure) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(frame)
            try await raw.expectEnd(streamID: streamID, code: code, message: message, sourceLocation: sourceLocation)
            try await raw.expectHealthCheckWorks(streamID: streamID + 2, sourceLocation: sourceLocation)
            await raw.close()
            try await server.expectStillServingNewClients(sourceLocation: sourceLocation)
        }
    }

    @Test("garbage protobuf as the REQUEST payload gets END{3, \"malformed Request\"}; the connection lives")
    func malformedRequest() async throws {
        try await expectStreamError(
            RawConnection.frame(.request, flags: .endStream, streamID: 1, bytes: RawConnection.garbageProtobuf),
            streamID: 1, code: .invalidArgument, message: "malformed Request")
    }

    @Test("garbage in Request.message for Health/Check gets END{3, \"malformed paladin.v1.HealthCheckRequest\"}")
    func malformedRequestMessage() async throws {
        try await expectStreamError(
            RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, message: RawConnection.garbageProtobuf),
            streamID: 1, code: .invalidArgument, message: "malformed paladin.v1.HealthCheckRequest")
    }

    @Test("garbage in Request.message for GarrisonService/Append gets END{3, \"malformed paladin.v1.AppendRequest\"}")
    func malformedAppendRequest() async throws {
        try await expectStreamError(
            RawConnection.request(streamID: 5, method: "paladin.v1.GarrisonService/Append", message: [0x0A, 0x10, 0x41]),
            streamID: 5, code: .invalidArgument, message: "malformed paladin.v1.AppendRequest")
    }

    @Test("an unknown method gets exactly the golden END{12, \"unknown method paladin.v1.Nope/Nope\"}")
    func unknownMethod() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.request(streamID: 3, method: "paladin.v1.Nope/Nope"))
            let end = try #require(try await raw.nextFrame(), "closed instead of answering")
            #expect(RawConnection.hex(RawConnection.wireBytes(end)) == Self.goldenEndUnimplemented,
                    "END bytes differ from the golden vector: \(RawConnection.describe(end))")
            try await raw.expectHealthCheckWorks(streamID: 5)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a contract method not built gets END{12, \"<method> is not implemented yet\"}",
          arguments: ["paladin.v1.PaladinService/Execute", "paladin.v1.PaladinService/ExecuteStream",
                      "paladin.v1.BattalionService/RunStream"])
    func notImplemented(_ method: String) async throws {
        try await expectStreamError(
            RawConnection.request(streamID: 1, method: method),
            streamID: 1, code: .unimplemented, message: "\(method) is not implemented yet",
            extraRoutes: { $0.removeRoute(method) })
    }

    @Test("a REQUEST without END_STREAM gets END{3, \"client streaming is not supported in protocol 1.0\"}")
    func requestWithoutEndStream() async throws {
        try await expectStreamError(
            RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, flags: []),
            streamID: 1, code: .invalidArgument, message: "client streaming is not supported in protocol 1.0")
    }

    @Test("metadata over the limit gets END{8, \"metadata of 8193 bytes ... exceeds the limit of 8192 ...\"}")
    func metadataOverLimit() async throws {
        // 2 keys + 2 values + 32 per entry: 1 + 4064 + 2 + 4062 + 64 = 8193 bytes.
        let metadata = [("k", String(repeating: "v", count: 4064)), ("kk", String(repeating: "w", count: 4062))]
        try await expectStreamError(
            RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, metadata: metadata),
            streamID: 1, code: .resourceExhausted, message: "metadata of 8193 bytes (keys and values plus 32 per entry) exceeds the limit of 8192 (server.limits.max_metadata_size)")
    }

    @Test("metadata of exactly the limit (8192 bytes, counted in UTF-8 bytes plus 32 per entry) is accepted")
    func metadataAtLimit() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            // "é" is 2 UTF-8 bytes: 1 + 2 * 4079 + 1 + 32 = 8192.
            let metadata = [("k", String(repeating: "é", count: 4079) + "x")]
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, metadata: metadata))
            try await raw.expectServing(streamID: 1)
            // One byte more, in the same UTF-8 terms, is refused.
            let over = [("k", String(repeating: "é", count: 4079) + "xy")]
            try await raw.send(RawConnection.request(streamID: 3, method: RawConnection.healthCheckPath, metadata: over))
            try await raw.expectEnd(streamID: 3, code: .resourceExhausted, message: "metadata of 8193 bytes (keys and values plus 32 per entry) exceeds the limit of 8192 (server.limits.max_metadata_size)")
            await raw.close()
        }
    }

    @Test("the REQUEST checks apply in the order of §12.2")
    func checksApplyInOrder() async throws {
        try await withTestServer(extraRoutes: { $0.removeRoute("paladin.v1.PaladinService/Execute") },
                                 configure: { $0.limits.maxConcurrentStreams = 1 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let tooMuch = [("k", String(repeating: "v", count: 9000))]
            // #4 (no END_STREAM) before #5 (malformed Request).
            try await raw.send(RawConnection.frame(.request, streamID: 1, bytes: RawConnection.garbageProtobuf))
            try await raw.expectEnd(streamID: 1, code: .invalidArgument, message: "client streaming is not supported in protocol 1.0")
            // #6 (metadata) before #7 (unknown method).
            try await raw.send(RawConnection.request(streamID: 3, method: "paladin.v1.Nope/Nope", metadata: tooMuch))
            try await raw.expectEnd(streamID: 3, code: .resourceExhausted, message: "metadata of 9033 bytes (keys and values plus 32 per entry) exceeds the limit of 8192 (server.limits.max_metadata_size)")
            // #7 (unknown method) before #9 (malformed message).
            try await raw.send(RawConnection.request(streamID: 5, method: "paladin.v1.Nope/Nope", message: RawConnection.garbageProtobuf))
            try await raw.expectEnd(streamID: 5, code: .unimplemented, message: "unknown method paladin.v1.Nope/Nope")
            // #8 (not built) before #9 (malformed message).
            try await raw.send(RawConnection.request(streamID: 7, method: "paladin.v1.PaladinService/Execute", message: RawConnection.garbageProtobuf))
            try await raw.expectEnd(streamID: 7, code: .unimplemented, message: "paladin.v1.PaladinService/Execute is not implemented yet")
            // #3 (too many streams) before #4 and #5: one Watch fills the limit of 1.
            try await raw.send(RawConnection.request(streamID: 9, method: RawConnection.healthWatchPath))
            try await raw.expectServing(streamID: 9, thenEnd: false)
            try await raw.send(RawConnection.frame(.request, streamID: 11, bytes: RawConnection.garbageProtobuf))
            try await raw.expectEnd(streamID: 11, code: .resourceExhausted, message: "too many concurrent streams (limit 1)")
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("max_concurrent_streams 2: a 3rd open stream gets END{8, \"too many concurrent streams (limit 2)\"}; the connection lives")
    func tooManyConcurrentStreams() async throws {
        try await withTestServer(configure: { $0.limits.maxConcurrentStreams = 2 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            let ack = try await raw.handshake()
            #expect(ack.maxConcurrentStreams == 2)
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthWatchPath))
            try await raw.expectServing(streamID: 1, thenEnd: false)
            try await raw.send(RawConnection.request(streamID: 3, method: RawConnection.healthWatchPath))
            try await raw.expectServing(streamID: 3, thenEnd: false)
            try await raw.send(RawConnection.healthCheck(streamID: 5))
            try await raw.expectEnd(streamID: 5, code: .resourceExhausted, message: "too many concurrent streams (limit 2)")
            try await raw.expectPingAnswered()
            // The rejected stream was never counted; cancelling one Watch frees a slot.
            try await raw.send(frame: .cancel, streamID: 1, bytes: [0xDE, 0xAD])  // any payload is ignored
            try await raw.expectEnd(streamID: 1, code: .cancelled, message: "cancelled by the client")
            try await raw.expectHealthCheckWorks(streamID: 7)
            // Other clients are served meanwhile.
            try await server.expectStillServingNewClients()
            await raw.close()
        }
    }

    @Test("CANCEL for a stream that is not open (never used, ended, rejected) is ignored")
    func cancelForStreamNotOpen() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.expectHealthCheckWorks(streamID: 1)
            try await raw.send(RawConnection.request(streamID: 3, method: "paladin.v1.Nope/Nope"))
            try await raw.expectEnd(streamID: 3, code: .unimplemented, message: "unknown method paladin.v1.Nope/Nope")
            for stream: UInt32 in [1, 2, 3, 99, 0xFFFF_FFFF] {
                try await raw.send(frame: .cancel, streamID: stream)
            }
            // The next frame is the PING ACK: no END, no GOAWAY for the CANCELs.
            try await raw.expectPingAnswered()
            try await raw.expectHealthCheckWorks(streamID: 5)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("after the client's GOAWAY a REQUEST gets END{14, \"connection is closing\"}; open calls finish, then the server closes")
    func clientGoAway() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthWatchPath))
            try await raw.expectServing(streamID: 1, thenEnd: false)
            var goAway = Paladin_V1_GoAway()
            goAway.lastStreamID = 1
            try await raw.send(frame: .goAway, streamID: 0, message: goAway)
            try await raw.send(RawConnection.healthCheck(streamID: 3))
            try await raw.expectEnd(streamID: 3, code: .unavailable, message: "connection is closing")
            try await raw.send(frame: .cancel, streamID: 1)
            try await raw.expectEnd(streamID: 1, code: .cancelled, message: "cancelled by the client")
            #expect(await raw.waitForClose(), "the server did not close once the last call ended")
            try await server.expectStillServingNewClients()
        }
    }

    @Test("extreme timeout_us values: UInt64.max is clamped (the call works), 1 µs ends a Watch with END{4, \"deadline of 1 ms exceeded\"}")
    func extremeTimeouts() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            var request = Paladin_V1_Request()
            request.method = RawConnection.healthCheckPath
            request.timeoutUs = .max
            try await raw.send(frame: .request, flags: .endStream, streamID: 1, message: request)
            try await raw.expectServing(streamID: 1)
            request.method = RawConnection.healthWatchPath
            request.timeoutUs = 1
            try await raw.send(frame: .request, flags: .endStream, streamID: 3, message: request)
            // The first status may or may not make it before the deadline.
            var frame = try #require(try await raw.nextFrame(), "closed instead of answering the Watch")
            if frame.type == .message { frame = try #require(try await raw.nextFrame(), "closed instead of ending the Watch") }
            #expect(frame.type == .end && frame.streamID == 3, "got \(RawConnection.describe(frame))")
            let status = try Paladin_V1_Status(decoding: frame.payload)
            #expect(status.code == StatusCode.deadlineExceeded.rawValue && status.message == "deadline of 1 ms exceeded",
                    "got \(RawConnection.describe(frame))")
            try await raw.expectHealthCheckWorks(streamID: 5)
            await raw.close()
        }
    }
}

/// Regression: a REQUEST whose payload has a nested length running past its message once
/// crashed the whole server (found by fuzzing under valgrind).
@Suite("Hostile: nested lengths")
struct HostileNestedLengthTests {
    @Test("a REQUEST payload 12 01 8a 01 00 gets END{3, \"malformed Request\"} and the server lives")
    func nestedLengthPastItsMessage() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            _ = try await raw.handshake()
            try await raw.send(frame: .request, flags: .endStream, streamID: 1, bytes: [0x12, 0x01, 0x8a, 0x01, 0x00])
            try await raw.expectEnd(streamID: 1, code: .invalidArgument, message: "malformed Request")
            try await server.expectStillServingNewClients()
            await raw.close()
        }
    }
}
