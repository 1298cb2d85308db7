import PaladinCore
import PaladinStore
import Testing

/// A Formation of 3 interrupted after member 2 (its process gone: the run still `running` in
/// the database) resumes from the reopened store and calls only member 3.
@Suite("Run resume (SQLite)")
struct RunResumeTests {
    @Test func aResumedFormationCallsOnlyTheMembersThatDidNotFinish() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1)
        let formation = Formation(members: ["a", "b", "c"])

        // First life: a and b finish, c hangs; the run is cut off (no `finish` is ever written).
        do {
            let database = try SQLiteDatabase(configuration)
            let provider = ScriptedProvider()
            provider.fallback("a", .echo(prefix: "a:"))
            provider.fallback("b", .echo(prefix: "b:"))
            provider.fallback("c", .delayed(.seconds(120), .echo(prefix: "c:")))
            let recorder = RunRecorder(store: SQLiteRunStore(database: database),
                                       run: RunRecord(id: "run-1", battalion: "trio", pattern: "formation", input: "in",
                                                      startedAtMicros: 1))
            let context = try members(["a", "b", "c"], provider, observer: recorder)
            let task = Task { await formation.run("in", in: context) }
            let deadline = ContinuousClock.now + .seconds(60)
            while provider.requests(from: "c").isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            task.cancel()
            _ = await task.value
            try await recorder.flush()
            database.close()
        }

        // Second life: reopen, mark, resume.
        let database = try SQLiteDatabase(configuration)
        defer { database.close() }
        let runs = SQLiteRunStore(database: database)
        #expect(try await runs.markInterrupted() == ["run-1"])
        let interrupted = try #require(try await runs.get("run-1"))
        #expect(interrupted.status == .interrupted)
        #expect(interrupted.steps.filter { $0.status == .succeeded }.map(\.member) == ["a", "b"])

        let provider = ScriptedProvider()
        provider.fallback("c", .echo(prefix: "c:"))
        let recorder = RunRecorder(store: runs, run: RunRecord(id: "run-2", battalion: "trio", pattern: "formation",
                                                               input: interrupted.input, startedAtMicros: 2))
        let context = try members(["a", "b", "c"], provider, observer: recorder, resuming: interrupted.steps)
        let result = await formation.run(interrupted.input, in: context)
        try await recorder.finish(result, atMicros: 3)

        #expect(result.status == .completed)
        #expect(result.finalOutput == "c:b:a:in")
        #expect(provider.requests(from: "a").isEmpty && provider.requests(from: "b").isEmpty)
        #expect(provider.requests(from: "c").count == 1)
        let resumed = try #require(try await runs.get("run-2"))
        #expect(resumed.status == .completed && resumed.steps.map(\.member) == ["a", "b", "c"])
    }

    private func members(_ names: [String], _ provider: ScriptedProvider, observer: any BattalionObserver,
                         resuming prior: [MemberStep] = []) throws -> BattalionContext {
        let agents = try names.map { try PaladinAgent(PaladinDefinition(name: $0, systemPrompt: "", model: "scripted"), provider: provider) }
        return BattalionContext(members: agents, observer: observer, resuming: prior)
    }
}
