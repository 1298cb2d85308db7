import PaladinCore
import PaladinStore
import Testing

/// Keyset paging of run listings, alike in memory and in SQLite.
@Suite("Run store paging")
struct RunStorePagingTests {
    @Test(arguments: RunStoreConformanceTests.Kind.allCases)
    func pagesWalkNewestFirstByBeginOrder(_ kind: RunStoreConformanceTests.Kind) async throws {
        let (store, close) = try RunStoreConformanceTests.make(kind)
        defer { close() }
        // Start times repeat and go back: the listing follows the order runs were begun.
        for index in 0..<11 {
            try await store.begin(RunRecord(id: "r\(index)", battalion: index % 2 == 0 ? "even" : "odd", pattern: "formation",
                                            input: "in", startedAtMicros: Int64(100 - index % 3)))
        }
        var before: Int64?
        var seen: [String] = []
        while true {
            let page = try await store.listed(RunFilter(battalion: "even", limit: 2, beforeSequence: before))
            guard let last = page.last else { break }
            #expect(page.map(\.sequence) == page.map(\.sequence).sorted(by: >))
            seen += page.map(\.record.id)
            before = last.sequence
        }
        #expect(seen == ["r10", "r8", "r6", "r4", "r2", "r0"])
        #expect(try await store.list(RunFilter(limit: 100)).count == 11)
    }

    @Test(arguments: RunStoreConformanceTests.Kind.allCases)
    func listingStopsAtTheByteBudgetButTakesOneRun(_ kind: RunStoreConformanceTests.Kind) async throws {
        let (store, close) = try RunStoreConformanceTests.make(kind)
        defer { close() }
        for index in 0..<5 {
            try await store.begin(RunRecord(id: "r\(index)", battalion: "b", pattern: "formation",
                                            input: String(repeating: "x", count: 100), startedAtMicros: 1))
        }
        #expect(try await store.listed(RunFilter(limit: 50, maxBytes: 250)).map(\.record.id) == ["r4", "r3", "r2"])
        #expect(try await store.listed(RunFilter(limit: 50, maxBytes: 1)).map(\.record.id) == ["r4"])
    }
}
