import NIOCore
import PaladinClient
import PaladinWire
import Testing

// Shared checks for the hostile-input suites: what the server's answer must look like
// (docs/protocol.md §12), and that the server still serves a well-behaved client. They are
// extensions (not free functions) so they cannot collide with helpers of other test files.

extension RawConnection {
    /// Bytes that are not valid protobuf: a varint whose last byte still has the continuation bit.
    static let garbageProtobuf: [UInt8] = [0xFF, 0xFF]

    static let healthCheckPath = "paladin.v1.Health/Check"
    /// A server-streaming method whose stream stays open until cancelled.
    static let healthWatchPath = "paladin.v1.Health/Watch"

    /// The bytes of a REQUEST frame (END_STREAM unless `flags` says otherwise).
    static func request(
        streamID: UInt32, method: String, message: [UInt8] = [], metadata: [(String, String)] = [],
        flags: FrameFlags = .endStream
    ) -> [UInt8] {
        var request = Paladin_V1_Request()
        request.method = method
        request.message = message
        request.metadata = metadata.map {
            var entry = Paladin_V1_MetadataEntry()
            entry.key = $0.0
            entry.value = $0.1
            return entry
        }
        return frame(.request, flags: flags, streamID: streamID, message: request)
    }

    /// The bytes of a `Health/Check` REQUEST for the whole server (`service: ""`).
    static func healthCheck(streamID: UInt32) -> [UInt8] {
        request(streamID: streamID, method: healthCheckPath)
    }

    // MARK: Expectations on what the server sends

    /// Reads the next frame, checks it is `GOAWAY{lastStreamID, code, message}`, then checks the
    /// server sends nothing more and closes the connection.
    func expectGoAwayAndClose(
        lastStreamID: UInt32, code: StatusCode, message: String,
        timeout: Duration = .seconds(3), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let frame = try #require(try await nextFrame(timeout: timeout),
                                 "the server closed without a GOAWAY (expected code \(code.rawValue) \"\(message)\")",
                                 sourceLocation: sourceLocation)
        try Self.expectGoAway(frame, lastStreamID: lastStreamID, code: code, message: message, sourceLocation: sourceLocation)
        await expectClosedWithoutMoreFrames(sourceLocation: sourceLocation)
    }

    /// Checks that `frame` is `GOAWAY{lastStreamID, code, message}` on stream 0.
    static func expectGoAway(
        _ frame: Frame, lastStreamID: UInt32, code: StatusCode, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try #require(frame.type == .goAway && frame.streamID == 0,
                     "expected GOAWAY on stream 0, got \(describe(frame))", sourceLocation: sourceLocation)
        let goAway = try Paladin_V1_GoAway(decoding: frame.payload)
        #expect(goAway.code == code.rawValue, "GOAWAY code", sourceLocation: sourceLocation)
        #expect(goAway.message == message, "GOAWAY message", sourceLocation: sourceLocation)
        #expect(goAway.lastStreamID == lastStreamID, "GOAWAY last_stream_id", sourceLocation: sourceLocation)
    }

    /// After a connection-error GOAWAY the server closes at once and sends nothing else.
    func expectClosedWithoutMoreFrames(sourceLocation: SourceLocation = #_sourceLocation) async {
        switch await nextEvent(timeout: .seconds(3)) {
        case .closed:
            break
        case .frame(let frame):
            Issue.record("the server sent \(Self.describe(frame)) after its GOAWAY", sourceLocation: sourceLocation)
            #expect(await waitForClose(), "the server did not close after its GOAWAY", sourceLocation: sourceLocation)
        case .unparseable(let reason):
            Issue.record("unparseable output after GOAWAY: \(reason)", sourceLocation: sourceLocation)
        case .timedOut:
            Issue.record("the server did not close the connection within 3 s of its GOAWAY", sourceLocation: sourceLocation)
        }
    }

    /// Reads the next frame and checks it is `END{code, message}` on `streamID`.
    func expectEnd(
        streamID: UInt32, code: StatusCode, message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let frame = try #require(try await nextFrame(), "the server closed instead of ending stream \(streamID)",
                                 sourceLocation: sourceLocation)
        try #require(frame.type == .end && frame.streamID == streamID,
                     "expected END on stream \(streamID), got \(Self.describe(frame))", sourceLocation: sourceLocation)
        let status = try Paladin_V1_Status(decoding: frame.payload)
        #expect(status.code == code.rawValue, "END code on stream \(streamID)", sourceLocation: sourceLocation)
        #expect(status.message == message, "END message on stream \(streamID)", sourceLocation: sourceLocation)
    }

    /// Reads `MESSAGE{SERVING}` on `streamID`, then `END{OK}` unless `thenEnd` is false (the
    /// first message of a Health/Watch, which stays open).
    func expectServing(streamID: UInt32, thenEnd: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let message = try #require(try await nextFrame(), "the server closed instead of answering stream \(streamID)",
                                   sourceLocation: sourceLocation)
        try #require(message.type == .message && message.streamID == streamID,
                     "expected MESSAGE on stream \(streamID), got \(Self.describe(message))", sourceLocation: sourceLocation)
        let response = try Paladin_V1_HealthCheckResponse(decoding: message.payload)
        #expect(response.status == .serving, "health status on stream \(streamID)", sourceLocation: sourceLocation)
        if thenEnd {
            try await expectEnd(streamID: streamID, code: .ok, message: "", sourceLocation: sourceLocation)
        }
    }

    /// Sends a Health/Check on `streamID` and expects SERVING + END OK: the connection is alive
    /// and still processes requests.
    func expectHealthCheckWorks(streamID: UInt32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await send(Self.healthCheck(streamID: streamID))
        try await expectServing(streamID: streamID, sourceLocation: sourceLocation)
    }

    /// Sends a PING and expects its ACK, with the same 8 bytes, as the next frame.
    func expectPingAnswered(
        payload: [UInt8] = [0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x01, 0x02, 0x03],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await send(frame: .ping, streamID: 0, bytes: payload)
        let frame = try #require(try await nextFrame(), "the server closed instead of answering PING",
                                 sourceLocation: sourceLocation)
        #expect(frame.type == .ping && frame.flags == .ack && frame.streamID == 0,
                "expected PING ACK, got \(Self.describe(frame))", sourceLocation: sourceLocation)
        #expect(Array(frame.payload.readableBytesView) == payload, "PING ACK payload", sourceLocation: sourceLocation)
    }

    // MARK: Formatting

    /// Bytes from lowercase hex (the fixture format).
    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    /// Lowercase hex of bytes.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The wire bytes of a received frame (header + payload).
    static func wireBytes(_ frame: Frame) -> [UInt8] {
        var buffer = ByteBuffer()
        frame.write(to: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// A frame, readably, for failure messages: `GOAWAY{last_stream_id 0, code 13, "..."}`.
    static func describe(_ frame: Frame) -> String {
        switch frame.type {
        case .goAway:
            if let goAway = try? Paladin_V1_GoAway(decoding: frame.payload) {
                return "GOAWAY{last_stream_id \(goAway.lastStreamID), code \(goAway.code), \"\(goAway.message)\"}"
            }
        case .end:
            if let status = try? Paladin_V1_Status(decoding: frame.payload) {
                return "END s=\(frame.streamID) {code \(status.code), \"\(status.message)\"}"
            }
        default:
            break
        }
        return "\(frame.type) flags=0x\(String(frame.flags.rawValue, radix: 16)) s=\(frame.streamID) (\(frame.payload.readableBytes) bytes)"
    }
}

extension TestServer {
    /// A fresh, well-behaved `PaladinConnection` gets `Health/Check` = SERVING: the server keeps
    /// serving other connections whatever a hostile one did.
    /// - Parameter retryFor: how long to retry while the server refuses the connection with
    ///   RESOURCE_EXHAUSTED (a connection slot that the server has not freed yet).
    func expectStillServingNewClients(retryFor: Duration = .zero, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + retryFor
        let connection: PaladinConnection
        while true {
            do {
                connection = try await connect { $0.connectTimeout = .seconds(3) }
                break
            } catch let error as RPCError where error.code == .resourceExhausted && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        do {
            let reply = try await Paladin_V1_HealthClient(connection)
                .check(Paladin_V1_HealthCheckRequest(), options: CallOptions(timeout: .seconds(3)))
            #expect(reply.status == .serving, "Health/Check from a new client", sourceLocation: sourceLocation)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    /// Opens raw connections until one is accepted (HELLO ACK) within `timeout`: the server may
    /// take a moment to notice a closed connection and free its slot.
    func rawConnectionOnceAccepted(timeout: Duration = .seconds(3)) async throws -> RawConnection {
        let deadline = ContinuousClock.now + timeout
        while true {
            let raw = try await RawConnection.connect(port: port)
            do {
                try await raw.handshake()
                return raw
            } catch {
                await raw.close()
                if ContinuousClock.now >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
