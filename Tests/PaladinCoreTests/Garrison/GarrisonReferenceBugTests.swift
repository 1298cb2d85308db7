@testable import PaladinCore
import Testing

/// One test per garrison defect of the reference implementation (paladin-ai 0.5.1, inventory §3),
/// each named after the behaviour we guarantee instead.
@Suite("Garrison: reference bugs that must not recur")
struct GarrisonReferenceBugTests {
    private func store(_ policy: GarrisonPolicy) -> InMemoryGarrisonStore {
        let clock = GarrisonTestClock()
        return InMemoryGarrisonStore(defaultPolicy: policy, now: { clock.tick() })
    }

    private func append(_ garrison: InMemoryGarrisonStore, _ count: Int, from start: Int = 1, session: String = "s") throws -> [Int] {
        try (start..<(start + count)).map { try garrison.append([garrisonEntry(.user, "m\($0)")], to: session).evicted }
    }

    /// Reference: "FIFO and SlidingWindow are identical: pop the oldest entry."
    @Test("FIFO and SlidingWindow differ")
    func fifoAndSlidingWindowDiffer() throws {
        let fifo = store(GarrisonPolicy(eviction: .fifo, maxEntries: 5))
        let window = store(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 5))
        let fifoEvictions = try append(fifo, 11)
        let windowEvictions = try append(window, 11)
        // FIFO evicts one per append at the cap; the window evicts in one batch at twice the window.
        #expect(fifoEvictions == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        #expect(windowEvictions == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6])
        // Between batches the window holds more than it shows, and shows only the window.
        _ = try append(fifo, 3, from: 12)
        _ = try append(window, 3, from: 12)
        #expect(window.totalBytes > fifo.totalBytes)
        #expect(try window.history(sessionID: "s", limit: 0).map(\.content) == fifo.history(sessionID: "s", limit: 0).map(\.content))
        #expect(try window.history(sessionID: "s", limit: 0).count == 5)
        // And the pure functions differ the same way.
        var fifoEntries = numberedGarrisonEntries(8), windowEntries = numberedGarrisonEntries(8)
        #expect(GarrisonEviction.evict(entries: &fifoEntries, policy: GarrisonPolicy(eviction: .fifo, maxEntries: 5)).count == 3)
        #expect(GarrisonEviction.evict(entries: &windowEntries, policy: GarrisonPolicy(eviction: .slidingWindow, maxEntries: 5)).isEmpty)
    }

    /// Reference: tokens are never counted automatically, so `max_tokens` never fires.
    @Test("token budget fires with automatically counted tokens")
    func tokenBudgetFiresWithAutomaticallyCountedTokens() throws {
        let garrison = store(GarrisonPolicy(eviction: .tokenBudget, maxEntries: 100, maxTokens: 100))
        let hundredChars = String(repeating: "x", count: 100)  // 25 tokens by the estimator
        var evicted: [Int] = []
        for _ in 1...6 { evicted.append(try garrison.append([garrisonEntry(.user, hundredChars)], to: "s").evicted) }
        #expect(evicted == [0, 0, 0, 0, 1, 1])
        let history = try garrison.history(sessionID: "s", limit: 0)
        #expect(history.map(\.tokenCount) == [25, 25, 25, 25])
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == 100)
    }

    /// Reference: "the sum of set token_counts" — entries without a count weigh nothing.
    @Test("an entry without a provider count still weighs its estimate")
    func entriesWithoutProviderCountsStillWeigh() throws {
        let garrison = store(GarrisonPolicy(eviction: .importance, maxEntries: 100, maxTokens: 10, preserveRecent: 0))
        _ = try garrison.append([garrisonEntry(.user, "counted", tokens: 6), garrisonEntry(.user, String(repeating: "y", count: 40))], to: "s")
        // 6 + 10 estimated > 10: the oldest least important entry goes.
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.tokenCount) == [10])
    }

    /// Reference (SQLite): past max_entries it deletes all but min(max_entries, preserve_recent)
    /// rows, so with the defaults the 101st insert collapses the store to 10 rows.
    @Test("SQLite-style collapse to 10 rows does not happen: the 101st insert evicts exactly one")
    func noCollapseOnThe101stInsert() throws {
        for kind in [EvictionPolicy.fifo, .tokenBudget, .importance] {
            let garrison = store(GarrisonPolicy(eviction: kind))  // defaults: 100 entries, 10 recent
            _ = try garrison.append([garrisonEntry(.system, "rules")], to: "s")
            let evicted = try append(garrison, 101)
            #expect(evicted.prefix(100).allSatisfy { $0 == 0 })
            #expect(evicted.last == 1, "\(kind)")
            let history = try garrison.history(sessionID: "s", limit: 0)
            #expect(history.count == 101, "\(kind)")
            #expect(history.first?.content == "rules")
            #expect(history.last?.content == "m101")
        }
        // The sliding window shows exactly the newest 100 and evicts nothing yet.
        let window = store(GarrisonPolicy(eviction: .slidingWindow))
        #expect(try append(window, 101).allSatisfy { $0 == 0 })
        #expect(try window.history(sessionID: "s", limit: 0).map(\.content) == (2...101).map { "m\($0)" })
    }

    /// Reference: ImportanceBased evicts the *first* non-System entry outside the recent window,
    /// whatever its importance.
    @Test("importance eviction drops the least important entry, not the first one")
    func importanceDropsTheLeastImportant() throws {
        let garrison = store(GarrisonPolicy(eviction: .importance, maxEntries: 3, preserveRecent: 1))
        for (content, importance) in [("vital", 100), ("chatter", 1), ("useful", 60), ("latest", 0)] {
            _ = try garrison.append([garrisonEntry(.user, content, importance: importance)], to: "s")
        }
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["vital", "useful", "latest"])
    }

    /// Reference: ImportanceBased's last resort is "the oldest entry", system or not; FIFO and the
    /// count `len > max_entries` include system entries, so FIFO pops the system prompt.
    @Test("system entries are never evicted and do not count toward maxEntries")
    func systemEntriesAreNeverEvicted() throws {
        for kind in EvictionPolicy.allCases {
            let garrison = store(GarrisonPolicy(eviction: kind, maxEntries: 2, maxTokens: 1, preserveRecent: 5))
            _ = try garrison.append([garrisonEntry(.system, "rules one"), garrisonEntry(.system, "rules two")], to: "s")
            _ = try append(garrison, 20)
            let history = try garrison.history(sessionID: "s", limit: 0)
            #expect(history.prefix(2).map(\.content) == ["rules one", "rules two"], "\(kind)")
            let others = history.count { $0.role != .system }
            // The budget of 1 token is below the system prompt alone: budgeted policies keep only system entries.
            #expect(others == (kind == .tokenBudget || kind == .importance ? 0 : 2), "\(kind)")
        }
    }

    /// Reference: code defaults (max_tokens 4000, ImportanceBased) contradict the docs (None, "Oldest").
    @Test("policy defaults are the documented ones")
    func policyDefaultsAreTheDocumentedOnes() {
        let policy = GarrisonPolicy()
        #expect(policy.eviction == .fifo)
        #expect(policy.maxEntries == 100)
        #expect(policy.maxTokens == nil)
        #expect(policy.preserveRecent == 10)
        var limits = GarrisonLimits()
        limits.maxEntriesPerSession = 77
        #expect(InMemoryGarrisonStore(limits: limits).defaultPolicy == GarrisonPolicy(eviction: .fifo, maxEntries: 77))
    }

    /// Reference: `preserve_recent_count` must be ≤ `max_entries` or the config is rejected.
    @Test("preserveRecent larger than maxEntries is valid and eviction still happens")
    func preserveRecentLargerThanMaxEntries() throws {
        let garrison = store(GarrisonPolicy(eviction: .importance, maxEntries: 3, preserveRecent: 50))
        #expect(try append(garrison, 5) == [0, 0, 0, 1, 1])
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.content) == ["m3", "m4", "m5"])
    }

    /// Reference (in memory): search is a case-sensitive substring match, oldest first.
    @Test("search is case-insensitive and newest first")
    func searchIsCaseInsensitiveNewestFirst() throws {
        let garrison = store(GarrisonPolicy())
        _ = try garrison.append([garrisonEntry(.user, "Deploy the API"), garrisonEntry(.assistant, "deploy DONE"), garrisonEntry(.user, "unrelated")], to: "s")
        #expect(try garrison.search(sessionID: "s", query: "DEPLOY", limit: 0).map(\.content) == ["deploy DONE", "Deploy the API"])
    }

    /// Reference: no sessions (SQLite scopes by paladin id only, `with_session_id` does not exist).
    @Test("sessions are separate: one session's eviction never touches another")
    func sessionsAreSeparate() throws {
        let garrison = store(GarrisonPolicy(eviction: .fifo, maxEntries: 2))
        _ = try append(garrison, 2, session: "a")
        _ = try append(garrison, 10, session: "b")
        #expect(try garrison.history(sessionID: "a", limit: 0).map(\.content) == ["m1", "m2"])
        #expect(try garrison.history(sessionID: "b", limit: 0).map(\.content) == ["m9", "m10"])
    }
}
