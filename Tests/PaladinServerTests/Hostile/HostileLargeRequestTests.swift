import NIOPosix
import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// A request of megabytes is decoded and handled off the event loop, so decoding it (or refusing
/// it at the decode budget) never stalls the other connections on that loop; small requests stay
/// on the loop, where their completion needs no thread hop.
@Suite("Hostile: large requests are handled off the event loop", .timeLimit(.minutes(1)))
struct HostileLargeRequestTests {
    typealias Message = Paladin_V1_HealthCheckRequest
    static let inline = MethodDescriptor<Message, Message>(path: "test.v1.Test/WhereInline", kind: .unary)
    static let async = MethodDescriptor<Message, Message>(path: "test.v1.Test/WhereAsync", kind: .unary)
    static let stream = MethodDescriptor<Message, Message>(path: "test.v1.Test/WhereStream", kind: .serverStreaming)

    /// Where the handler ran: "loop" on an event loop thread, "pool" elsewhere.
    static func whereRun() -> Message {
        var reply = Message()
        reply.service = MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop"
        return reply
    }

    static func routes(_ router: inout ServiceRouter) {
        router.registerInline(inline) { _, _ throws(RPCError) in whereRun() }
        router.registerUnary(async) { _, _ in whereRun() }
        router.registerServerStreaming(stream) { _, _, writer in try await writer.write(whereRun()) }
    }

    static func request(bytes: Int) -> Message {
        var request = Message()
        request.service = String(repeating: "x", count: bytes)
        return request
    }

    @Test("inline, unary and streaming handlers run on the loop for small requests, off it for large ones")
    func largeRequestsLeaveTheLoop() async throws {
        try await withTestServer(extraRoutes: Self.routes) { server in
            let connection = try await server.connect()
            for (bytes, expected) in [(100, "loop"), (ServiceRouter.offLoopRequestBytes + 1, "pool"), (3 << 20, "pool")] {
                let request = Self.request(bytes: bytes)
                for method in [Self.inline, Self.async] {
                    let reply = try await connection.unary(method, request)
                    #expect(reply.service == expected, "\(method.path) with \(bytes) bytes")
                }
                var streamed: [String] = []
                for try await message in connection.serverStream(Self.stream, request) { streamed.append(message.service) }
                #expect(streamed == [expected], "stream with \(bytes) bytes")
            }
            await connection.close()
        }
    }
}
