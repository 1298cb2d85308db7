import PaladinCore
import PaladinStore
import Testing

/// `store.run_retention` and `store.max_runs`: the clean-up prunes finished runs by age and by
/// count, never a run in progress.
@Suite("Run retention")
struct RunRetentionTests {
    private static func run(_ id: String, at micros: Int64) -> RunRecord {
        RunRecord(id: id, battalion: "b", pattern: "formation", input: "in", startedAtMicros: micros)
    }

    private static let done = BattalionResult(pattern: "formation", status: .completed, finalOutput: "ok",
                                              steps: [MemberStep(member: "a", status: .succeeded, output: "x")])

    /// A SQLite run store in a temporary file.
    private static func sqlite() throws -> (SQLiteRunStore, () -> Void) {
        let directory = try TemporaryDirectory()
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1))
        return (SQLiteRunStore(database: database), { database.close(); directory.remove() })
    }

    @Test func sqlitePrunesFinishedRunsOlderThanTheRetention() async throws {
        let (store, close) = try Self.sqlite()
        defer { close() }
        try await store.begin(Self.run("old", at: 10))
        try await store.finish(runID: "old", with: Self.done, atMicros: 100)
        try await store.begin(Self.run("running", at: 20))
        try await store.begin(Self.run("new", at: 30))
        try await store.finish(runID: "new", with: Self.done, atMicros: 1_000)
        #expect(try await store.prune(finishedBeforeMicros: 500, maxRuns: nil) == 1)
        #expect(try await store.get("old") == nil)
        #expect(try await store.get("running")?.status == .running, "a run in progress is never pruned")
        #expect(try await store.get("new")?.steps.count == 1)
        // Steps of a pruned run go with it: a new run with the same id starts empty.
        try await store.begin(Self.run("old", at: 40))
        #expect(try await store.get("old")?.steps.isEmpty == true)
    }

    @Test func sqliteKeepsAtMostMaxRunsDroppingTheOldestFinished() async throws {
        let (store, close) = try Self.sqlite()
        defer { close() }
        try await store.begin(Self.run("r0", at: 1))
        for index in 1...5 {
            try await store.begin(Self.run("r\(index)", at: Int64(index + 1)))
            try await store.finish(runID: "r\(index)", with: Self.done, atMicros: Int64(index + 10))
        }
        #expect(try await store.prune(finishedBeforeMicros: nil, maxRuns: 3) == 3)
        let left = try await store.list(RunFilter(limit: 10)).map(\.id)
        #expect(left == ["r5", "r4", "r0"], "r0 is running: kept, though oldest")
        // A count of 0 drops every finished run; the running one stays.
        #expect(try await store.prune(finishedBeforeMicros: nil, maxRuns: 0) == 2)
        #expect(try await store.list(RunFilter(limit: 10)).map(\.id) == ["r0"])
    }

    @Test func sqlitePrunesWithItsConfiguration() async throws {
        let (store, close) = try Self.sqlite()
        defer { close() }
        try await store.begin(Self.run("a", at: 1))
        try await store.finish(runID: "a", with: Self.done, atMicros: 2)
        let day: Int64 = 86_400_000_000
        let configuration = StoreConfiguration(runRetention: .seconds(86_400), maxRuns: nil)
        #expect(try await store.prune(configuration, nowMicros: day) == 0)
        #expect(try await store.prune(configuration, nowMicros: day + 3) == 1)
        #expect(StoreConfiguration().runRetention == .seconds(30 * 86_400) && StoreConfiguration().maxRuns == 100_000)
    }

    @Test func interruptedRunsAgeFromTheirStart() async throws {
        let (store, close) = try Self.sqlite()
        defer { close() }
        try await store.begin(Self.run("cut", at: 10))
        #expect(try await store.markInterrupted() == ["cut"])
        #expect(try await store.prune(finishedBeforeMicros: 10, maxRuns: nil) == 0)
        #expect(try await store.prune(finishedBeforeMicros: 11, maxRuns: nil) == 1)

        let memory = InMemoryRunStore()
        try memory.begin(Self.run("cut", at: 10))
        _ = memory.markInterrupted()
        #expect(memory.prune(finishedBeforeMicros: 10) == 0)
        #expect(memory.prune(finishedBeforeMicros: 11) == 1)
    }

    @Test func memoryPrunesFinishedRunsOlderThanTheRetention() throws {
        let store = InMemoryRunStore()
        try store.begin(Self.run("old", at: 10))
        try store.finish(runID: "old", with: Self.done, atMicros: 100)
        try store.begin(Self.run("running", at: 20))
        try store.begin(Self.run("new", at: 30))
        try store.finish(runID: "new", with: Self.done, atMicros: 1_000)
        #expect(store.prune(finishedBeforeMicros: 500) == 1)
        #expect(store.get("old") == nil && store.get("running")?.status == .running && store.get("new") != nil)
        #expect(store.list(RunFilter(limit: 10)).map(\.id) == ["new", "running"])
    }
}
