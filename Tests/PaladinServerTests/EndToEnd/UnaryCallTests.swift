import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// Unary calls over loopback with the real client: answers, concurrency, errors.
@Suite("Unary calls end to end")
struct UnaryCallTests {
    @Test func healthCheckAnswersServing() async throws {
        try await withTestServer { server in
            let connection = try await server.connect()
            let health = Paladin_V1_HealthClient(connection)
            #expect(try await health.check(Paladin_V1_HealthCheckRequest()).status == .serving)
            #expect(try await health.check(TestRoutes.request("paladin.v1.GarrisonService")).status == .serving)
            await #expect(throws: RPCError(.notFound, "unknown service \"nope\"")) {
                try await health.check(TestRoutes.request("nope"))
            }
            #expect(connection.serverHello.maxConcurrentStreams == 100)
            #expect(connection.serverHello.maxFrameSize == 4 * 1024 * 1024)
            await connection.close()
        }
    }

    @Test func serverInfoListsTheWholeContract() async throws {
        try await withTestServer { server in
            let connection = try await server.connect()
            let info = try await Paladin_V1_ServerInfoClient(connection).get(Paladin_V1_ServerInfoRequest())
            #expect(info.version == PaladinVersion.current)
            #expect(info.protocolMajor == 1)
            #expect(info.methods.map(\.name) == PaladinContract.methods.map(\.path))
            let implemented = Set(info.methods.filter(\.implemented).map(\.name))
            #expect(implemented.contains("paladin.v1.Health/Watch"))
            #expect(implemented.contains("paladin.v1.GarrisonService/Append"))
            #expect(implemented.contains("paladin.v1.ServerInfo/Get"))
            #expect(implemented.contains("paladin.v1.PaladinService/Execute"))
            #expect(implemented.count == PaladinContract.methods.count)
            #expect(info.limits?.maxConcurrentStreams == 100)
            #expect(info.methods.first { $0.name == "paladin.v1.Health/Watch" }?.kind == .serverStreaming)
            await connection.close()
        }
    }

    @Test func unbuiltMethodAnswersUnimplemented() async throws {
        try await withTestServer(extraRoutes: { $0.removeRoute("paladin.v1.PaladinService/Execute") }) { server in
            let connection = try await server.connect()
            await #expect(throws: RPCError(.unimplemented, "paladin.v1.PaladinService/Execute is not implemented yet")) {
                try await Paladin_V1_PaladinServiceClient(connection).execute(Paladin_V1_ExecuteRequest())
            }
            await connection.close()
        }
    }

    @Test(arguments: [TestRoutes.echoInline, TestRoutes.echoAsync])
    func thousandConcurrentCallsOnOneConnectionEachGetTheirOwnAnswer(method: MethodDescriptor<Paladin_V1_HealthCheckRequest, Paladin_V1_HealthCheckRequest>) async throws {
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0) }) { server in
            let connection = try await server.connect()
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let reply = try await connection.unary(method, TestRoutes.request("call-\(index)"))
                        return (index, reply.service)
                    }
                }
                var answers: [Int: String] = [:]
                for try await (index, text) in group { answers[index] = text }
                return answers
            }
            #expect(answers.count == 1000)
            #expect(answers.allSatisfy { $0.value == "call-\($0.key)" })
            await connection.close()
        }
    }

    @Test func deadlineExpiresAndTheServerStopsTheWork() async throws {
        let observations = TestRoutes.Observations()
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0, observations: observations) }) { server in
            let connection = try await server.connect()
            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: RPCError(.deadlineExceeded, "deadline of 100 ms exceeded")) {
                try await connection.unary(TestRoutes.sleep, TestRoutes.request("30000"), options: CallOptions(timeout: .milliseconds(100)))
            }
            #expect(clock.now - start < .seconds(5), "took \(clock.now - start)")
            try await eventually { observations.cancelled == 1 }
            #expect(observations.finished == 0)
            // The connection still works.
            #expect(try await connection.unary(TestRoutes.echoAsync, TestRoutes.request("after")).service == "after")
            await connection.close()
        }
    }

    @Test func cancellingTheCallingTaskCancelsTheCallOnTheServer() async throws {
        let observations = TestRoutes.Observations()
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0, observations: observations) }) { server in
            let connection = try await server.connect()
            let task = Task {
                try await connection.unary(TestRoutes.sleep, TestRoutes.request("5000"))
            }
            try await eventually { observations.started == 1 }
            task.cancel()
            let result = await task.result
            #expect(throws: RPCError(.cancelled, "call cancelled by the client")) { try result.get() }
            try await eventually { observations.cancelled == 1 }
            #expect(try await connection.unary(TestRoutes.echoAsync, TestRoutes.request("still")).service == "still")
            await connection.close()
        }
    }

    @Test func callsFailCleanlyWhenTheConnectionDrops() async throws {
        try await withTestServer(extraRoutes: { TestRoutes.register(in: &$0) }) { server in
            let connection = try await server.connect()
            let pending = (0..<5).map { _ in
                Task { try await connection.unary(TestRoutes.sleep, TestRoutes.request("5000")) }
            }
            try await Task.sleep(for: .milliseconds(100))
            await connection.close()
            for task in pending {
                let result = await task.result
                #expect(throws: RPCError.self) { try result.get() }
                if case .failure(let error as RPCError) = result { #expect(error.code == .unavailable) }
            }
            await #expect(throws: RPCError.self) {
                try await connection.unary(TestRoutes.echoAsync, TestRoutes.request("x"))
            }
        }
    }

    @Test func unreachableServerIsAnUnavailableError() async throws {
        let error = await #expect(throws: RPCError.self) {
            try await PaladinConnection.connect(host: "127.0.0.1", port: 1)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("connection refused") == true)
    }
}

/// Polls `condition` until it holds or five seconds pass (generous: tests share 2 cores).
func eventually(_ condition: () -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(5)
    while !condition() {
        guard clock.now < deadline else {
            Issue.record("condition not met within 5 s")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Polls an async `condition` until it holds or five seconds pass.
func eventuallyAsync(_ condition: () async -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(5)
    while !(await condition()) {
        guard clock.now < deadline else {
            Issue.record("condition not met within 5 s")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
