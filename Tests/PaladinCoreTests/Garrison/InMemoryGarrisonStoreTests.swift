import Foundation
@testable import PaladinCore
import Testing

/// The in-memory garrison: ordering, eviction that keeps system entries, limits, search.
@Suite("In-memory garrison")
struct InMemoryGarrisonStoreTests {
    private func entry(_ role: Role, _ content: String, importance: Int = 0) -> GarrisonEntry {
        GarrisonEntry(sessionID: "", role: role, content: content, importance: importance)
    }

    private func store(_ configure: (inout GarrisonLimits) -> Void = { _ in }, clock: GarrisonTestClock = GarrisonTestClock()) -> InMemoryGarrisonStore {
        var limits = GarrisonLimits()
        configure(&limits)
        return InMemoryGarrisonStore(limits: limits, now: { clock.tick() })
    }

    @Test func appendAssignsIncreasingIDsAndHistoryIsOldestFirst() throws {
        let garrison = store()
        let first = try garrison.append([entry(.user, "one"), entry(.assistant, "two")], to: "s")
        let second = try garrison.append([entry(.user, "three")], to: "s")
        #expect(first.ids == [1, 2])
        #expect(second.ids == [3])
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["one", "two", "three"])
        #expect(try garrison.history(sessionID: "s", limit: 2).map(\.content) == ["two", "three"])
        #expect(try garrison.history(sessionID: "unknown", limit: 0).isEmpty)
    }

    @Test func tokenCountsAreEstimatedUnlessGiven() throws {
        let garrison = store()
        var given = entry(.user, "counted by the provider")
        given.tokenCount = 42
        _ = try garrison.append([entry(.user, "abcdefgh"), given], to: "s")
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.tokenCount) == [2, 42])
    }

    /// The system entry is kept and counts toward `maxEntriesPerSession`: three entries in all.
    @Test func evictionDropsOldestNonSystemEntriesAndKeepsSystem() throws {
        let garrison = store { $0.maxEntriesPerSession = 3 }
        _ = try garrison.append([entry(.system, "rules")], to: "s")
        for index in 1...5 { _ = try garrison.append([entry(.user, "m\(index)")], to: "s") }
        let outcome = try garrison.append([entry(.user, "m6")], to: "s")
        #expect(outcome.evicted == 1)
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["rules", "m5", "m6"])
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == [ "rules", "m5", "m6"].map(TokenEstimator.estimate).reduce(0, +))
    }

    @Test func invalidSessionIDsAreRefused() throws {
        let garrison = store()
        for bad in ["", "has space", String(repeating: "a", count: 129), "semi;colon", "ünicode"] {
            #expect(throws: GarrisonError.invalidSessionID(bad)) { try garrison.append([entry(.user, "x")], to: bad) }
        }
        _ = try garrison.append([entry(.user, "x")], to: "a.b_c:d-E9")
    }

    /// Whatever else is wrong with an append, a bad id is what is reported.
    @Test func aBadIDIsRefusedFirstWhateverTheSessionUsedLast() throws {
        let garrison = store { $0.maxTotalBytes = 4 }
        _ = try garrison.append([entry(.user, "good")], to: "s")
        #expect(throws: GarrisonError.invalidSessionID("s ")) { try garrison.append([entry(.user, "x")], to: "s ") }
        #expect(throws: GarrisonError.invalidSessionID("s ")) {
            try garrison.append([entry(.user, "x", importance: 101)], to: "s ")  // bad entries too
        }
        #expect(throws: GarrisonError.invalidSessionID("t?")) { try garrison.append([], to: "t?") }
        // The store is full: the bad id is still what is reported.
        #expect(throws: GarrisonError.invalidSessionID("s/")) { try garrison.append([entry(.user, "more")], to: "s/") }
        #expect(throws: GarrisonError.self) { try garrison.append([entry(.user, "more")], to: "s") }
        #expect(try garrison.sessions(limit: 0).map(\.sessionID) == ["s"])
    }

    /// A one-entry append refuses what a batch refuses, with the same error, in the same order.
    @Test func aOneEntryAppendIsCheckedLikeABatch() throws {
        let garrison = store { $0.maxTotalBytes = 8; $0.maxSessions = 1 }
        _ = try garrison.append([entry(.user, "ok")], to: "s")
        var tooManyTokens = entry(.user, "x")
        tooManyTokens.tokenCount = GarrisonEntry.maxTokenCount + 1
        let cases: [(GarrisonEntry, String)] = [
            (entry(.user, "x", importance: -1), "s"), (entry(.user, "x", importance: 101), "s"),
            (tooManyTokens, "s"), (entry(.user, "x", importance: 101), "bad id"),
            (entry(.user, "too many bytes"), "s"), (entry(.user, "x"), "another"),
        ]
        for (bad, session) in cases {
            var alone: GarrisonError?, batched: GarrisonError?
            do { _ = try garrison.append([bad], to: session) } catch { alone = error as? GarrisonError }
            do { _ = try garrison.append([bad, entry(.user, "y")], to: session) } catch { batched = error as? GarrisonError }
            #expect(alone != nil && alone == batched, "\(bad) to \(session)")
        }
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["ok"])
        #expect(garrison.auditTotals().isEmpty)
        // Limits that allow no entry at all refuse a one-entry append too.
        let closed = store { $0.maxEntriesPerAppend = 0 }
        #expect(throws: GarrisonError.invalidArgument(field: "entries", reason: "must hold 1 to 0 entries")) {
            try closed.append([entry(.user, "x")], to: "s")
        }
    }

    @Test func appendsAreAllOrNothing() throws {
        let garrison = store { $0.maxTotalBytes = 10 }
        _ = try garrison.append([entry(.user, "12345")], to: "s")
        #expect(throws: GarrisonError.self) { try garrison.append([entry(.user, "123"), entry(.user, "456")], to: "s") }
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["12345"])
        #expect(throws: GarrisonError.invalidArgument(field: "entries[0].importance", reason: "must be 0 to 100")) {
            try garrison.append([entry(.user, "x", importance: 101)], to: "s")
        }
    }

    @Test func sessionCapRefusesNewSessionsButNotExistingOnes() throws {
        let garrison = store { $0.maxSessions = 2 }
        _ = try garrison.append([entry(.user, "a")], to: "s1")
        _ = try garrison.append([entry(.user, "b")], to: "s2")
        #expect(throws: GarrisonError.self) { try garrison.append([entry(.user, "c")], to: "s3") }
        _ = try garrison.append([entry(.user, "d")], to: "s1")
    }

    @Test func byteBudgetIsReturnedByClearAndDelete() throws {
        let garrison = store { $0.maxTotalBytes = 10 }
        _ = try garrison.append([entry(.user, "0123456789")], to: "s")
        #expect(throws: GarrisonError.self) { try garrison.append([entry(.user, "x")], to: "t") }
        #expect(try garrison.clear(sessionID: "s", keepSystem: false) == 1)
        _ = try garrison.append([entry(.user, "0123456789")], to: "t")
        #expect(try garrison.deleteSession("t") == 1)
        _ = try garrison.append([entry(.user, "0123456789")], to: "u")
    }

    @Test func searchMatchesEveryWordCaseInsensitivelyNewestFirst() throws {
        let garrison = store()
        _ = try garrison.append([entry(.user, "The Quick brown fox"), entry(.user, "a slow brown dog"), entry(.user, "quick BROWN cat")], to: "s")
        _ = try garrison.append([entry(.user, "quick brown elsewhere")], to: "other")
        #expect(try garrison.search(sessionID: "s", query: "brown QUICK", limit: 0).map(\.content) == ["quick BROWN cat", "The Quick brown fox"])
        #expect(try garrison.search(sessionID: "s", query: "brown", limit: 2).count == 2)
        #expect(throws: GarrisonError.self) { try garrison.search(sessionID: "s", query: "   ", limit: 0) }
    }

    @Test func clearCanKeepSystemEntries() throws {
        let garrison = store()
        _ = try garrison.append([entry(.system, "rules"), entry(.user, "hi"), entry(.assistant, "hello")], to: "s")
        #expect(try garrison.clear(sessionID: "s", keepSystem: true) == 2)
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.role) == [.system])
        #expect(try garrison.clear(sessionID: "s", keepSystem: false) == 1)
        #expect(try garrison.clear(sessionID: "missing", keepSystem: false) == 0)
    }

    @Test func sessionsAreListedMostRecentlyActiveFirst() throws {
        let garrison = store()
        _ = try garrison.append([entry(.user, "a")], to: "old")
        _ = try garrison.append([entry(.user, "b")], to: "new")
        _ = try garrison.append([entry(.user, "c"), entry(.user, "d")], to: "old")
        let sessions = try garrison.sessions(limit: 0)
        #expect(sessions.map(\.sessionID) == ["old", "new"])
        #expect(sessions.map(\.entryCount) == [3, 1])
        #expect(sessions[0].createdAtMicros < sessions[0].lastActivityMicros)
        #expect(try garrison.sessions(limit: 1).count == 1)
    }

    @Test func deletingAMissingSessionIsNotFound() throws {
        #expect(throws: GarrisonError.sessionNotFound("nope")) { try store().deleteSession("nope") }
    }

    @Test func concurrentAppendsLoseNothing() async throws {
        let garrison = store()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<200 { _ = try garrison.append([entry(.user, "\(worker)-\(index)")], to: "s\(worker % 2)") }
                }
            }
            try await group.waitForAll()
        }
        let total = try garrison.history(sessionID: "s0", limit: 0).count + garrison.history(sessionID: "s1", limit: 0).count
        #expect(total == 1600)
        let ids = try garrison.history(sessionID: "s0", limit: 0).map(\.id)
        #expect(ids == ids.sorted())
    }

    @Test func theDefaultClockStampsEntriesWithTheWallClockInMicroseconds() throws {
        let garrison = InMemoryGarrisonStore()
        let before = Int64(Date().timeIntervalSince1970 * 1_000_000)
        _ = try garrison.append([entry(.user, "now")], to: "s")
        let after = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let stamp = try #require(garrison.history(sessionID: "s", limit: 1).first).createdAtMicros
        // Date and clock_gettime read the same clock; a millisecond allows for rounding.
        #expect(stamp >= before - 1_000 && stamp <= after + 1_000)
    }
}

/// A manual clock: each reading is one microsecond after the last.
final class GarrisonTestClock: Sendable {
    private let value = Mutex<Int64>(1_000_000)
    func tick() -> Int64 { value.withLock { $0 += 1; return $0 } }
}

import Synchronization
