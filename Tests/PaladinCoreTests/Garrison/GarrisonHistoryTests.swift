@testable import PaladinCore
import Synchronization
import Testing

/// `history` results: a history taken before a write keeps showing what it showed, is a
/// zero-based random-access collection, and merges system entries in by id.
@Suite("Garrison history")
struct GarrisonHistoryTests {
    private func entry(_ role: Role, _ content: String) -> GarrisonEntry {
        GarrisonEntry(sessionID: "", role: role, content: content)
    }

    @Test func aViewKeepsItsEntriesWhileTheSessionChanges() throws {
        let garrison = InMemoryGarrisonStore(defaultPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 3))
        for index in 1...3 { _ = try garrison.append([entry(.user, "m\(index)")], to: "s") }
        let before = try garrison.history(sessionID: "s", limit: 2)
        for index in 4...9 { _ = try garrison.append([entry(.user, "m\(index)")], to: "s") }  // evicts m1...m6
        _ = try garrison.clear(sessionID: "s", keepSystem: false)
        #expect(before.map(\.content) == ["m2", "m3"])
        #expect(before.map(\.sessionID) == ["s", "s"])
        #expect(before.map(\.id) == [2, 3])
        #expect(try garrison.history(sessionID: "s", limit: 0).isEmpty)
    }

    @Test func viewsAreZeroBasedRandomAccessAndCompareByEntries() throws {
        let garrison = InMemoryGarrisonStore()
        for index in 1...10 { _ = try garrison.append([entry(index.isMultiple(of: 2) ? .assistant : .user, "m\(index)")], to: "s") }
        let view = try garrison.history(sessionID: "s", limit: 4)
        #expect(view.startIndex == 0 && view.count == 4)
        #expect(view[0].content == "m7" && view[3].content == "m10")
        #expect(view.reversed().map(\.content) == ["m10", "m9", "m8", "m7"])
        #expect(view == GarrisonHistory(Array(view)))
        #expect(view != GarrisonHistory(Array(view.dropFirst())))
        #expect(view.description == Array(view).description)
    }

    @Test func systemEntriesAmongTheNewestAreMergedInIDOrder() throws {
        let garrison = InMemoryGarrisonStore()
        _ = try garrison.append([entry(.user, "a"), entry(.system, "rules"), entry(.user, "b")], to: "s")
        _ = try garrison.append([entry(.assistant, "c"), entry(.system, "more rules")], to: "s")
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["a", "rules", "b", "c", "more rules"])
        #expect(try garrison.history(sessionID: "s", limit: 3).map(\.content) == ["b", "c", "more rules"])
        #expect(try garrison.history(sessionID: "s", limit: 4).map(\.content) == ["rules", "b", "c", "more rules"])
    }

    @Test func anUnknownSessionIsEmptyAndABadIDIsStillRefused() throws {
        let garrison = InMemoryGarrisonStore()
        #expect(try garrison.history(sessionID: "nobody", limit: 5).isEmpty)
        #expect(throws: GarrisonError.invalidSessionID("no body")) { try garrison.history(sessionID: "no body", limit: 5) }
    }

    @Test func sessionIDsAllowExactlyTheirCharacterSet() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-".utf8)
        for byte in UInt8(1)...UInt8(127) {
            let id = "a" + String(decoding: [byte], as: UTF8.self)
            let valid = (try? SessionID.validate(id)) != nil
            #expect(valid == allowed.contains(byte), "byte \(byte)")
        }
        #expect((try? SessionID.validate("é")) == nil)
        #expect((try? SessionID.validate(String(repeating: "a", count: SessionID.maxLength))) != nil)
        #expect((try? SessionID.validate(String(repeating: "a", count: SessionID.maxLength + 1))) == nil)
    }
}

/// Token counts are counted once, on append, whatever the policy: the counts readers see are the
/// counter's, and reading never calls it again.
@Suite("Garrison token counting")
struct GarrisonTokenCountingTests {
    /// Counts with the estimator and remembers how many times it was asked.
    final class CountingCounter: TokenCounter {
        let calls = Atomic<Int>(0)
        func count(_ text: String) -> Int {
            calls.add(1, ordering: .relaxed)
            return TokenEstimator.estimate(text)
        }
    }

    private func entry(_ role: Role, _ content: String) -> GarrisonEntry {
        GarrisonEntry(sessionID: "", role: role, content: content)
    }

    @Test func appendsCountOnceAndReadsSeeTheEstimate() throws {
        let counter = CountingCounter()
        let garrison = InMemoryGarrisonStore(tokenCounter: counter)
        _ = try garrison.append([entry(.user, "one two three"), entry(.system, "be brief")], to: "s")
        #expect(counter.calls.load(ordering: .relaxed) == 2)
        let expected = ["one two three", "be brief"].map(TokenEstimator.estimate)
        #expect(expected == [4, 2])
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.tokenCount) == expected)
        #expect(try garrison.search(sessionID: "s", query: "two", limit: 0).map(\.tokenCount) == [expected[0]])
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == 6)
        #expect(counter.calls.load(ordering: .relaxed) == 2, "reads do not count")
        #expect(garrison.auditTotals().isEmpty)
    }

    @Test func switchingToATokenBudgetEvictsByTheCountsMadeOnAppend() throws {
        let counter = CountingCounter()
        let garrison = InMemoryGarrisonStore(tokenCounter: counter)
        for word in ["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd"] { _ = try garrison.append([entry(.user, word)], to: "s") }
        #expect(counter.calls.load(ordering: .relaxed) == 4)
        #expect(TokenEstimator.estimate("aaaaaaaa") == 2)  // so a budget of 5 keeps two
        let evicted = try garrison.setPolicy(GarrisonPolicy(eviction: .tokenBudget, maxEntries: 100, maxTokens: 5), for: "s")
        #expect(evicted == 2)
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["cccccccc", "dddddddd"])
        #expect(counter.calls.load(ordering: .relaxed) == 4, "setPolicy does not count")
        _ = try garrison.append([entry(.user, "eeeeeeee")], to: "s")
        #expect(counter.calls.load(ordering: .relaxed) == 5, "counted on append")
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["dddddddd", "eeeeeeee"])
        #expect(garrison.auditTotals().isEmpty)
    }

    @Test func providerCountsAreNotRecounted() throws {
        let counter = CountingCounter()
        let garrison = InMemoryGarrisonStore(defaultPolicy: GarrisonPolicy(eviction: .importance, maxEntries: 10, maxTokens: 100),
                                             tokenCounter: counter)
        _ = try garrison.append([entry(.user, "a b c"), entry(.assistant, "d"),
                                 GarrisonEntry(sessionID: "", role: .user, content: "given", tokenCount: 9)], to: "s")
        #expect(counter.calls.load(ordering: .relaxed) == 2)
        #expect(garrison.auditTotals().isEmpty)
    }

    @Test func slidingWindowsKeepTheirHiddenTotals() throws {
        let garrison = InMemoryGarrisonStore(defaultPolicy: GarrisonPolicy(eviction: .slidingWindow, maxEntries: 2))
        for index in 1...5 { _ = try garrison.append([entry(.user, "word\(index) more")], to: "s") }
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["word4 more", "word5 more"])
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == 6)
        #expect(garrison.auditTotals().isEmpty)
        _ = try garrison.append([entry(.user, "x")], to: "s")
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == 3 + 1)
        #expect(garrison.auditTotals().isEmpty)
    }
}
