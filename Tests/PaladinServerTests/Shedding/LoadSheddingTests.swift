import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// `server.limits.max_inflight_runs` and `max_inflight_executions` end to end: with the caps
/// full of slow work, new work fails at once with RESOURCE_EXHAUSTED and a retry hint, other
/// calls are still served, and the permits come back when the work ends.
@Suite("Load shedding", .timeLimit(.minutes(1)))
struct LoadSheddingTests {
    static let yaml = """
        server: { limits: { max_inflight_runs: 2, max_inflight_executions: 1 } }
        store: { path: ":memory:" }
        providers:
          offline: { kind: scripted, default_reply: "late", delay: 30s }
        paladins:
          solo: { provider: offline }
        battalions:
          one: { formation: { members: [solo] } }
        """

    private func withSlowServer(_ body: (TestServer) async throws -> Void) async throws {
        let config = try PaladinConfig.parse(Self.yaml)
        #expect(config.server.limits.maxInflightRuns == 2 && config.server.limits.maxInflightExecutions == 1)
        let assembly = try await ServerAssembly.build(config)
        try await withTestServer(services: assembly.services, configure: { $0.limits = config.server.limits }, body)
    }

    private static var runRequest: Paladin_V1_RunRequest {
        var request = Paladin_V1_RunRequest()
        request.battalion = "one"
        request.input = "go"
        return request
    }

    @Test("runs past max_inflight_runs fail fast with RESOURCE_EXHAUSTED and retry_after_ms; Health is served")
    func runsPastTheCapAreShed() async throws {
        try await withSlowServer { server in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            // Two runs in flight: each holds its permit from before its "started" event.
            var holders: [Task<Void, any Error>] = []
            for _ in 0..<2 {
                let (started, signal) = AsyncStream.makeStream(of: Void.self)
                holders.append(Task {
                    defer { signal.finish() }  // a run that fails before it starts ends the wait too
                    for try await event in client.runStream(Self.runRequest) {
                        if case .started? = event.event { signal.yield() }
                    }
                })
                for await _ in started { break }
            }
            let clock = ContinuousClock()
            let start = clock.now
            let refused = await expectStatus(.resourceExhausted) { _ = try await client.run(Self.runRequest) }
            #expect(refused?.message == "too many battalion runs in flight (limit 2, server.limits.max_inflight_runs); retry later")
            #expect(refused?.retryAfter == .milliseconds(1000))
            await expectStatus(.resourceExhausted) {
                for try await _ in client.runStream(Self.runRequest) {}
            }
            #expect(clock.now - start < .seconds(10), "shed at once, not after the slow runs")
            let health = try await Paladin_V1_HealthClient(connection).check(Paladin_V1_HealthCheckRequest())
            #expect(health.status == .serving)

            // Cancelled runs give their permits back: a new run is admitted (it then meets its deadline).
            for holder in holders { holder.cancel() }
            var admitted = false
            for _ in 0..<100 where !admitted {
                do {
                    _ = try await client.run(Self.runRequest, options: CallOptions(timeout: .milliseconds(200)))
                } catch let error as RPCError where error.code == .resourceExhausted {
                    try await Task.sleep(for: .milliseconds(20))
                } catch let error as RPCError {
                    #expect(error.code == .deadlineExceeded)
                    admitted = true
                }
            }
            #expect(admitted, "the permits of cancelled runs were never given back")
            await connection.close()
        }
    }

    @Test("an execution past max_inflight_executions fails fast with RESOURCE_EXHAUSTED and retry_after_ms")
    func executionsPastTheCapAreShed() async throws {
        try await withSlowServer { server in
            let connection = try await server.connect()
            let client = Paladin_V1_PaladinServiceClient(connection)
            var request = Paladin_V1_ExecuteRequest()
            request.paladin = "solo"
            request.input = "hello"
            // Two at once against a cap of one: the one that finds the permit taken fails at once.
            let first = Task { try await client.execute(request) }
            let second = Task { try await client.execute(request) }
            let refused = await withTaskGroup(of: RPCError?.self) { group -> RPCError? in
                group.addTask { await Self.failure(of: first) }
                group.addTask { await Self.failure(of: second) }
                let quick = await group.next() ?? nil
                first.cancel()
                second.cancel()
                return quick
            }
            #expect(refused?.code == .resourceExhausted)
            #expect(refused?.message == "too many paladin executions in flight (limit 1, server.limits.max_inflight_executions); retry later")
            #expect(refused?.retryAfter == .milliseconds(1000))
            let health = try await Paladin_V1_HealthClient(connection).check(Paladin_V1_HealthCheckRequest())
            #expect(health.status == .serving)
            await connection.close()
        }
    }

    private static func failure(of task: Task<Paladin_V1_ExecuteResponse, any Error>) async -> RPCError? {
        do {
            _ = try await task.value
            return nil
        } catch {
            return error as? RPCError
        }
    }
}
