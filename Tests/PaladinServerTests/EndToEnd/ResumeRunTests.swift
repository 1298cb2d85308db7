import Foundation
import PaladinClient
import PaladinCore
import PaladinServer
import PaladinStore
import PaladinWire
import Testing

/// A run cut short by a crash is marked interrupted on restart and resumes without calling the
/// members that had finished (SQLite store, over the wire).
@Suite("Resuming interrupted runs")
struct ResumeRunTests {
    @Test func aFormationInterruptedAfterMemberTwoResumesWithMemberThreeOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "paladin-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = StoreConfiguration(path: directory.appending(path: "runs.db").path)

        // The first server life: members a and b finished and were recorded, then it died.
        do {
            let database = try SQLiteDatabase(configuration)
            let store = SQLiteRunStore(database: database)
            try await store.begin(RunRecord(id: "run-crashed", battalion: "trio", pattern: "formation", input: "start",
                                            startedAtMicros: 1_000))
            try await store.record(MemberStep(member: "a", status: .succeeded, output: "from a", attempts: 1), runID: "run-crashed")
            try await store.record(MemberStep(member: "b", status: .succeeded, output: "from b", attempts: 1), runID: "run-crashed")
            database.close()
        }

        // The restart.
        let database = try SQLiteDatabase(configuration)
        defer { database.close() }
        let runStore = SQLiteRunStore(database: database)
        #expect(try await runStore.markInterrupted() == ["run-crashed"])
        let provider = ScriptedProvider()
        provider.fallback("c", .computed { "c got: " + ($0.messages.last?.content ?? "") })
        try await withTestServer(services: scriptedServices(provider, runStore: runStore)) { server in
            let connection = try await server.connect()
            try await createPaladins(["a", "b", "c"], on: connection)
            try await createBattalion("trio", formation(["a", "b", "c"]), on: connection)
            let client = Paladin_V1_BattalionServiceClient(connection)
            var resume = Paladin_V1_RunRequest()
            resume.resumeRunID = "run-crashed"
            let run = try await client.run(resume)
            #expect(run.status == .completed)
            #expect(run.id == "run-crashed" && run.attempt == 2)  // the resumed run keeps its id
            #expect(run.finalOutput == "c got: from b")
            #expect(run.steps.map(\.output) == ["from a", "from b", "c got: from b"])
            #expect(provider.requests(from: "a").isEmpty && provider.requests(from: "b").isEmpty)
            #expect(provider.requests(from: "c").count == 1)
            let stored = try #require(try await runStore.get("run-crashed"))
            #expect(stored.status == .completed && stored.attempt == 2 && stored.steps.map(\.member) == ["a", "b", "c"])

            // Only interrupted runs resume; unknown ids are NOT_FOUND.
            resume.resumeRunID = run.id
            await expectStatus(.failedPrecondition) { _ = try await client.run(resume) }
            resume.resumeRunID = "run-never"
            await expectStatus(.notFound) { _ = try await client.run(resume) }
            await connection.close()
        }
    }
}
