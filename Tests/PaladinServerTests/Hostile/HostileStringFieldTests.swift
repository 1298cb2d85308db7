import NIOCore
import PaladinServer
import PaladinWire
import Testing

/// `string` fields with bytes a Swift client would never send (embedded NUL, invalid UTF-8),
/// hand-encoded so nothing normalises them on the way out (docs/protocol.md §2, §5.4, §12.2).
@Suite("Hostile: odd bytes in string fields", .timeLimit(.minutes(1)))
struct HostileStringFieldTests {
    /// Protobuf field `number` with wire type 2 (LEN) holding `bytes`.
    static func lengthDelimited(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [number << 3 | 2]
        var length = bytes.count
        repeat {
            out.append(UInt8(length & 0x7F) | (length > 0x7F ? 0x80 : 0))
            length >>= 7
        } while length > 0
        return out + bytes
    }

    /// A `Request` payload from raw method bytes and raw metadata key/value bytes.
    static func requestPayload(method: [UInt8], metadata: [([UInt8], [UInt8])] = []) -> [UInt8] {
        lengthDelimited(1, method) + metadata.flatMap { key, value in
            lengthDelimited(2, lengthDelimited(1, key) + lengthDelimited(2, value))
        }
    }

    @Test("a method name with an embedded NUL does not run the method before the NUL: END{12, \"unknown method ...\"} or END{3, \"malformed Request\"}")
    func nulInMethod() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let method = Array("paladin.v1.Health/Check".utf8) + [0x00] + Array("xyz".utf8)
            try await raw.send(frame: .request, flags: .endStream, streamID: 1, bytes: Self.requestPayload(method: method))
            let frame = try #require(try await raw.nextFrame(), "closed instead of answering")
            try #require(frame.type == .end && frame.streamID == 1,
                         "expected END on stream 1 (the call must not run), got \(RawConnection.describe(frame))")
            let status = try Paladin_V1_Status(decoding: frame.payload)
            let unknown = status.code == 12 && status.message == "unknown method paladin.v1.Health/Check\u{0}xyz"
            let malformed = status.code == 3 && status.message == "malformed Request"
            #expect(unknown || malformed, "got \(RawConnection.describe(frame))")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("metadata with an embedded NUL: every byte counts against max_metadata_size (or the Request is malformed)")
    func nulInMetadataValue() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            // key "k" (1 byte) + value "v\0" + 9000 × "a" (9002 bytes) = 9003 bytes on the wire, + 32.
            let value = Array("v".utf8) + [0x00] + [UInt8](repeating: 0x61, count: 9000)
            let payload = Self.requestPayload(method: Array(RawConnection.healthCheckPath.utf8), metadata: [(Array("k".utf8), value)])
            try await raw.send(frame: .request, flags: .endStream, streamID: 1, bytes: payload)
            let frame = try #require(try await raw.nextFrame(), "closed instead of answering")
            try #require(frame.type == .end && frame.streamID == 1,
                         "expected END on stream 1 (9003 bytes of metadata), got \(RawConnection.describe(frame))")
            let status = try Paladin_V1_Status(decoding: frame.payload)
            let tooBig = status.code == 8 && status.message == "metadata of 9035 bytes (keys and values plus 32 per entry) exceeds the limit of 8192 (server.limits.max_metadata_size)"
            let malformed = status.code == 3 && status.message == "malformed Request"
            #expect(tooBig || malformed, "got \(RawConnection.describe(frame))")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("metadata of 8192 bytes of invalid UTF-8 is accepted or refused as malformed, not measured after repair")
    func invalidUTF8Metadata() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            // key "k" + 8191 bytes of 0xff: 8192 bytes on the wire, exactly the limit.
            let payload = Self.requestPayload(method: Array(RawConnection.healthCheckPath.utf8),
                                              metadata: [(Array("k".utf8), [UInt8](repeating: 0xFF, count: 8191))])
            try await raw.send(frame: .request, flags: .endStream, streamID: 1, bytes: payload)
            let frame = try #require(try await raw.nextFrame(), "closed instead of answering")
            if frame.type == .message {
                try await raw.expectEnd(streamID: 1, code: .ok, message: "")
            } else {
                #expect(frame.type == .end, "got \(RawConnection.describe(frame))")
                let status = try Paladin_V1_Status(decoding: frame.payload)
                #expect(status.code == 3 && status.message == "malformed Request",
                        "8192 wire bytes were refused as \(RawConnection.describe(frame))")
            }
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a method name of invalid UTF-8 gets END{12} or END{3}, and the connection lives")
    func invalidUTF8Method() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let method = Array("paladin.v1.".utf8) + [0xC3, 0x28, 0xFF, 0xFE] + Array("/Nope".utf8)
            try await raw.send(frame: .request, flags: .endStream, streamID: 1, bytes: Self.requestPayload(method: method))
            let frame = try #require(try await raw.nextFrame(), "closed instead of answering")
            #expect(frame.type == .end && frame.streamID == 1, "got \(RawConnection.describe(frame))")
            let status = try Paladin_V1_Status(decoding: frame.payload)
            #expect(status.code == 12 || status.code == 3, "got \(RawConnection.describe(frame))")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
        }
    }

    @Test("an auth token with bytes after a NUL does not match: GOAWAY{0, 16, \"invalid or missing auth token\"} (or 13 \"malformed Hello\")")
    func nulInAuthToken() async throws {
        try await withTestServer(configure: { $0.authToken = "s3cret" }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            // Hello{agent: "x", auth_token: "s3cret\0xyz"}, hand-encoded.
            let hello = Self.lengthDelimited(1, Array("x".utf8)) + Self.lengthDelimited(2, Array("s3cret".utf8) + [0x00] + Array("xyz".utf8))
            try await raw.send(Preface().bytes + RawConnection.frame(.hello, streamID: 0, bytes: hello))
            let frame = try #require(try await raw.nextFrame(), "closed without an answer")
            try #require(frame.type == .goAway, "the token \"s3cret\\0xyz\" was accepted: \(RawConnection.describe(frame))")
            let goAway = try Paladin_V1_GoAway(decoding: frame.payload)
            let refused = (goAway.code == 16 && goAway.message == "invalid or missing auth token")
                || (goAway.code == 13 && goAway.message == "malformed Hello")
            #expect(refused && goAway.lastStreamID == 0, "got \(RawConnection.describe(frame))")
            await raw.expectClosedWithoutMoreFrames()
        }
    }
}
