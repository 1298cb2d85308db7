import PaladinCore
import PaladinStore
import Testing

/// Run stores: the in-memory one and SQLite must answer alike.
@Suite("Run store conformance")
struct RunStoreConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    /// A fresh run store and how to dispose of it.
    static func make(_ kind: Kind) throws -> (store: any RunStore, close: () -> Void) {
        switch kind {
        case .memory:
            return (InMemoryRunStore(), {})
        case .sqlite:
            let directory = try TemporaryDirectory()
            let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1))
            return (SQLiteRunStore(database: database), { database.close(); directory.remove() })
        }
    }

    private func run(_ id: String, _ battalion: String = "b", at micros: Int64 = 1) -> RunRecord {
        RunRecord(id: id, battalion: battalion, pattern: "formation", input: "in", startedAtMicros: micros)
    }

    @Test(arguments: Kind.allCases)
    func aRunIsBegunStepByStepThenFinished(_ kind: Kind) async throws {
        let (store, close) = try Self.make(kind)
        defer { close() }
        try await store.begin(run("r1"))
        let step = MemberStep(member: "a", status: .succeeded, output: "x", startedAt: .milliseconds(3),
                              duration: .microseconds(1500), usage: TokenUsage(promptTokens: 4, completionTokens: 2), attempts: 2)
        try await store.record(step, runID: "r1")
        #expect(try await store.get("r1")?.steps == [step])
        let failed = MemberStep(member: "b", status: .failed, error: "boom")
        let result = BattalionResult(pattern: "formation", status: .completed, finalOutput: "done", steps: [step, failed],
                                     error: nil, reasoning: "because")
        try await store.finish(runID: "r1", with: result, atMicros: 5)
        let stored = try #require(try await store.get("r1"))
        #expect(stored.status == .completed && stored.finalOutput == "done" && stored.finishedAtMicros == 5)
        #expect(stored.steps == [step, failed] && stored.reasoning == "because" && stored.usage.totalTokens == 6)
        #expect(try await store.get("none") == nil)
        await #expect(throws: RunStoreError.duplicateRun("r1")) { try await store.begin(run("r1")) }
        await #expect(throws: RunStoreError.runNotFound("nope")) {
            try await store.record(MemberStep(member: "a", status: .failed), runID: "nope")
        }
    }

    @Test(arguments: Kind.allCases)
    func listFiltersNewestFirst(_ kind: Kind) async throws {
        let (store, close) = try Self.make(kind)
        defer { close() }
        try await store.begin(run("r1", "alpha", at: 10))
        try await store.begin(run("r2", "beta", at: 20))
        try await store.begin(run("r3", "alpha", at: 30))
        try await store.finish(runID: "r3", with: BattalionResult(pattern: "formation", status: .failed, finalOutput: "", steps: []),
                               atMicros: 31)
        #expect(try await store.list(RunFilter()).map(\.id) == ["r3", "r2", "r1"])
        #expect(try await store.list(RunFilter(battalion: "alpha")).map(\.id) == ["r3", "r1"])
        #expect(try await store.list(RunFilter(status: .failed)).map(\.id) == ["r3"])
        #expect(try await store.list(RunFilter(startedAfterMicros: 10, startedBeforeMicros: 30)).map(\.id) == ["r2"])
        #expect(try await store.list(RunFilter(limit: 1)).map(\.id) == ["r3"])
        #expect(try await store.markInterrupted() == ["r1", "r2"])
        #expect(try await store.get("r2")?.status == .interrupted)
        #expect(try await store.markInterrupted().isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func aRunKeepsTheDefinitionVersionsItStartedWith(_ kind: Kind) async throws {
        let (store, close) = try Self.make(kind)
        defer { close() }
        var versioned = run("r1")
        versioned.versions = DefinitionVersions(battalion: 4, members: ["a-1": 2, "B_2": 9, "c": 1])
        try await store.begin(versioned)
        try await store.begin(run("r2"))
        try await store.finish(runID: "r1", with: BattalionResult(pattern: "formation", status: .completed, finalOutput: "", steps: []),
                               atMicros: 5)
        #expect(try await store.get("r1")?.versions == versioned.versions)
        #expect(try await store.get("r2")?.versions == DefinitionVersions())
        #expect(try await store.list(RunFilter()).map(\.versions) == [DefinitionVersions(), versioned.versions])
    }

    @Test(arguments: ["UPDATE runs SET member_versions = 'a=1 b'", "UPDATE runs SET member_versions = 'a=x'",
                      "UPDATE runs SET battalion_version = -1"])
    func corruptVersionsAreACorruptRow(_ damage: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1))
        defer { database.close() }
        let store = SQLiteRunStore(database: database)
        try await store.begin(run("r1"))
        try await database.write { try $0.execute(damage) }
        await #expect {
            _ = try await store.get("r1")
        } throws: { error in
            guard case StoreError.corruptRow(let table, let column, _, _) = error else { return false }
            return table == "runs" && (column == "member_versions" || column == "battalion_version")
        }
    }
}
