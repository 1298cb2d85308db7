@testable import PaladinCore
import Testing

/// `InMemoryGarrisonStore` with per-session policies: defaults, `setPolicy`, each policy through
/// the store, token counting, exact totals, agreement with `GarrisonEviction`, concurrency.
@Suite("In-memory garrison policies")
struct GarrisonPolicyStoreTests {
    private func store(maxEntries: Int = 10_000, maxTotalBytes: Int = 1 << 30, defaultPolicy: GarrisonPolicy? = nil,
                       tokenCounter: any TokenCounter = EstimatingTokenCounter()) -> InMemoryGarrisonStore {
        var limits = GarrisonLimits()
        limits.maxEntriesPerSession = maxEntries
        limits.maxTotalBytes = maxTotalBytes
        let clock = GarrisonTestClock()
        return InMemoryGarrisonStore(limits: limits, defaultPolicy: defaultPolicy, tokenCounter: tokenCounter, now: { clock.tick() })
    }

    private func contents(_ garrison: InMemoryGarrisonStore, _ session: String = "s", limit: Int = 0) throws -> [String] {
        try garrison.history(sessionID: session, limit: limit).map(\.content)
    }

    // MARK: Defaults and setPolicy

    @Test func theDefaultPolicyIsFIFOAtTheLimitsCap() throws {
        let garrison = store(maxEntries: 3)
        #expect(garrison.defaultPolicy == GarrisonPolicy(eviction: .fifo, maxEntries: 3))
        #expect(try garrison.policy(for: "anything") == garrison.defaultPolicy)
        for index in 1...4 { _ = try garrison.append([garrisonEntry(.user, "m\(index)")], to: "s") }
        #expect(try contents(garrison) == ["m2", "m3", "m4"])
    }

    @Test func aGivenDefaultPolicyAppliesToEverySession() throws {
        let garrison = store(defaultPolicy: GarrisonPolicy(eviction: .tokenBudget, maxEntries: 50, maxTokens: 4))
        _ = try garrison.append([garrisonEntry(.user, "one two three"), garrisonEntry(.user, "four five")], to: "a")
        #expect(try contents(garrison, "a") == ["four five"])
        #expect(try garrison.policy(for: "b").eviction == .tokenBudget)
    }

    @Test func policiesArePerSession() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 2), for: "short")
        for index in 1...5 {
            _ = try garrison.append([garrisonEntry(.user, "m\(index)")], to: "short")
            _ = try garrison.append([garrisonEntry(.user, "m\(index)")], to: "long")
        }
        #expect(try contents(garrison, "short") == ["m4", "m5"])
        #expect(try contents(garrison, "long").count == 5)
        #expect(try garrison.policy(for: "short").maxEntries == 2)
        #expect(try garrison.policy(for: "long") == garrison.defaultPolicy)
    }

    @Test func setPolicyAppliesAtOnceAndReportsWhatItEvicted() throws {
        let garrison = store()
        _ = try garrison.append((1...6).map { garrisonEntry(.user, "m\($0)") } + [garrisonEntry(.system, "rules")], to: "s")
        #expect(try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 2), for: "s") == 4)
        #expect(try contents(garrison) == ["m5", "m6", "rules"])
        #expect(garrison.auditTotals().isEmpty)
        #expect(garrison.totalBytes == 2 * 2 + 5)
    }

    @Test func setPolicyCreatesAnEmptySessionWithinTheSessionCap() throws {
        var limits = GarrisonLimits()
        limits.maxSessions = 1
        let garrison = InMemoryGarrisonStore(limits: limits)
        #expect(try garrison.setPolicy(GarrisonPolicy(maxEntries: 1), for: "first") == 0)
        #expect(try garrison.sessions(limit: 0).map(\.sessionID) == ["first"])
        #expect(try garrison.sessions(limit: 0).first?.entryCount == 0)
        #expect(throws: GarrisonError.self) { try garrison.setPolicy(GarrisonPolicy(), for: "second") }
        _ = try garrison.append([garrisonEntry(.user, "a"), garrisonEntry(.user, "b")], to: "first")
        #expect(try contents(garrison, "first") == ["b"])
        // Clearing keeps the policy; deleting forgets it.
        _ = try garrison.clear(sessionID: "first", keepSystem: false)
        #expect(try garrison.policy(for: "first").maxEntries == 1)
        _ = try garrison.deleteSession("first")
        #expect(try garrison.policy(for: "first") == garrison.defaultPolicy)
    }

    @Test func setPolicyRefusesNegativeValuesAndBadSessionIDs() throws {
        let garrison = store()
        #expect(throws: GarrisonError.invalidArgument(field: "policy.maxEntries", reason: "must be 0 or more")) {
            try garrison.setPolicy(GarrisonPolicy(maxEntries: -1), for: "s")
        }
        #expect(throws: GarrisonError.invalidArgument(field: "policy.maxTokens", reason: "must be 0 or more")) {
            try garrison.setPolicy(GarrisonPolicy(maxTokens: -3), for: "s")
        }
        #expect(throws: GarrisonError.invalidArgument(field: "policy.preserveRecent", reason: "must be 0 or more")) {
            try garrison.setPolicy(GarrisonPolicy(preserveRecent: -1), for: "s")
        }
        #expect(throws: GarrisonError.invalidSessionID("bad id")) { try garrison.setPolicy(GarrisonPolicy(), for: "bad id") }
        #expect(throws: GarrisonError.invalidSessionID("")) { try garrison.policy(for: "") }
        #expect(try garrison.sessions(limit: 0).isEmpty)
    }

    // MARK: Each policy through the store

    @Test func fifoEvictsOnePerAppendAtTheCapAndKeepsSystem() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 3), for: "s")
        _ = try garrison.append([garrisonEntry(.system, "rules")], to: "s")
        var evicted: [Int] = []
        for index in 1...6 { evicted.append(try garrison.append([garrisonEntry(.user, "m\(index)")], to: "s").evicted) }
        #expect(evicted == [0, 0, 0, 1, 1, 1])
        #expect(try contents(garrison) == ["rules", "m4", "m5", "m6"])
        // A batch larger than the cap evicts its own oldest entries.
        let outcome = try garrison.append((7...11).map { garrisonEntry(.user, "m\($0)") }, to: "s")
        #expect(outcome.ids.count == 5 && outcome.evicted == 5)
        #expect(try contents(garrison) == ["rules", "m9", "m10", "m11"])
    }

    @Test func slidingWindowShowsOnlyTheWindowAndEvictsInBatches() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 3), for: "s")
        _ = try garrison.append([garrisonEntry(.system, "rules")], to: "s")
        var evicted: [Int] = []
        for index in 1...14 {
            evicted.append(try garrison.append([garrisonEntry(.user, "m\(index)")], to: "s").evicted)
            // Reads never see more than the window, whatever is held.
            #expect(try garrison.history(sessionID: "s", limit: 0).count { $0.role != .system } == min(index, 3))
        }
        // Nothing goes until 7 (> 2 × 3) are held, then 4 go at once, back to the window of 3.
        #expect(evicted == [0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0])
        #expect(try contents(garrison) == ["rules", "m12", "m13", "m14"])
        #expect(try contents(garrison, limit: 2) == ["m13", "m14"])
        // m9 to m14 are held (m9 to m11 out of the window): bytes count them, reads do not.
        #expect(garrison.totalBytes == "rules".utf8.count + 2 + 5 * 3)
        let summary = try #require(try garrison.sessions(limit: 0).first)
        #expect(summary.entryCount == 4)
        #expect(summary.tokenCount == 2 + 3)
        #expect(try garrison.search(sessionID: "s", query: "m11", limit: 0).isEmpty)
        #expect(try garrison.search(sessionID: "s", query: "m1", limit: 0).map(\.content) == ["m14", "m13", "m12"])
        #expect(garrison.auditTotals().isEmpty)
        // clear and delete count what was visible.
        #expect(try garrison.clear(sessionID: "s", keepSystem: true) == 3)
        #expect(garrison.totalBytes == 5)
        for index in 15...20 { _ = try garrison.append([garrisonEntry(.user, "m\(index)")], to: "s") }
        #expect(try garrison.deleteSession("s") == 4)
        #expect(garrison.totalBytes == 0)
    }

    @Test func leavingASlidingWindowDropsWhatItHid() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 2), for: "s")
        for index in 1...4 { _ = try garrison.append([garrisonEntry(.user, "m\(index)")], to: "s") }
        #expect(try contents(garrison) == ["m3", "m4"])
        // A wider window must not bring back m1 and m2.
        #expect(try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 10), for: "s") == 2)
        #expect(try contents(garrison) == ["m3", "m4"])
        #expect(garrison.totalBytes == 4)
        #expect(garrison.auditTotals().isEmpty)
    }

    @Test func tokenBudgetUsesProviderCountsWhenGiven() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .tokenBudget, maxEntries: 100, maxTokens: 1_000), for: "s")
        _ = try garrison.append([garrisonEntry(.system, "rules", tokens: 200)], to: "s")
        _ = try garrison.append([garrisonEntry(.user, "question", tokens: 300), garrisonEntry(.assistant, "answer", tokens: 400)], to: "s")
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == 900)
        // The provider says 250: over budget by 150, so the oldest non-system entry (300) goes.
        let outcome = try garrison.append([garrisonEntry(.user, "follow-up", tokens: 250)], to: "s")
        #expect(outcome.evicted == 1)
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.tokenCount) == [200, 400, 250])
        #expect(try garrison.sessions(limit: 0).first?.tokenCount == 850)
    }

    @Test func importanceThroughTheStoreHonoursTheRecentWindow() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .importance, maxEntries: 4, preserveRecent: 2), for: "s")
        _ = try garrison.append([garrisonEntry(.system, "rules")], to: "s")
        for (content, importance) in [("keep", 90), ("drop", 5), ("mid", 50), ("recent1", 0)] {
            _ = try garrison.append([garrisonEntry(.user, content, importance: importance)], to: "s")
        }
        #expect(try garrison.append([garrisonEntry(.user, "recent2", importance: 0)], to: "s").evicted == 1)
        #expect(try contents(garrison) == ["rules", "keep", "mid", "recent1", "recent2"])
        // recent1 is now outside the window of 2 and the least important candidate.
        _ = try garrison.append([garrisonEntry(.user, "recent3", importance: 0)], to: "s")
        #expect(try contents(garrison) == ["rules", "keep", "mid", "recent2", "recent3"])
        #expect(garrison.auditTotals().isEmpty)
    }

    // MARK: Token counting

    @Test func theInjectedCounterCountsAndProviderCountsWin() throws {
        let garrison = store(tokenCounter: GarrisonCharacterCounter())
        _ = try garrison.append([garrisonEntry(.user, "abcdefgh"), garrisonEntry(.user, "given", tokens: 42),
                                 garrisonEntry(.user, "negative", tokens: -1)], to: "s")
        #expect(try garrison.history(sessionID: "s", limit: 0).map(\.tokenCount) == [8, 42, 8])
    }

    @Test func theDefaultCounterIsTheEstimator() {
        for text in ["", "abcde", "a b c d e f", "⚔⚔⚔⚔", String(repeating: "x", count: 100)] {
            #expect(EstimatingTokenCounter().count(text) == TokenEstimator.estimate(text))
        }
    }

    @Test func absurdTokenCountsAreRefused() throws {
        let garrison = store()
        #expect(throws: GarrisonError.invalidArgument(field: "entries[1].tokenCount", reason: "must be at most 4294967295")) {
            try garrison.append([garrisonEntry(.user, "a"), garrisonEntry(.user, "b", tokens: .max)], to: "s")
        }
        #expect(try garrison.history(sessionID: "s", limit: 0).isEmpty)
    }

    // MARK: History

    @Test func historyMergesInterleavedSystemEntriesByAge() throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 4), for: "s")
        let script: [(Role, String)] = [(.system, "s1"), (.user, "u1"), (.assistant, "a1"), (.system, "s2"),
                                        (.user, "u2"), (.assistant, "a2"), (.tool, "t1"), (.system, "s3"), (.user, "u3")]
        for (role, content) in script { _ = try garrison.append([garrisonEntry(role, content)], to: "s") }
        #expect(try contents(garrison) == ["s1", "s2", "u2", "a2", "t1", "s3", "u3"])
        #expect(try contents(garrison, limit: 3) == ["t1", "s3", "u3"])
        #expect(try contents(garrison, limit: 6) == ["s2", "u2", "a2", "t1", "s3", "u3"])
        #expect(try contents(garrison, limit: 100).count == 7)
        #expect(try contents(garrison, limit: -1).count == 7)
        #expect(try garrison.search(sessionID: "s", query: "s", limit: 0).map(\.content) == ["s3", "s2", "s1"])
    }

    // MARK: Totals and agreement with the pure function

    @Test(arguments: EvictionPolicy.allCases)
    func storeAgreesWithThePureFunctionAndKeepsTotalsExact(kind: EvictionPolicy) throws {
        var random = GarrisonSeededRandom(seed: 1_234 + UInt64(EvictionPolicy.allCases.firstIndex(of: kind)!))
        let policy = GarrisonPolicy(eviction: kind, maxEntries: 12, maxTokens: 60, preserveRecent: 4)
        let garrison = store()
        try garrison.setPolicy(policy, for: "s")
        var model: [GarrisonEntry] = []
        let roles: [Role] = [.system, .user, .user, .assistant, .assistant, .tool]
        for step in 0..<400 {
            let batch = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                garrisonEntry(roles.randomElement(using: &random)!,
                              String(repeating: "w ", count: Int.random(in: 0...6, using: &random)) + "x\(step)",
                              importance: Int.random(in: 0...100, using: &random),
                              tokens: Int.random(in: 0...1, using: &random) == 0 ? 0 : Int.random(in: 1...9, using: &random))
            }
            let outcome = try garrison.append(batch, to: "s")
            for (entry, id) in zip(batch, outcome.ids) {
                var stored = entry
                stored.id = id
                if stored.tokenCount == 0 { stored.tokenCount = TokenEstimator.estimate(stored.content) }
                model.append(stored)
            }
            let removed = GarrisonEviction.evict(entries: &model, policy: policy)
            #expect(outcome.evicted == removed.count)
            let visible = GarrisonEviction.window(model, policy: policy)
            #expect(try garrison.history(sessionID: "s", limit: 0).map(\.id) == visible.map(\.id))
            #expect(garrison.totalBytes == model.reduce(0) { $0 + $1.content.utf8.count })
            let summary = try #require(try garrison.sessions(limit: 0).first)
            #expect(summary.entryCount == visible.count)
            #expect(summary.tokenCount == visible.reduce(0) { $0 + $1.tokenCount })
            if step % 97 == 96 {
                _ = try garrison.clear(sessionID: "s", keepSystem: step % 2 == 0)
                model.removeAll { !(step % 2 == 0 && $0.role == .system) }
            }
        }
        #expect(garrison.auditTotals().isEmpty)
    }

    @Test func evictionReturnsBytesToTheBudget() throws {
        // 10 bytes of budget; FIFO at 2 keeps the store at 2 entries of 3 bytes, so appends never stop.
        let garrison = store(maxTotalBytes: 10, defaultPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 2))
        for index in 100..<400 { _ = try garrison.append([garrisonEntry(.user, "\(index)")], to: "s") }
        #expect(garrison.totalBytes == 6)
        #expect(try contents(garrison) == ["398", "399"])
    }

    // MARK: Concurrency

    @Test func eightConcurrentWritersLoseNothing() async throws {
        let garrison = store()
        try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 100_000), for: "all")
        try garrison.setPolicy(GarrisonPolicy(eviction: .fifo, maxEntries: 50), for: "capped")
        try garrison.setPolicy(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 30), for: "window")
        let evictions = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var evicted = 0
                    for index in 0..<500 {
                        _ = try garrison.append([garrisonEntry(.user, "\(worker)-\(index)")], to: "all")
                        evicted += try garrison.append([garrisonEntry(.user, "\(worker)-\(index)")], to: "capped").evicted
                        evicted += try garrison.append([garrisonEntry(.user, "\(worker)-\(index)")], to: "window").evicted
                        _ = try garrison.history(sessionID: "window", limit: 10)
                        if index % 50 == 0 { _ = try garrison.search(sessionID: "all", query: "\(worker)-", limit: 5) }
                    }
                    return evicted
                }
            }
            return try await group.reduce(0, +)
        }
        let all = try garrison.history(sessionID: "all", limit: 0)
        #expect(all.count == 4_000)
        #expect(Set(all.map(\.content)).count == 4_000)
        #expect(all.map(\.id) == all.map(\.id).sorted())
        let capped = try garrison.history(sessionID: "capped", limit: 0).count
        #expect(capped == 50)
        #expect(try garrison.history(sessionID: "window", limit: 0).count == 30)
        #expect(garrison.auditTotals().isEmpty)
        // Every append to "capped" and "window" is still held or was reported evicted. Re-setting
        // the window's policy drops (and reports) what it held out of sight.
        let hiddenInWindow = try garrison.setPolicy(GarrisonPolicy(eviction: .slidingWindow, maxEntries: 30), for: "window")
        #expect(evictions + capped + 30 + hiddenInWindow == 2 * 4_000)
        #expect(garrison.auditTotals().isEmpty)
    }
}
