import Foundation
import PaladinCore
@testable import PaladinServer
import PaladinStore
import Testing

/// The clean-up task prunes runs by `store.run_retention` and `store.max_runs`, in both stores.
@Suite("Store maintenance")
struct StoreMaintenanceTests {
    private static let day: Int64 = 86_400_000_000
    private static let done = BattalionResult(pattern: "formation", status: .completed, finalOutput: "ok", steps: [])

    private static func record(_ id: String, at micros: Int64) -> RunRecord {
        RunRecord(id: id, battalion: "b", pattern: "formation", input: "in", startedAtMicros: micros)
    }

    @Test func aPassPrunesOldRunsInMemory() async throws {
        let runs = InMemoryRunStore()
        try runs.begin(Self.record("old", at: 1))
        try runs.finish(runID: "old", with: Self.done, atMicros: 2)
        try runs.begin(Self.record("running", at: 1))
        var configuration = StoreConfiguration()
        configuration.runRetention = .seconds(86_400)
        let maintenance = StoreMaintenance(memoryRuns: runs, configuration: configuration)
        #expect(maintenance.hasWork)
        await maintenance.pass(nowMicros: 3 * Self.day)
        #expect(runs.get("old") == nil && runs.get("running") != nil)
    }

    @Test func aPassPrunesSQLiteRunsByAgeAndCount() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("maintenance-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var configuration = StoreConfiguration(path: path, sessionTTL: nil)
        configuration.runRetention = .seconds(86_400)
        configuration.maxRuns = 2
        let database = try SQLiteDatabase(configuration)
        defer { database.close() }
        let runs = SQLiteRunStore(database: database)
        for (index, finished) in [Int64(1), 2 * Self.day, 2 * Self.day + 1, 2 * Self.day + 2].enumerated() {
            try await runs.begin(Self.record("r\(index)", at: Int64(index)))
            try await runs.finish(runID: "r\(index)", with: Self.done, atMicros: finished)
        }
        let maintenance = StoreMaintenance(sqliteRuns: runs, configuration: configuration)
        await maintenance.pass(nowMicros: 2 * Self.day + 3)
        // r0 is past the retention; of the other three, the oldest goes to keep two.
        #expect(try await runs.list(RunFilter(limit: 10)).map(\.id) == ["r3", "r2"])
    }

    @Test func serveStartsTheCleanUpForRunsAlone() async throws {
        let config = try PaladinConfig.parse("store: { path: \":memory:\", session_ttl: off, run_retention: 1d }")
        let assembly = try await ServerAssembly.build(config)
        let task = try #require(assembly.startMaintenance())
        task.cancel()
        let off = try PaladinConfig.parse("store: { path: \":memory:\", session_ttl: off, run_retention: off }")
        #expect(try await ServerAssembly.build(off).startMaintenance() == nil)
    }
}
