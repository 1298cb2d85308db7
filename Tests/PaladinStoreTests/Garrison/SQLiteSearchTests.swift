import PaladinCore
@testable import PaladinStore
import Testing

/// Search through the FTS5 trigram index (sessions larger than the scan limit) against the
/// in-memory store's substring search.
@Suite("SQLite search")
struct SQLiteSearchTests {
    @Test func indexedSearchAgreesWithInMemory() async throws {
        let memoryOpen = try StoreKind.memory.make()
        let sqliteOpen = try StoreKind.sqlite.make()
        defer { memoryOpen.close(); sqliteOpen.close() }
        let words = ["Paladin", "garrison", "ÉCLAIR", "naïve", "battalion", "ab", "quick\"quote", "zebra"]
        var random = SeededRandom(seed: 42)
        for _ in 0..<5 {
            let batch = (0..<500).map { _ in
                entry((0..<4).map { _ in words.randomElement(using: &random)! }.joined(separator: " "))
            }
            _ = try await memoryOpen.store.append(batch, to: "big")
            _ = try await sqliteOpen.store.append(batch, to: "big")
        }
        let sqlite = try #require(sqliteOpen.store as? SQLiteGarrisonStore)
        try await compare(memoryOpen.store, sqlite, "as appended (index possibly behind)")
        try await sqlite.database.catchUpSearchIndex()
        try await compare(memoryOpen.store, sqlite, "fully indexed")
        // Evictions and clears after indexing must leave the index consistent.
        try await memoryOpen.store.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 2_100), for: "big")
        try await sqlite.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 2_100), for: "big")
        let more = (0..<300).map { entry("zebra paladin late \($0)") }
        _ = try await memoryOpen.store.append(more, to: "big")
        _ = try await sqlite.append(more, to: "big")
        try await compare(memoryOpen.store, sqlite, "after eviction")
        try await sqlite.database.catchUpSearchIndex()
        try await compare(memoryOpen.store, sqlite, "after eviction, indexed")
        let check = try await sqlite.database.write { db -> Bool in
            try db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('integrity-check')")
            return true
        }
        #expect(check)
        #expect(try await sqlite.search(sessionID: "big", query: "paladin", limit: 40).count == 40)
    }

    private func compare(_ memory: any GarrisonStore, _ sqlite: SQLiteGarrisonStore, _ stage: String) async throws {
        for query in ["paladin", "GARRISON zebra", "éclair", "naïve battalion", "ab", "ab zebra", "quick\"quote", "rison bat",
                      "late", "missing"] {
            let expected = try await memory.search(sessionID: "big", query: query, limit: 40)
            let found = try await sqlite.search(sessionID: "big", query: query, limit: 40)
            #expect(found == expected, "query \(query), \(stage)")
        }
    }
}
