import PaladinClient
import PaladinCore
import PaladinStore
@testable import PaladinServer
import PaladinWire
import Testing

/// Runs that outlive their caller (StartRun) and watchers that attach to a run by id
/// (RunStream and Run with attach_run_id), over loopback with the real client, SQLite store.
@Suite("Detached runs and watchers", .timeLimit(.minutes(1)))
struct DetachedRunTests {
    /// A server with a three-member formation a → b → c on a gated provider.
    /// On the SQLite store, in a fresh temporary file.
    static func withServer(_ body: (TestServer, GatedProvider, any RunStore) async throws -> Void) async throws {
        let provider = GatedProvider()
        let (path, remove) = try RunRecoveryTests.databasePath()
        defer { remove() }
        let database = try SQLiteDatabase(StoreConfiguration(path: path, sessionTTL: nil, readers: 1))
        defer { database.close() }
        let store: any RunStore = SQLiteRunStore(database: database)
        let services = PaladinServices(providers: ProviderRegistry(["offline": provider]), runStore: store)
        try await withTestServer(services: services, configure: { $0.limits.maxInflightRuns = 2 }) { server in
            let connection = try await server.connect()
            try await createPaladins(["a", "b", "c"], on: connection)
            try await createBattalion("line", formation(["a", "b", "c"]), on: connection)
            await connection.close()
            try await body(server, provider, store)
        }
    }

    static func start(_ client: Paladin_V1_BattalionServiceClient, input: String = "go") async throws -> Paladin_V1_BattalionRun {
        var request = Paladin_V1_RunRequest()
        request.battalion = "line"
        request.input = input
        return try await client.startRun(request)
    }

    static func attach(_ id: String, format: Paladin_V1_OutputFormat = .unspecified) -> Paladin_V1_RunRequest {
        var request = Paladin_V1_RunRequest()
        request.attachRunID = id
        request.format = format
        return request
    }

    /// An event as a short line: "started", "a started", "a finished: a done", "result completed".
    static func line(_ event: Paladin_V1_RunEvent) -> String {
        switch event.event {
        case .started?: "started"
        case .memberStarted(let m)?: "\(m.member) started"
        case .memberDelta(let d)?: "\(d.member) delta"
        case .memberFinished(let f)?: "\(f.step?.member ?? "") finished: \(f.step?.output ?? "")"
        case .result(let r)?: "result \(r.status)"
        case .approvalRequested(let a)?: "approval \(a.approval?.step ?? "")"
        case nil: "empty"
        }
    }

    static let wholeRun = ["started", "a started", "a finished: a done", "b started", "b finished: b done",
                           "c started", "c finished: c done", "result completed"]

    static func waitUntil(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<2500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(4))
        }
        Issue.record("the condition never held")
    }

    @Test("StartRun answers at once with the run RUNNING; the run finishes after its caller disconnected")
    func aDetachedRunOutlivesItsCaller() async throws {
        try await Self.withServer { server, provider, store in
            let connection = try await server.connect()
            let started = try await Self.start(Paladin_V1_BattalionServiceClient(connection))
            #expect(started.status == .running && started.id.hasPrefix("run-") && started.battalion == "line")
            #expect(started.battalionVersion == 1 && started.memberVersions == ["a": 1, "b": 1, "c": 1])
            await connection.close()  // the caller goes away while a is still waiting
            #expect(try await store.get(started.id)?.status == .running)
            for member in ["a", "b", "c"] { provider.open(member) }
            try await Self.waitUntil { try await store.get(started.id)?.status == .completed }
            let other = try await server.connect()
            var get = Paladin_V1_GetRunRequest()
            get.id = started.id
            let run = try await Paladin_V1_BattalionServiceClient(other).getRun(get)
            #expect(run.status == .completed && run.finalOutput == "c done" && run.steps.map(\.member) == ["a", "b", "c"])
            await other.close()
        }
    }

    @Test("two watchers attach mid-run and both see every event from the start, in order, then the live ones")
    func twoWatchersSeeEveryEventInOrder() async throws {
        try await Self.withServer { server, provider, store in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            let started = try await Self.start(client)
            provider.open("a")
            try await Self.waitUntil { try await store.get(started.id)?.steps.count == 1 }  // a recorded, b waiting
            let first = Task { try await client.runStream(Self.attach(started.id)).reduce(into: []) { $0.append(Self.line($1)) } }
            let secondConnection = try await server.connect()
            let second = Task {
                try await Paladin_V1_BattalionServiceClient(secondConnection).runStream(Self.attach(started.id))
                    .reduce(into: []) { $0.append(Self.line($1)) }
            }
            try await Task.sleep(for: .milliseconds(50))
            provider.open("b")
            provider.open("c")
            let firstSaw = try await first.value, secondSaw = try await second.value
            // Deltas are live only: b's and c's arrive, a's (before the watchers came) are not replayed.
            for saw in [firstSaw, secondSaw] {
                #expect(saw.filter { !$0.hasSuffix("delta") } == Self.wholeRun)
                #expect(saw.filter { $0.hasSuffix("delta") } == ["b delta", "c delta"])
            }
            await secondConnection.close()
            await connection.close()
        }
    }

    @Test("a watcher that goes away does not cancel the run; Run with attach_run_id waits for the end")
    func aWatcherLeavingLeavesTheRun() async throws {
        try await Self.withServer { server, provider, store in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            let started = try await Self.start(client)
            let watcherConnection = try await server.connect()
            var seen: [String] = []
            for try await event in Paladin_V1_BattalionServiceClient(watcherConnection).runStream(Self.attach(started.id)) {
                seen.append(Self.line(event))
                if seen.count == 2 { break }  // leaves the stream (CANCEL) after "a started"
            }
            await watcherConnection.close()
            #expect(seen == ["started", "a started"])
            let waiter = Task { try await client.run(Self.attach(started.id, format: .markdown)) }
            try await Task.sleep(for: .milliseconds(30))
            #expect(try await store.get(started.id)?.status == .running)
            for member in ["a", "b", "c"] { provider.open(member) }
            let ended = try await waiter.value
            #expect(ended.id == started.id && ended.status == .completed && ended.rendered.contains("c done"))
            await connection.close()
        }
    }

    @Test("attaching to a finished run replays it from the store: started, each step, then the result in the format asked")
    func attachingToAFinishedRunReplaysIt() async throws {
        try await Self.withServer { server, provider, store in
            for member in ["a", "b", "c"] { provider.open(member) }
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            let started = try await Self.start(client)
            try await Self.waitUntil { try await store.get(started.id)?.status == .completed }
            var events: [Paladin_V1_RunEvent] = []
            for try await event in client.runStream(Self.attach(started.id, format: .json)) { events.append(event) }
            #expect(events.map(Self.line) == Self.wholeRun)
            guard case .result(let result)? = events.last?.event, case .started(let first)? = events.first?.event else {
                Issue.record("no started or result")
                return
            }
            #expect(first.status == .running && first.steps.isEmpty && first.id == started.id)
            #expect(result.rendered.contains("\"final_output\"") && result.memberVersions == ["a": 1, "b": 1, "c": 1])
            await connection.close()
        }
    }

    @Test("CancelRun reaches a detached run; its watcher gets the CANCELLED result; the permit comes back")
    func cancellingADetachedRun() async throws {
        try await Self.withServer { server, _, store in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            let first = try await Self.start(client)
            let second = try await Self.start(client)
            // max_inflight_runs is 2: a third is refused while both run.
            let refused = await expectStatus(.resourceExhausted) { _ = try await Self.start(client) }
            #expect(refused?.retryAfter != nil)
            let watcher = Task { try await client.runStream(Self.attach(first.id)).reduce(into: []) { $0.append(Self.line($1)) } }
            try await Task.sleep(for: .milliseconds(30))
            var cancel = Paladin_V1_CancelRunRequest()
            cancel.id = first.id
            #expect(try await client.cancelRun(cancel).cancelled)
            #expect(try await watcher.value.last == "result cancelled")
            #expect(try await store.get(first.id)?.status == .cancelled)
            cancel.id = second.id
            _ = try await client.cancelRun(cancel)
            try await Self.waitUntil { try await store.get(second.id)?.status == .cancelled }
            try await Self.waitUntil { (try? await Self.start(client)) != nil }  // both permits are back
            await connection.close()
        }
    }

    @Test("bad attach requests: an unknown id is NOT_FOUND; attach with a battalion, or on StartRun, is INVALID_ARGUMENT")
    func badAttachRequests() async throws {
        try await Self.withServer { server, _, _ in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            _ = await expectStatus(.notFound) { _ = try await client.run(Self.attach("run-nobody")) }
            _ = await expectStatus(.notFound) {
                for try await _ in client.runStream(Self.attach("run-nobody")) {}
            }
            var mixed = Self.attach("run-x")
            mixed.battalion = "line"
            let invalid = await expectStatus(.invalidArgument) { _ = try await client.run(mixed) }
            #expect(invalid?.details["field"] == "attach_run_id")
            var start = Self.attach("run-x")
            start.battalion = "line"
            _ = await expectStatus(.invalidArgument) { _ = try await client.startRun(start) }
            await connection.close()
        }
    }

    @Test("at shutdown a detached run is stopped and recorded interrupted, so it can be resumed")
    func shutdownLeavesDetachedRunsInterrupted() async throws {
        try await Self.withServer { server, provider, store in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            let started = try await Self.start(client)
            provider.open("a")
            try await Self.waitUntil { try await store.get(started.id)?.steps.count == 1 }
            await connection.close()
            await server.services.runs.stopDetachedRuns()
            await server.stop()
            await server.services.runs.markStoppedRunsInterrupted()
            let record = try #require(try await store.get(started.id))
            #expect(record.status == .interrupted)
            // a's success is kept for the resume; b, stopped half-way, is recorded as not succeeded.
            #expect(record.steps.filter { $0.status == .succeeded }.map(\.member) == ["a"])
            #expect(record.steps.map(\.member).prefix(1) == ["a"])
            await #expect(throws: RPCError.self) {
                _ = try await server.services.runs.start(RunnableBattalion(plan: try server.services.catalog.battalion("line").plan,
                                                                           members: [], versions: DefinitionVersions()),
                                                         .new(input: "late"))
            }
        }
    }
}
