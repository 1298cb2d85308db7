import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// Two Executes on one garrison session at once, over loopback with the real client: each
/// paladin's `concurrent_session` decides (queue, the default; reject; interrupt).
@Suite("Double-texting on sessions", .timeLimit(.minutes(1)))
struct DoubleTextingTests {
    static func withServer(_ body: (PaladinConnection, GatedProvider) async throws -> Void) async throws {
        let provider = GatedProvider()
        let services = PaladinServices(providers: ProviderRegistry(["offline": provider]))
        try await withTestServer(services: services) { server in
            let connection = try await server.connect()
            let paladins = Paladin_V1_PaladinServiceClient(connection)
            for (name, policy) in [("queued", Paladin_V1_ConcurrentSessionPolicy.unspecified), ("strict", .reject), ("eager", .interrupt)] {
                var request = Paladin_V1_CreatePaladinRequest()
                request.definition = paladinDefinition(name)
                request.definition?.concurrentSession = policy
                _ = try await paladins.createPaladin(request)
            }
            try await body(connection, provider)
            await connection.close()
        }
    }

    static func execute(_ paladin: String, _ input: String, session: String) -> Paladin_V1_ExecuteRequest {
        var request = Paladin_V1_ExecuteRequest()
        request.paladin = paladin
        request.input = input
        request.sessionID = session
        return request
    }

    static func waitFor(requests count: Int, _ provider: GatedProvider) async throws {
        for _ in 0..<2500 where provider.requests.count < count { try await Task.sleep(for: .milliseconds(2)) }
        #expect(provider.requests.count >= count)
    }

    @Test("queue (the default): the second message waits and sees the first one's answer")
    func queuedMessagesTakeTurns() async throws {
        try await Self.withServer { connection, provider in
            let client = Paladin_V1_PaladinServiceClient(connection)
            let first = Task { try await client.execute(Self.execute("queued", "one", session: "chat-q")) }
            // The gate opens after the check below, so neither call can hang the test.
            try await Self.waitFor(requests: 1, provider)
            let second = Task { try await client.execute(Self.execute("queued", "two", session: "chat-q")) }
            try await Task.sleep(for: .milliseconds(50))
            #expect(provider.requests.count == 1)  // the second waits for its turn, not for the model
            provider.open("queued")
            _ = try await first.value
            _ = try await second.value
            let seen = provider.requests[1].messages.filter { $0.role != .system }.map(\.content)
            #expect(seen == ["one", "queued done", "two"])
        }
    }

    @Test("reject: a second message while the session is busy is ABORTED; after it, the session is free")
    func rejectRefusesWhileBusy() async throws {
        try await Self.withServer { connection, provider in
            let client = Paladin_V1_PaladinServiceClient(connection)
            let first = Task { try await client.execute(Self.execute("strict", "one", session: "chat-r")) }
            try await Self.waitFor(requests: 1, provider)
            let refused = await expectStatus(.aborted) {
                _ = try await client.execute(Self.execute("strict", "two", session: "chat-r"), options: CallOptions(timeout: .seconds(5)))
            }
            #expect(refused?.details["session_id"] == "chat-r")
            // Another session is not busy.
            provider.open("strict")
            _ = try await client.execute(Self.execute("strict", "elsewhere", session: "chat-other"))
            _ = try await first.value
            _ = try await client.execute(Self.execute("strict", "three", session: "chat-r"))
        }
    }

    @Test("interrupt: the newer message stops the one in progress (ABORTED) and is answered")
    func interruptStopsTheHolder() async throws {
        try await Self.withServer { connection, provider in
            let client = Paladin_V1_PaladinServiceClient(connection)
            var events: [String] = []
            let stream = Task {
                var kinds: [String] = []
                // A deadline, so that if it were not interrupted it would end DEADLINE_EXCEEDED, not hang.
                let options = CallOptions(timeout: .seconds(5))
                for try await _ in client.executeStream(Self.execute("eager", "one", session: "chat-i"), options: options) {
                    kinds.append("event")
                }
                return kinds
            }
            try await Self.waitFor(requests: 1, provider)
            let second = Task { try await client.execute(Self.execute("eager", "two", session: "chat-i")) }
            let stopped = await expectStatus(.aborted) { events = try await stream.value }
            #expect(stopped?.details["session_id"] == "chat-i" && events.isEmpty)
            provider.open("eager")
            let answer = try await second.value
            #expect(answer.output == "eager done")
        }
    }
}
