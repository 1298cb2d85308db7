import NIOCore
import NIOPosix
import PaladinServer
import PaladinWire
import Testing

/// Payloads that cost protobuf-c far more memory than their size (many empty entries, unknown
/// fields) and HELLOs sent before authentication: each is refused within the decode budget or
/// the HELLO cap, the connection or the server lives on, and other clients are served.
@Suite("Hostile: decode budgets and the HELLO cap", .serialized, .timeLimit(.minutes(1)))
struct HostileDecodeBudgetTests {
    /// What the server answers for a message over the decode budget.
    static func overBudget(_ type: String) -> String {
        "\(type) message has too many fields or elements to decode (more than \(DecodeBudget.bytesPerPayloadByte) bytes of memory per payload byte)"
    }

    /// Growth allowed to the test process (server and client) while one probe runs: the decode
    /// budget of a 4 MiB frame (16 bytes per payload byte) plus slack for buffers and for the tests
    /// that run beside it in this process. Without the
    /// budget each probe makes protobuf-c allocate many times that.
    static let rssBound = 200 * 1024 * 1024

    /// `count` copies of the 2-byte field `key, 0`.
    static func repeated(_ key: UInt8, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count * 2)
        for index in stride(from: 0, to: bytes.count, by: 2) { bytes[index] = key }
        return bytes
    }

    /// Sends `frame` on a fresh connection and expects END{8, message} on stream 1, then a
    /// working connection, a bounded RSS, and a served new client.
    static func expectCallRefused(_ frame: [UInt8], message: String) async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let before = try HostileBackpressureTests.residentBytes()
            try await raw.send(frame)
            // Generous: a debug build on a busy machine takes a while to reach the budget.
            let end = try #require(try await raw.nextFrame(timeout: .seconds(30)), "the server closed instead of ending stream 1")
            try #require(end.type == .end && end.streamID == 1, "expected END on stream 1, got \(RawConnection.describe(end))")
            let status = try Paladin_V1_Status(decoding: end.payload)
            #expect(status.code == StatusCode.resourceExhausted.rawValue && status.message == message,
                    "got \(RawConnection.describe(end))")
            let grown = try HostileBackpressureTests.residentBytes() - before
            #expect(grown < rssBound, "RSS grew by \(grown / 1024 / 1024) MiB")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a REQUEST of 4 MiB of empty metadata entries gets END{8}; the connection lives")
    func emptyMetadataEntries() async throws {
        // Request.metadata is field 2: 2M - 64 empty entries, just under 4 MiB.
        var payload = Array(RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath).dropFirst(FrameHeader.size))
        payload += Self.repeated(2 << 3 | 2, count: 2 * 1024 * 1024 - 64)
        try await Self.expectCallRefused(RawConnection.frame(.request, flags: .endStream, streamID: 1, bytes: payload),
                                         message: Self.overBudget("paladin.v1.Request"))
    }

    @Test("an AppendRequest of 2M empty entries gets END{8}; the connection lives")
    func appendOfEmptyEntries() async throws {
        let append = Self.repeated(2 << 3 | 2, count: 2_000_000)  // AppendRequest.entries, field 2
        try await Self.expectCallRefused(
            RawConnection.request(streamID: 1, method: "paladin.v1.GarrisonService/Append", message: append),
            message: Self.overBudget("paladin.v1.AppendRequest"))
    }

    @Test("a CreateBattalion of 2M empty members gets END{8}; the connection lives")
    func battalionOfEmptyMembers() async throws {
        let members = Self.repeated(1 << 3 | 2, count: 2_000_000)  // FormationSpec.members, field 1
        let create = HostileStringFieldTests.lengthDelimited(1, HostileStringFieldTests.lengthDelimited(10, members))
        try await Self.expectCallRefused(
            RawConnection.request(streamID: 1, method: "paladin.v1.BattalionService/CreateBattalion", message: create),
            message: Self.overBudget("paladin.v1.CreateBattalionRequest"))
    }

    @Test("metadata: more entries than max_metadata_entries, and the per-entry overhead, get END{8}")
    func metadataEntryLimits() async throws {
        try await withTestServer(configure: { $0.limits.maxMetadataEntries = 4 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let five = (0..<5).map { ("k\($0)", "v") }
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, metadata: five))
            try await raw.expectEnd(streamID: 1, code: .resourceExhausted,
                                    message: "metadata of 5 entries exceeds the limit of 4 (server.limits.max_metadata_entries)")
            let four = (0..<4).map { ("k\($0)", "v") }
            try await raw.send(RawConnection.request(streamID: 3, method: RawConnection.healthCheckPath, metadata: four))
            try await raw.expectServing(streamID: 3)
            await raw.close()
        }
        // Empty entries cost 32 bytes each: 257 of them pass 8192.
        try await withTestServer(configure: { $0.limits.maxMetadataEntries = 1000 }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath,
                                                     metadata: Array(repeating: ("", ""), count: 256)))
            try await raw.expectServing(streamID: 1)
            try await raw.send(RawConnection.request(streamID: 3, method: RawConnection.healthCheckPath,
                                                     metadata: Array(repeating: ("", ""), count: 257)))
            try await raw.expectEnd(streamID: 3, code: .resourceExhausted,
                                    message: "metadata of 8224 bytes (keys and values plus 32 per entry) exceeds the limit of 8192 (server.limits.max_metadata_size)")
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a HELLO over 16 KiB ends the connection from its header; one of 16 KiB of unknown fields is served")
    func oversizeHello() async throws {
        try await withTestServer { server in
            // The header alone announces the size: the payload is never sent.
            let big = try await RawConnection.connect(port: server.port)
            var header = ByteBuffer()
            FrameHeader(length: 16 * 1024 + 1, type: .hello, flags: [], streamID: 0).write(to: &header)
            try await big.send(Preface().bytes + Array(header.readableBytesView))
            try await big.expectGoAwayAndClose(lastStreamID: 0, code: .resourceExhausted,
                                               message: "HELLO of 16385 bytes exceeds the limit of 16384 before authentication")

            // At the cap, even a HELLO of nothing but unknown fields decodes within the budget's base.
            let junk = try await RawConnection.connect(port: server.port)
            try await junk.send(Preface().bytes + RawConnection.frame(.hello, streamID: 0, bytes: Self.repeated(15 << 3, count: 8192)))
            let ack = try #require(try await junk.nextFrame())
            #expect(ack.type == .hello && ack.flags.contains(.ack), "got \(RawConnection.describe(ack))")
            await junk.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a small HELLO with junk unknown fields is accepted")
    func helloWithSomeUnknownFields() async throws {
        try await withTestServer { server in
            var hello = Paladin_V1_Hello()
            hello.agent = "junk-test"
            let bytes = hello.serializedBytes() + Self.repeated(15 << 3, count: 512)
                + HostileStringFieldTests.lengthDelimited(14, [UInt8](repeating: 0xAB, count: 2000))
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.send(Preface().bytes + RawConnection.frame(.hello, streamID: 0, bytes: bytes))
            let ack = try #require(try await raw.nextFrame())
            #expect(ack.type == .hello && ack.flags.contains(.ack), "got \(RawConnection.describe(ack))")
            try await raw.expectHealthCheckWorks(streamID: 1)
            await raw.close()
        }
    }

    @Test("1,024 connections holding partial HELLOs: RSS stays bounded and a new client is served")
    func manyPartialHellos() async throws {
        let connections = 1024
        try await withTestServer(configure: {
            $0.limits.maxConnections = connections + 16
            $0.timeouts.handshakeMilliseconds = 3000
        }) { server in
            let before = try HostileBackpressureTests.residentBytes()
            // Half announce a 16 KiB HELLO and send 12 KiB of it (held until the handshake
            // timeout); half announce a 4 MiB HELLO and send 256 KiB of it (refused from the
            // header; without the cap the server would buffer it all).
            var small = ByteBuffer(bytes: Preface().bytes)
            FrameHeader(length: 16 * 1024, type: .hello, flags: [], streamID: 0).write(to: &small)
            small.writeRepeatingByte(0, count: 12 * 1024)
            var large = ByteBuffer(bytes: Preface().bytes)
            FrameHeader(length: 4 * 1024 * 1024, type: .hello, flags: [], streamID: 0).write(to: &large)
            large.writeRepeatingByte(0, count: 256 * 1024)
            var channels: [any Channel] = []
            for index in 0..<connections {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: server.port).get()
                channel.writeAndFlush(index % 2 == 0 ? small : large, promise: nil)
                channels.append(channel)
            }
            try await Task.sleep(for: .milliseconds(500))
            try await server.expectStillServingNewClients()
            let grown = try HostileBackpressureTests.residentBytes() - before
            #expect(grown < 200 * 1024 * 1024, "RSS grew by \(grown / 1024 / 1024) MiB with \(connections) partial HELLOs")
            for channel in channels { channel.close(promise: nil) }
        }
    }
}
