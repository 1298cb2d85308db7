import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// Server-streaming calls: order, end, cancellation, Health.Watch.
@Suite("Server streaming end to end")
struct StreamingTests {
    @Test func messagesArriveInOrderThenTheStreamEnds() async throws {
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0) }) { server in
            let connection = try await server.connect()
            var received: [String] = []
            for try await message in connection.serverStream(TestRoutes.count, TestRoutes.request("500")) {
                received.append(message.service)
            }
            #expect(received == (0..<500).map(String.init))
            await connection.close()
        }
    }

    @Test func manyStreamsInterleaveOnOneConnection() async throws {
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0) }) { server in
            let connection = try await server.connect()
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var count = 0
                        for try await _ in connection.serverStream(TestRoutes.count, TestRoutes.request("200")) { count += 1 }
                        return count
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 200, count: 20))
            await connection.close()
        }
    }

    @Test func watchReportsChangesAndEndsOnShutdown() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let health = Paladin_V1_HealthClient(connection)
        var iterator = health.watch(TestRoutes.request("paladin.v1.GarrisonService")).makeAsyncIterator()
        #expect(try await iterator.next()?.status == .serving)
        server.services.health.setStatus(.notServing, for: "paladin.v1.GarrisonService")
        #expect(try await iterator.next()?.status == .notServing)
        server.services.health.setStatus(.serving, for: "paladin.v1.GarrisonService")
        #expect(try await iterator.next()?.status == .serving)
        await server.stop()
        #expect(try await iterator.next()?.status == .notServing)
        #expect(try await iterator.next() == nil)
        await connection.close()
    }

    @Test func watchOfAnUnknownServiceSaysSo() async throws {
        try await withTestServer { server in
            let connection = try await server.connect()
            var iterator = Paladin_V1_HealthClient(connection).watch(TestRoutes.request("paladin.v1.Nope")).makeAsyncIterator()
            #expect(try await iterator.next()?.status == .serviceUnknown)
            await connection.close()
        }
    }

    @Test func breakingOutOfAStreamCancelsIt() async throws {
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0) }, configure: { $0.limits.maxConcurrentStreams = 1 }) { server in
            let connection = try await server.connect()
            for _ in 0..<3 {
                for try await message in Paladin_V1_HealthClient(connection).watch(Paladin_V1_HealthCheckRequest()) {
                    #expect(message.status == .serving)
                    break
                }
            }
            // With one stream allowed, this only works if the abandoned watches were cancelled.
            #expect(try await connection.unary(TestRoutes.echoAsync, TestRoutes.request("free"), options: CallOptions(timeout: .seconds(2))).service == "free")
            await connection.close()
        }
    }
}
