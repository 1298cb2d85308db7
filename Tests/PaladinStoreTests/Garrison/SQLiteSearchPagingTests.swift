import PaladinCore
@testable import PaladinStore
import Testing

/// Search pages over a session larger than the scan limit, so later pages go through the tail
/// scan and the FTS5 index: they must equal the in-memory store's pages.
@Suite("SQLite search paging")
struct SQLiteSearchPagingTests {
    @Test func pagesAgreeWithInMemoryBeforeAndAfterIndexing() async throws {
        let memoryOpen = try StoreKind.memory.make()
        let sqliteOpen = try StoreKind.sqlite.make()
        defer { memoryOpen.close(); sqliteOpen.close() }
        for start in stride(from: 0, to: 2_600, by: 650) {
            let batch = (start..<start + 650).map { entry($0 % 97 == 0 ? "rare word \($0)" : "common word \($0)") }
            _ = try await memoryOpen.store.append(batch, to: "big")
            _ = try await sqliteOpen.store.append(batch, to: "big")
        }
        let sqlite = try #require(sqliteOpen.store as? SQLiteGarrisonStore)
        let expected = try await walk(memoryOpen.store)
        #expect(expected.count == 27 && expected.first == "rare word 2522")
        #expect(try await walk(sqlite) == expected, "index possibly behind")
        try await sqlite.database.catchUpSearchIndex()
        #expect(try await walk(sqlite) == expected, "fully indexed")
    }

    /// Every match of "RARE word", three per page.
    private func walk(_ store: any GarrisonStore) async throws -> [String] {
        var before: UInt64?
        var found: [String] = []
        while true {
            let page = try await store.search(sessionID: "big", query: "RARE word", limit: 3, before: before, maxBytes: .max)
            guard let last = page.last else { return found }
            found += page.map(\.content)
            before = last.id
        }
    }
}
