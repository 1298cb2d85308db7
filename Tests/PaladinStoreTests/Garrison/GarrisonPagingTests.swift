import PaladinCore
import PaladinStore
import Testing

/// Keyset paging of history, search and the session listing, alike in memory and in SQLite.
@Suite("Garrison paging")
struct GarrisonPagingTests {
    @Test(arguments: StoreKind.allCases)
    func historyPagesWalkBackwardWithoutGapsOrRepeats(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        _ = try await open.store.append([entry(.system, "rules")], to: "s")
        for index in 1...20 { _ = try await open.store.append([entry("m\(index)")], to: "s") }
        var before: UInt64?
        var pages: [[String]] = []
        while true {
            let page = try await open.store.history(sessionID: "s", limit: 6, before: before, maxBytes: .max)
            guard let oldest = page.first else { break }
            pages.append(page.map(\.content))
            before = oldest.id
        }
        #expect(pages.first == ["m15", "m16", "m17", "m18", "m19", "m20"])
        #expect(pages.map(\.count) == [6, 6, 6, 3])
        #expect(pages.reversed().flatMap { $0 } == ["rules"] + (1...20).map { "m\($0)" })
    }

    @Test(arguments: StoreKind.allCases)
    func historyStopsAtTheByteBudgetButTakesOneEntry(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        for index in 1...10 { _ = try await open.store.append([entry(String(repeating: "\(index % 10)", count: 100))], to: "s") }
        let bounded = try await open.store.history(sessionID: "s", limit: 0, before: nil, maxBytes: 250)
        #expect(bounded.map { $0.content.prefix(1) } == ["8", "9", "0"])
        let one = try await open.store.history(sessionID: "s", limit: 0, before: nil, maxBytes: 1)
        #expect(one.map { $0.content.prefix(1) } == ["0"])
    }

    @Test(arguments: StoreKind.allCases)
    func searchPagesContinueBelowTheLastMatch(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        for index in 1...30 { _ = try await open.store.append([entry(index % 3 == 0 ? "apple \(index)" : "pear \(index)")], to: "s") }
        var before: UInt64?
        var found: [String] = []
        while true {
            let page = try await open.store.search(sessionID: "s", query: "APPLE", limit: 4, before: before, maxBytes: .max)
            guard let last = page.last else { break }
            found += page.map(\.content)
            before = last.id
        }
        #expect(found == stride(from: 30, through: 3, by: -3).map { "apple \($0)" })
    }

    @Test(arguments: StoreKind.allCases)
    func sessionPagesFollowActivityThenId(_ kind: StoreKind) async throws {
        let clock = ManualClock()
        let open = try kind.make(clock: clock)
        defer { open.close() }
        // Three sessions share each time stamp: ties are broken by id.
        for index in 0..<9 {
            if index % 3 == 0 { clock.advance(by: 10) }
            _ = try await open.store.append([entry("x")], to: "s\(index)")
        }
        var cursor: SessionCursor?
        var seen: [String] = []
        while true {
            let page = try await open.store.sessions(limit: 2, after: cursor)
            guard let last = page.last else { break }
            seen += page.map(\.sessionID)
            cursor = SessionCursor(after: last)
        }
        #expect(seen == ["s6", "s7", "s8", "s3", "s4", "s5", "s0", "s1", "s2"])
        #expect(try await open.store.sessions(limit: 0).map(\.sessionID) == seen)
    }
}
