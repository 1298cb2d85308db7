import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// Graceful shutdown: in-flight calls finish, new ones are refused, connections close.
@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test func inFlightCallsFinishAndNewOnesAreRefused() async throws {
        let observations = TestRoutes.Observations()
        let server = try await TestServer.start(extraRoutes: { TestRoutes.register(in: &$0, observations: observations) })
        let connection = try await server.connect()
        let inFlight = (0..<5).map { index in
            Task { try await connection.unary(TestRoutes.sleep, TestRoutes.request("300")).service }
        }
        try await eventually { observations.started == 5 }
        let shutdown = Task { await server.stop() }
        // Once GOAWAY has arrived the connection takes no new calls.
        try await eventuallyAsync { await connection.unavailableReason != nil }
        let refused = await #expect(throws: RPCError.self) {
            try await connection.unary(TestRoutes.echoAsync, TestRoutes.request("late"))
        }
        #expect(refused?.code == .unavailable)
        for task in inFlight {
            #expect(try await task.value == "300")
        }
        await shutdown.value
        #expect(observations.finished == 5)
        await #expect(throws: RPCError.self) { try await server.connect() }
        await connection.close()
    }

    @Test func callsStillRunningAfterTheGracePeriodEndUnavailable() async throws {
        let observations = TestRoutes.Observations()
        let server = try await TestServer.start(extraRoutes: { TestRoutes.register(in: &$0, observations: observations) }, configure: {
            $0.timeouts.drainGraceMilliseconds = 100
        })
        let connection = try await server.connect()
        let slow = Task { try await connection.unary(TestRoutes.sleep, TestRoutes.request("10000")) }
        try await eventually { observations.started == 1 }
        let clock = ContinuousClock()
        let start = clock.now
        await server.stop()
        #expect(clock.now - start < .seconds(5), "took \(clock.now - start)")
        let result = await slow.result
        #expect(throws: RPCError(.unavailable, "server shut down before the call finished")) { try result.get() }
        await connection.close()
    }

    @Test func idleServerShutsDownAtOnce() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let clock = ContinuousClock()
        let start = clock.now
        await server.stop()
        #expect(clock.now - start < .seconds(5), "took \(clock.now - start)")
        await #expect(throws: RPCError.self) {
            try await Paladin_V1_HealthClient(connection).check(Paladin_V1_HealthCheckRequest())
        }
        await connection.close()
    }
}
