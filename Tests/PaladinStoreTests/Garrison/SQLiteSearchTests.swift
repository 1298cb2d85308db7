import PaladinCore
import PaladinStore
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
        for query in ["paladin", "GARRISON zebra", "éclair", "naïve battalion", "ab", "ab zebra", "quick\"quote", "rison bat", "missing"] {
            let expected = try await memoryOpen.store.search(sessionID: "big", query: query, limit: 40)
            let found = try await sqliteOpen.store.search(sessionID: "big", query: query, limit: 40)
            #expect(found == expected, "query \(query)")
        }
        #expect(try await sqliteOpen.store.search(sessionID: "big", query: "paladin", limit: 40).count == 40)
    }
}
