import PaladinCore
@testable import PaladinStore
import Testing

/// What only a database does: keep sessions across reopening, expire idle ones, upgrade old
/// files, take concurrent writers.
@Suite("SQLite garrison persistence")
struct SQLiteGarrisonPersistenceTests {
    @Test func sessionsPoliciesAndIdsSurviveReopening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = StoreConfiguration(path: directory.path("nested/dir/paladin.db"), sessionTTL: nil)
        do {
            let database = try SQLiteDatabase(configuration)
            let store = SQLiteGarrisonStore(database: database)
            try await store.setPolicy(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 2), for: "s")
            _ = try await store.append([entry("one"), entry("two"), entry("three")], to: "s")
            database.close()
        }
        let database = try SQLiteDatabase(configuration)
        defer { database.close() }
        let store = SQLiteGarrisonStore(database: database)
        #expect(try await store.policy(for: "s") == GarrisonPolicy(eviction: .slidingWindow, maxEntries: 2))
        #expect(try await store.history(sessionID: "s", limit: 0).map(\.content) == ["two", "three"])
        #expect(try await store.append([entry("four")], to: "s").ids == [4], "ids continue after reopening")
    }

    @Test func aPrivateInMemoryDatabaseWorksAndAClosedOneRefusesWork() async throws {
        let database = try SQLiteDatabase(StoreConfiguration(path: ":memory:", sessionTTL: nil))
        let store = SQLiteGarrisonStore(database: database)
        _ = try await store.append([entry("kept in memory")], to: "s")
        #expect(try await store.search(sessionID: "s", query: "memory", limit: 0).map(\.content) == ["kept in memory"])
        database.close()
        await #expect(throws: StoreError.closed) { try await store.history(sessionID: "s", limit: 0) }
    }

    @Test func idleSessionsExpire() async throws {
        let clock = ManualClock()
        let open = try StoreKind.sqlite.make(clock: clock)
        defer { open.close() }
        let store = try #require(open.store as? SQLiteGarrisonStore)
        _ = try await store.append([entry("old")], to: "idle")
        clock.advance(by: 60_000_000)
        _ = try await store.append([entry("new")], to: "active")
        clock.advance(by: 30_000_000)
        #expect(try await store.removeIdleSessions(olderThan: .seconds(60)) == 1)
        #expect(try await store.sessions(limit: 0).map(\.sessionID) == ["active"])
        #expect(try await store.history(sessionID: "idle", limit: 0).isEmpty)
        #expect(try await store.removeIdleSessions(olderThan: .seconds(60)) == 0)
    }

    @Test func cleanupLoopRunsPeriodically() async throws {
        let clock = ManualClock()
        let open = try StoreKind.sqlite.make(clock: clock)
        defer { open.close() }
        let store = try #require(open.store as? SQLiteGarrisonStore)
        _ = try await store.append([entry("old")], to: "idle")
        clock.advance(by: 120_000_000)
        let cleanup = Task { await store.runCleanup(ttl: .seconds(60), every: .milliseconds(20)) }
        defer { cleanup.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await !store.sessions(limit: 0).isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await store.sessions(limit: 0).isEmpty)
    }

    @Test func migrationsUpgradeAVersionOneDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let old = try SQLiteConnection(path: directory.path())
            #expect(try Migrator.migrate(old, upTo: 1) == [1])
            try old.execute("""
                INSERT INTO sessions (id, created_at, last_activity, message_count, token_total, bytes)
                VALUES ('legacy', 5, 5, 1, 3, 11);
                INSERT INTO entries (session, role, content, token_count, importance, created_at)
                VALUES (1, 1, 'hello world', 3, 0, 5);
                UPDATE totals SET bytes = 11;
                """)
        }
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil))
        defer { database.close() }
        let version = try await database.read { try $0.integer("PRAGMA user_version") }
        #expect(version == Int64(Migrations.latest))
        let store = SQLiteGarrisonStore(database: database)
        #expect(try await store.history(sessionID: "legacy", limit: 0).map(\.content) == ["hello world"])
        let runs = SQLiteRunStore(database: database)
        #expect(try await runs.list(RunFilter()).isEmpty)
        // The FTS index was built over the old rows.
        let indexed = try await database.read { try $0.integer("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'world'") }
        #expect(indexed == 1)
    }

    @Test func newerSchemaIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let future = try SQLiteConnection(path: directory.path())
            try future.execute("PRAGMA user_version = 999")
        }
        #expect(throws: StoreError.schemaTooNew(found: 999, supported: Migrations.latest)) {
            _ = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil))
        }
    }

    @Test func sixteenConcurrentWritersAndReadersLoseNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 4))
        defer { database.close() }
        let store = SQLiteGarrisonStore(database: database)
        // A second handle on the same file, as a second process would have: its writer contends
        // for the file's write lock, which the busy timeout must absorb.
        let second = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 2))
        defer { second.close() }
        let other = SQLiteGarrisonStore(database: second)
        let perWriter = 200
        try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for writer in 0..<16 {
                let target = writer.isMultiple(of: 2) ? store : other
                group.addTask {
                    var ids: [UInt64] = []
                    for index in 0..<perWriter {
                        ids += try await target.append([entry("w\(writer) e\(index)")], to: "shared-\(writer % 4)").ids
                    }
                    return ids
                }
                group.addTask {
                    for _ in 0..<perWriter / 4 {
                        _ = try await store.history(sessionID: "shared-\(writer % 4)", limit: 50)
                        _ = try await store.search(sessionID: "shared-\(writer % 4)", query: "w\(writer)", limit: 5)
                    }
                    return []
                }
            }
            var all: [UInt64] = []
            for try await ids in group { all += ids }
            #expect(all.count == 16 * perWriter)
            #expect(Set(all).count == all.count, "ids are unique")
        }
        var stored = 0
        for session in 0..<4 { stored += try await store.history(sessionID: "shared-\(session)", limit: 0).count }
        #expect(stored == 16 * perWriter)
        let check = try await database.read { try $0.text("PRAGMA integrity_check") }
        #expect(check == "ok")
    }
}
