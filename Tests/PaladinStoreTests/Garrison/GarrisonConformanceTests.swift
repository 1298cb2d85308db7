import PaladinCore
import PaladinStore
import Testing

/// Behaviour every `GarrisonStore` must show, run against the in-memory store and SQLite.
@Suite("Garrison conformance")
struct GarrisonConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func appendAssignsIncreasingIdsAndCountsTokens(_ kind: StoreKind) async throws {
        let open = try kind.make(tokenCounter: CharacterCounter())
        defer { open.close() }
        let first = try await open.store.append([entry(.system, "rules"), entry(.user, "hi", tokens: 7)], to: "s1")
        let second = try await open.store.append([entry(.assistant, "hello", metadata: ["k": "v"])], to: "s2")
        #expect(first.ids.count == 2 && first.ids[0] < first.ids[1] && first.ids[1] < second.ids[0])
        let history = try await open.store.history(sessionID: "s1", limit: 0)
        #expect(history.map(\.content) == ["rules", "hi"])
        #expect(history.map(\.tokenCount) == [5, 7])
        #expect(history.allSatisfy { $0.sessionID == "s1" && $0.createdAtMicros == 1_000_000 })
        #expect(try await open.store.history(sessionID: "s2", limit: 5).first?.metadata == ["k": "v"])
        #expect(try await open.store.history(sessionID: "nobody", limit: 5).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func historyReturnsNewestInOrder(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        for index in 1...10 { _ = try await open.store.append([entry("m\(index)")], to: "s") }
        #expect(try await open.store.history(sessionID: "s", limit: 3).map(\.content) == ["m8", "m9", "m10"])
        #expect(try await open.store.history(sessionID: "s", limit: 0).count == 10)
    }

    @Test(arguments: StoreKind.allCases)
    func invalidInputIsRefused(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        await #expect(throws: GarrisonError.invalidSessionID("bad id")) {
            try await open.store.append([entry("x")], to: "bad id")
        }
        await #expect(throws: GarrisonError.invalidArgument(field: "entries", reason: "must hold 1 to 1000 entries")) {
            try await open.store.append([], to: "s")
        }
        await #expect(throws: GarrisonError.invalidArgument(field: "entries[1].importance", reason: "must be 0 to 100")) {
            try await open.store.append([entry("a"), entry("b", importance: 101)], to: "s")
        }
        await #expect(throws: GarrisonError.sessionNotFound("none")) { try await open.store.deleteSession("none") }
        await #expect(throws: GarrisonError.invalidArgument(field: "query", reason: "must contain at least one word")) {
            try await open.store.search(sessionID: "s", query: "  ", limit: 5)
        }
        #expect(try await open.store.sessions(limit: 10).isEmpty, "a refused append creates nothing")
    }

    @Test(arguments: StoreKind.allCases)
    func limitsRefuseSessionsAndBytes(_ kind: StoreKind) async throws {
        var limits = GarrisonLimits()
        limits.maxSessions = 2
        limits.maxTotalBytes = 10
        let open = try kind.make(limits: limits)
        defer { open.close() }
        _ = try await open.store.append([entry("12345")], to: "a")
        _ = try await open.store.append([entry("1234")], to: "b")
        await #expect(throws: GarrisonError.capacityExceeded("the garrison holds its maximum of 2 sessions")) {
            try await open.store.append([entry("x")], to: "c")
        }
        await #expect(throws: GarrisonError.capacityExceeded("the garrison holds its maximum of 10 bytes")) {
            try await open.store.append([entry("xx")], to: "a")
        }
        _ = try await open.store.deleteSession("a")
        _ = try await open.store.append([entry("xxxxxx")], to: "c")
    }

    @Test(arguments: StoreKind.allCases)
    func fifoKeepsSystemEntriesAndCapsMessages(_ kind: StoreKind) async throws {
        let open = try kind.make(defaultPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 3))
        defer { open.close() }
        _ = try await open.store.append([entry(.system, "sys")], to: "s")
        var evicted: [Int] = []
        for index in 1...5 { evicted.append(try await open.store.append([entry("m\(index)")], to: "s").evicted) }
        #expect(evicted == [0, 0, 0, 1, 1])
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["sys", "m3", "m4", "m5"])
        let outcome = try await open.store.append([entry("a"), entry("b"), entry("c"), entry("d")], to: "s")
        #expect(outcome.evicted == 4, "an append's own entries can go")
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["sys", "b", "c", "d"])
    }

    @Test(arguments: StoreKind.allCases)
    func slidingWindowHidesThenEvictsInOneBatch(_ kind: StoreKind) async throws {
        let open = try kind.make(tokenCounter: CharacterCounter())
        defer { open.close() }
        try await open.store.setPolicy(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 2), for: "s")
        _ = try await open.store.append([entry(.system, "sys")], to: "s")
        var evicted: [Int] = []
        for index in 1...6 { evicted.append(try await open.store.append([entry("m\(index)")], to: "s").evicted) }
        #expect(evicted == [0, 0, 0, 0, 3, 0])
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["sys", "m5", "m6"])
        #expect(try await open.store.search(sessionID: "s", query: "m", limit: 0).map(\.content) == ["m6", "m5"])
        let summary = try #require(try await open.store.sessions(limit: 1).first)
        #expect(summary.entryCount == 3 && summary.tokenCount == 7)
        // Switching policy drops what the window held out of sight.
        _ = try await open.store.append([entry("m7")], to: "s")
        #expect(try await open.store.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 10), for: "s") == 2)
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["sys", "m6", "m7"])
        #expect(try await open.store.clear(sessionID: "s", keepSystem: true) == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func tokenBudgetDropsOldestUntilUnderBudget(_ kind: StoreKind) async throws {
        let open = try kind.make(tokenCounter: CharacterCounter())
        defer { open.close() }
        try await open.store.setPolicy(GarrisonPolicy(eviction: .tokenBudget, maxEntries: 10, maxTokens: 10), for: "s")
        _ = try await open.store.append([entry(.system, "ss"), entry("aaa"), entry("bbb")], to: "s")
        let outcome = try await open.store.append([entry("cccc")], to: "s")
        #expect(outcome.evicted == 1)
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["ss", "bbb", "cccc"])
        #expect(try await open.store.append([entry("dddddddddddd")], to: "s").evicted == 3, "even its own entry")
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["ss"])
    }

    @Test(arguments: StoreKind.allCases)
    func importanceDropsLeastImportantOutsideRecent(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        try await open.store.setPolicy(GarrisonPolicy(eviction: .importance, maxEntries: 3, preserveRecent: 1), for: "s")
        _ = try await open.store.append([entry("a", importance: 50), entry("b", importance: 10),
                                         entry("c", importance: 90), entry("d", importance: 0)], to: "s")
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["a", "c", "d"])
        _ = try await open.store.append([entry("e", importance: 100)], to: "s")
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["a", "c", "e"])
    }

    @Test(arguments: StoreKind.allCases)
    func searchMatchesEveryWordCaseInsensitively(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        _ = try await open.store.append([entry("The Quick brown fox"), entry("quick thinking"), entry("a brown QUICKSTEP"),
                                         entry("nothing here")], to: "s")
        _ = try await open.store.append([entry("quick brown elsewhere")], to: "t")
        let found = try await open.store.search(sessionID: "s", query: "quick BROWN", limit: 10)
        #expect(found.map(\.content) == ["a brown QUICKSTEP", "The Quick brown fox"])
        #expect(try await open.store.search(sessionID: "s", query: "quick", limit: 1).map(\.content) == ["a brown QUICKSTEP"])
        #expect(try await open.store.search(sessionID: "s", query: "he", limit: 10).map(\.content) == ["nothing here", "The Quick brown fox"])
        #expect(try await open.store.search(sessionID: "s", query: "\"quick\"", limit: 10).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func clearDeleteAndSessionListing(_ kind: StoreKind) async throws {
        let clock = ManualClock()
        let open = try kind.make(clock: clock)
        defer { open.close() }
        _ = try await open.store.append([entry(.system, "sys"), entry("one"), entry("two")], to: "a")
        clock.advance(by: 10)
        _ = try await open.store.append([entry("three")], to: "b")
        clock.advance(by: 10)
        _ = try await open.store.append([entry("four")], to: "c")
        #expect(try await open.store.sessions(limit: 0).map(\.sessionID) == ["c", "b", "a"])
        #expect(try await open.store.sessions(limit: 2).map(\.sessionID) == ["c", "b"])
        clock.advance(by: 10)
        #expect(try await open.store.clear(sessionID: "a", keepSystem: true) == 2)
        #expect(try await open.store.history(sessionID: "a", limit: 0).map(\.content) == ["sys"])
        let a = try #require(try await open.store.sessions(limit: 1).first)
        #expect(a.sessionID == "a" && a.entryCount == 1 && a.createdAtMicros == 1_000_000 && a.lastActivityMicros == 1_000_030)
        #expect(try await open.store.clear(sessionID: "missing", keepSystem: false) == 0)
        #expect(try await open.store.deleteSession("b") == 1)
        #expect(try await open.store.sessions(limit: 0).map(\.sessionID) == ["a", "c"])
    }
}
