import Foundation
import PaladinClient
import PaladinCore
@testable import PaladinServer
import PaladinStore
import PaladinWire
import Testing

/// Automatic recovery on the SQLite store: runs that a stop interrupted are resumed at the next
/// start under their ids (one attempt more), or left interrupted as their battalion says.
@Suite("Automatic recovery of interrupted runs", .timeLimit(.minutes(1)))
struct RunRecoveryTests {
    static func life<T>(_ path: String, _ provider: any LLMProvider,
                        _ body: (TestServer, SQLiteRunStore, PaladinConnection) async throws -> T) async throws -> T {
        let database = try SQLiteDatabase(StoreConfiguration(path: path, sessionTTL: nil, readers: 1))
        defer { database.close() }
        let store = SQLiteRunStore(database: database)
        let services = PaladinServices(providers: ProviderRegistry(["offline": provider]), runStore: store)
        return try await withTestServer(services: services) { server in
            let connection = try await server.connect()
            try await createPaladins(["a", "b", "c"], on: connection)
            try await createBattalion("line", formation(["a", "b", "c"]), on: connection)
            var definition = Paladin_V1_BattalionDefinition()
            definition.name = "marked"
            definition.pattern = formation(["a", "b", "c"])
            definition.onInterrupt = .mark
            var marked = Paladin_V1_CreateBattalionRequest()
            marked.definition = definition
            _ = try await Paladin_V1_BattalionServiceClient(connection).createBattalion(marked)
            defer { Task { await connection.close() } }
            return try await body(server, store, connection)
        }
    }

    /// A database path in a fresh temporary directory, and how to remove it.
    static func databasePath() throws -> (String, () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "paladin-recovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory.appending(path: "paladin.db").path, { try? FileManager.default.removeItem(at: directory) })
    }

    @Test("a stop interrupts detached runs; the next start resumes those whose battalion says resume, keeping their ids")
    func interruptedRunsResumeAtTheNextStart() async throws {
        let (path, remove) = try Self.databasePath()
        defer { remove() }

        // First life: both runs finish a, then the server stops while b waits.
        let gated = GatedProvider()
        gated.open("a")
        let (line, marked) = try await Self.life(path, gated) { server, store, connection in
            let client = Paladin_V1_BattalionServiceClient(connection)
            var request = Paladin_V1_RunRequest()
            request.input = "go"
            request.battalion = "line"
            let line = try await client.startRun(request)
            request.battalion = "marked"
            let marked = try await client.startRun(request)
            try await DetachedRunTests.waitUntil {
                let first = try await store.get(line.id)?.steps.count, second = try await store.get(marked.id)?.steps.count
                return first == 1 && second == 1
            }
            var attach = Paladin_V1_RunRequest()
            attach.attachRunID = line.id
            let watcher = Task { for try await _ in client.runStream(attach) {} }
            try await Task.sleep(for: .milliseconds(20))
            await server.services.runs.stopDetachedRuns()
            await #expect(throws: RPCError.self) { try await watcher.value }  // UNAVAILABLE: the run stopped unfinished
            return (line.id, marked.id)
        }
        do {
            let database = try SQLiteDatabase(StoreConfiguration(path: path, sessionTTL: nil, readers: 1))
            defer { database.close() }
            let store = SQLiteRunStore(database: database)
            #expect(try await store.markInterrupted().sorted() == [line, marked].sorted())
            // A run already at the automatic limit is left alone.
            try await store.begin(RunRecord(id: "run-tired", battalion: "line", pattern: "formation", input: "x", status: .interrupted,
                                            startedAtMicros: 1, attempt: RunManager.maxAutomaticAttempts))
        }

        // Second life: a must not be called again.
        let provider = ScriptedProvider()
        provider.fallback("b", .computed { "b got: " + ($0.messages.last?.content ?? "") })
        provider.fallback("c", .computed { "c got: " + ($0.messages.last?.content ?? "") })
        try await Self.life(path, provider) { server, store, connection in
            let recovery = await server.services.runs.resumeInterrupted(catalog: server.services.catalog)
            #expect(recovery.resumed == [line])
            #expect(recovery.left.contains { $0.hasPrefix(marked) && $0.contains("on_interrupt: mark") })
            #expect(recovery.left.contains { $0.hasPrefix("run-tired") && $0.contains("automatic limit") })
            var get = Paladin_V1_GetRunRequest()
            get.id = line
            try await DetachedRunTests.waitUntil { try await store.get(line)?.status == .completed }
            let run = try await Paladin_V1_BattalionServiceClient(connection).getRun(get)
            #expect(run.id == line && run.attempt == 2 && run.finalOutput == "c got: b got: a done")
            #expect(run.steps.map(\.member) == ["a", "b", "c"] && run.steps.allSatisfy { $0.status == .succeeded })
            #expect(provider.requests(from: "a").isEmpty && provider.requests(from: "b").count == 1)
            #expect(try await store.get(marked)?.status == .interrupted)

            // The marked run resumes when a caller asks, under its id.
            var resume = Paladin_V1_RunRequest()
            resume.resumeRunID = marked
            let resumed = try await Paladin_V1_BattalionServiceClient(connection).run(resume)
            #expect(resumed.id == marked && resumed.attempt == 2 && resumed.status == .completed)
        }
    }

    @Test("two resumes of one interrupted run at once: one runs it, the other is FAILED_PRECONDITION")
    func concurrentResumesOfOneRun() async throws {
        let (path, remove) = try Self.databasePath()
        defer { remove() }
        let gated = GatedProvider()
        try await Self.life(path, gated) { server, store, connection in
            try await store.begin(RunRecord(id: "run-x", battalion: "line", pattern: "formation", input: "x", status: .interrupted,
                                            startedAtMicros: 1))
            let client = Paladin_V1_BattalionServiceClient(connection)
            var resume = Paladin_V1_RunRequest()
            resume.resumeRunID = "run-x"
            let first = Task { try await client.startRun(resume) }
            let second = Task { try await client.startRun(resume) }
            let outcomes = [await first.result, await second.result]
            let failures = outcomes.compactMap { outcome -> StatusCode? in
                if case .failure(let error as RPCError) = outcome { return error.code }
                return nil
            }
            #expect(failures == [.failedPrecondition])
            for member in ["a", "b", "c"] { gated.open(member) }
            try await DetachedRunTests.waitUntil { try await store.get("run-x")?.status == .completed }
            #expect(try await store.get("run-x")?.attempt == 2)
        }
    }
}
