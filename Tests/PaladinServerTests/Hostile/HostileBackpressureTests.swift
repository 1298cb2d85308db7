import Foundation
import NIOCore
import NIOPosix
import PaladinClient
import PaladinWire
import Synchronization
import Testing

/// Peers that make the server work for nothing: one that pipelines calls with large replies and
/// never reads them (the server stops handling its frames, and reading its socket, once the
/// replies back up, instead of buffering them without bound), and ones that flood PINGs or
/// CANCELs (GOAWAY RESOURCE_EXHAUSTED). Everyone else is served meanwhile.
@Suite("Hostile: peers that never read or flood control frames", .timeLimit(.minutes(1)))
struct HostileBackpressureTests {
    /// Paladins whose definitions make each ListPaladins reply about 1 MiB.
    static let paladins = 16
    static let promptBytes = 64 * 1024
    /// Pipelined ListPaladins calls: about 400 MiB of replies if the server buffered them all,
    /// well past the bound below, which leaves room for the suites running beside this one.
    static let calls: UInt32 = 400

    @Test("replies a peer never reads do not pile up in the server; others are served meanwhile")
    func neverReadingPeerIsThrottled() async throws {
        try await withTestServer(services: scriptedServices()) { server in
            let setup = try await server.connect()
            let client = Paladin_V1_PaladinServiceClient(setup)
            for index in 0..<Self.paladins {
                var request = Paladin_V1_CreatePaladinRequest()
                request.definition = paladinDefinition("big-\(index)", systemPrompt: String(repeating: "p", count: Self.promptBytes))
                _ = try await client.createPaladin(request)
            }
            await setup.close()

            let before = try Self.residentBytes()
            let hog = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.autoRead, value: false)  // never reads what the server sends
                .connect(host: "127.0.0.1", port: server.port)
                .get()
            var requests = RawConnection.prefaceAndHello()
            for streamID in 1...Self.calls {
                requests += RawConnection.request(streamID: streamID, method: "paladin.v1.PaladinService/ListPaladins")
            }
            var buffer = hog.allocator.buffer(capacity: requests.count)
            buffer.writeBytes(requests)
            try await hog.writeAndFlush(buffer)

            // Long enough for the server to answer every call if nothing held it back.
            try await Task.sleep(for: .seconds(3))
            let grown = try Self.residentBytes() - before
            #expect(grown < 200 * 1024 * 1024,
                    "server and test grew by \(grown / 1024 / 1024) MiB while a peer left \(Self.calls) replies of ~1 MiB unread")

            try await server.expectStillServingNewClients()

            // Once the peer reads, the server goes on with the frames it held: every reply arrives.
            let received = ByteCounter()
            try await hog.pipeline.addHandler(received)
            try await hog.setOption(.autoRead, value: true).get()
            hog.read()
            let expected = Int(Self.calls) * Self.paladins * Self.promptBytes
            let deadline = ContinuousClock.now + .seconds(30)
            while received.bytes < expected && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(received.bytes >= expected, "only \(received.bytes) of at least \(expected) bytes of replies arrived")
            try await hog.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a peer that reads nothing for write_stall_ms loses its connection, and its calls end")
    func writeStallEndsTheConnection() async throws {
        try await withTestServer(services: scriptedServices(), configure: { $0.timeouts.writeStallMilliseconds = 500 }) { server in
            let setup = try await server.connect()
            let client = Paladin_V1_PaladinServiceClient(setup)
            for index in 0..<Self.paladins {
                var request = Paladin_V1_CreatePaladinRequest()
                request.definition = paladinDefinition("big-\(index)", systemPrompt: String(repeating: "p", count: Self.promptBytes))
                _ = try await client.createPaladin(request)
            }
            await setup.close()

            let closed = ClosedFlag()
            let hog = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.autoRead, value: false)
                .channelInitializer { $0.pipeline.addHandler(closed) }
                .connect(host: "127.0.0.1", port: server.port)
                .get()
            var requests = RawConnection.prefaceAndHello()
            for streamID in UInt32(1)...20 {
                requests += RawConnection.request(streamID: streamID, method: "paladin.v1.PaladinService/ListPaladins")
            }
            var buffer = hog.allocator.buffer(capacity: requests.count)
            buffer.writeBytes(requests)
            try await hog.writeAndFlush(buffer)

            // Past the stall limit, the peer reads: it finds the server closed the connection
            // instead of going on with the calls it held.
            try await Task.sleep(for: .seconds(2))
            try await hog.setOption(.autoRead, value: true).get()
            hog.read()
            let deadline = ContinuousClock.now + .seconds(10)
            while !closed.isSet && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(closed.isSet, "the server kept a connection whose peer read nothing")
            try? await hog.close().get()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a flood of PINGs ends the connection with GOAWAY RESOURCE_EXHAUSTED; others are served")
    func pingFlood() async throws {
        try await withTestServer { server in
            let flooder = try await RawConnection.connect(port: server.port)
            try await flooder.handshake()
            let ping = RawConnection.frame(.ping, streamID: 0, bytes: [1, 2, 3, 4, 5, 6, 7, 8])
            try await flooder.send(Array([[UInt8]](repeating: ping, count: 1000).joined()))
            var answered = 0
            var ending: Frame?
            while let frame = try await flooder.nextFrame() {
                guard frame.type == .ping else {
                    ending = frame
                    break
                }
                answered += 1
            }
            #expect(answered <= 21, "the server answered \(answered) PINGs of the flood")
            let goAway = try #require(ending, "the server closed without GOAWAY")
            #expect(goAway.type == .goAway)
            let message = try Paladin_V1_GoAway(decoding: goAway.payload)
            #expect(message.code == StatusCode.resourceExhausted.rawValue)
            #expect(message.message == "too many PING and CANCEL frames without calls")
            #expect(await flooder.waitForClose())
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a flood of CANCELs for streams that are not open ends the connection; PINGs between calls do not")
    func cancelFloodAndPingsBetweenCalls() async throws {
        try await withTestServer { server in
            let flooder = try await RawConnection.connect(port: server.port)
            try await flooder.handshake()
            let cancels = (1...1000).map { RawConnection.frame(.cancel, streamID: UInt32($0)) }.joined()
            try await flooder.send(Array(cancels))
            try await flooder.expectGoAwayAndClose(lastStreamID: 0, code: .resourceExhausted,
                                                   message: "too many PING and CANCEL frames without calls")

            // CANCELs racing the ENDs of calls that just finished are not a flood.
            let racer = try await RawConnection.connect(port: server.port)
            try await racer.handshake()
            for streamID in UInt32(1)...40 {
                try await racer.send(RawConnection.healthCheck(streamID: streamID))
                try await racer.expectServing(streamID: streamID)
            }
            try await racer.send(Array((1...40).map { RawConnection.frame(.cancel, streamID: UInt32($0)) }.joined()))
            try await racer.expectPingAnswered()
            await racer.close()

            // A peer that pings around its calls is working, however fast it goes.
            let busy = try await RawConnection.connect(port: server.port)
            try await busy.handshake()
            for streamID in UInt32(1)...50 {
                try await busy.expectPingAnswered()
                try await busy.send(RawConnection.healthCheck(streamID: streamID))
                try await busy.expectServing(streamID: streamID)
            }
            await busy.close()
            try await server.expectStillServingNewClients()
        }
    }

    /// Set when the channel goes inactive; drops what it reads.
    final class ClosedFlag: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let flag = Atomic<Bool>(false)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
        func channelInactive(context: ChannelHandlerContext) { flag.store(true, ordering: .relaxed) }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    /// Counts the bytes a channel receives.
    final class ByteCounter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let count = Atomic<Int>(0)
        var bytes: Int { count.load(ordering: .relaxed) }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            count.add(unwrapInboundIn(data).readableBytes, ordering: .relaxed)
        }
    }

    /// This process's resident set (the server runs in it), from /proc/self/statm.
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
