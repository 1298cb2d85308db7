import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// A reply whose string holds U+0000 (e.g. model output) cannot be encoded whole by protobuf-c:
/// the call fails with INTERNAL naming the field, never with a shortened reply; a client request
/// holding one is refused before it is sent.
@Suite("Hostile: U+0000 in outgoing strings", .timeLimit(.minutes(1)))
struct HostileOutgoingNULTests {
    typealias Message = Paladin_V1_HealthCheckRequest
    static let inline = MethodDescriptor<Message, Message>(path: "test.v1.Test/NULInline", kind: .unary)
    static let async = MethodDescriptor<Message, Message>(path: "test.v1.Test/NULAsync", kind: .unary)
    static let stream = MethodDescriptor<Message, Message>(path: "test.v1.Test/NULStream", kind: .serverStreaming)

    static func withNUL(_ request: Message) -> Message {
        var reply = request
        reply.service += "\u{0}tail"
        return reply
    }

    static func routes(_ router: inout ServiceRouter) {
        router.registerInline(inline) { request, _ throws(RPCError) in withNUL(request) }
        router.registerUnary(async) { request, _ in withNUL(request) }
        router.registerServerStreaming(stream) { request, _, writer in
            try await writer.write(request)
            try await writer.write(withNUL(request))
        }
    }

    static let expected = "response not sent: paladin.v1.HealthCheckRequest field service holds U+0000, which protocol strings cannot carry"

    @Test("inline, async and streamed replies with U+0000 end the call INTERNAL; the connection lives")
    func repliesFailLoudly() async throws {
        try await withTestServer(extraRoutes: Self.routes) { server in
            let connection = try await server.connect()
            var request = Message()
            request.service = "head"
            for method in [Self.inline, Self.async] {
                do {
                    let reply = try await connection.unary(method, request)
                    Issue.record("\(method.path) answered \(reply.service.debugDescription)")
                } catch let error as RPCError {
                    #expect(error.code == .internal && error.message == Self.expected, "\(method.path): \(error)")
                }
            }
            var received: [String] = []
            do {
                for try await message in connection.serverStream(Self.stream, request) { received.append(message.service) }
                Issue.record("the stream ended OK after \(received)")
            } catch let error as RPCError {
                #expect(error.code == .internal && error.message == Self.expected)
            }
            #expect(received == ["head"], "only the message without U+0000 arrives")
            let health = try await Paladin_V1_HealthClient(connection).check(Paladin_V1_HealthCheckRequest())
            #expect(health.status == .serving)
            await connection.close()
        }
    }

    @Test("a client request or metadata holding U+0000 is refused before it is sent")
    func requestsRefusedBeforeSending() async throws {
        try await withTestServer(extraRoutes: Self.routes) { server in
            let connection = try await server.connect()
            var request = Message()
            request.service = "a\u{0}b"
            await #expect(throws: RPCError(.invalidArgument, "request not sent: paladin.v1.HealthCheckRequest field service holds U+0000, which protocol strings cannot carry")) {
                _ = try await connection.unary(Paladin_V1_Health.check, request)
            }
            let options = CallOptions(metadata: [MetadataPair("k", "v\u{0}")])
            await #expect(throws: RPCError.self) {
                _ = try await connection.unary(Paladin_V1_Health.check, Message(), options: options)
            }
            await #expect(throws: RPCError.self) {
                for try await _ in connection.serverStream(Self.stream, request) {}
            }
            #expect(try await Paladin_V1_HealthClient(connection).check(Message()).status == .serving)
            await connection.close()
        }
    }
}
