import PaladinCore
@testable import PaladinStore
import Testing

/// Schema v5: byte totals written before metadata counted are recomputed with it, so a later
/// eviction or deletion subtracts exactly what the totals hold.
@Suite("SQLite metadata bytes migration")
struct MetadataBytesMigrationTests {
    @Test func aVersionFourDatabaseGetsItsByteTotalsRecomputed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let old = try SQLiteConnection(path: directory.path())
            #expect(try Migrator.migrate(old, upTo: 4) == [1, 2, 3, 4])
            // Totals as v4 kept them: content bytes only (5 + 2).
            try old.execute("""
                INSERT INTO sessions (id, created_at, last_activity, message_count, token_total, bytes)
                VALUES ('legacy', 5, 5, 2, 3, 7);
                INSERT INTO entries (session, role, content, token_count, importance, created_at, metadata)
                VALUES (1, 1, 'hello', 2, 0, 5, '{"key":"välue"}'), (1, 1, 'hi', 1, 0, 6, NULL);
                UPDATE totals SET bytes = 7;
                """)
        }
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil))
        defer { database.close() }
        // 5 + 2 of content, "key" (3) + "välue" (6) of metadata.
        #expect(try await database.read { try $0.integer("SELECT bytes FROM sessions WHERE id = 'legacy'") } == 16)
        #expect(try await database.read { try $0.integer("SELECT bytes FROM totals") } == 16)
        var limits = GarrisonLimits()
        limits.maxTotalBytes = 20
        let store = SQLiteGarrisonStore(database: database, limits: limits)
        await #expect(throws: GarrisonError.capacityExceeded("the garrison holds its maximum of 20 bytes")) {
            try await store.append([GarrisonEntry(sessionID: "", role: .user, content: "12345")], to: "other")
        }
        _ = try await store.deleteSession("legacy")
        #expect(try await database.read { try $0.integer("SELECT bytes FROM totals") } == 0)
    }
}
