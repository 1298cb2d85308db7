@testable import PaladinCore
import Testing

/// `GarrisonEviction` on its own: each policy's semantics on plain arrays.
@Suite("Garrison eviction")
struct GarrisonEvictionTests {
    private func ids(_ entries: [GarrisonEntry]) -> [UInt64] { entries.map(\.id) }

    // MARK: Policy values

    @Test func policyDefaults() {
        let policy = GarrisonPolicy()
        #expect(policy == GarrisonPolicy(eviction: .fifo, maxEntries: 100, maxTokens: nil, preserveRecent: 10))
        #expect(throws: Never.self) { try policy.validate() }
        #expect(throws: Never.self) { try GarrisonPolicy(maxEntries: 0, maxTokens: 0, preserveRecent: 0).validate() }
        #expect(throws: GarrisonError.invalidArgument(field: "policy.maxEntries", reason: "must be 0 or more")) {
            try GarrisonPolicy(maxEntries: -1).validate()
        }
        #expect(throws: GarrisonError.invalidArgument(field: "policy.maxTokens", reason: "must be 0 or more")) {
            try GarrisonPolicy(maxTokens: -1).validate()
        }
        #expect(throws: GarrisonError.invalidArgument(field: "policy.preserveRecent", reason: "must be 0 or more")) {
            try GarrisonPolicy(preserveRecent: -1).validate()
        }
        #expect(Set(EvictionPolicy.allCases.map(\.rawValue)) == ["fifo", "slidingWindow", "tokenBudget", "importance"])
    }

    // MARK: FIFO

    @Test func fifoDropsTheOldestNonSystemEntriesBeyondMaxEntries() {
        var entries = numberedGarrisonEntries(6, systemAt: [1])
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .fifo, maxEntries: 3))
        #expect(ids(removed) == [2, 3])
        #expect(ids(entries) == [1, 4, 5, 6])
    }

    @Test func fifoKeepsSystemEntriesAnywhereAndDoesNotCountThem() {
        var entries = numberedGarrisonEntries(8, systemAt: [1, 3, 6])
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .fifo, maxEntries: 2))
        #expect(ids(removed) == [2, 4, 5])
        #expect(ids(entries) == [1, 3, 6, 7, 8])
    }

    @Test func fifoAtOrUnderTheCapRemovesNothing() {
        var entries = numberedGarrisonEntries(4, systemAt: [1])
        #expect(GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .fifo, maxEntries: 3)).isEmpty)
        #expect(entries.count == 4)
    }

    @Test func fifoAtZeroKeepsOnlySystemEntries() {
        var entries = numberedGarrisonEntries(5, systemAt: [2])
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .fifo, maxEntries: 0))
        #expect(ids(removed) == [1, 3, 4, 5])
        #expect(ids(entries) == [2])
        var negative = numberedGarrisonEntries(3)
        GarrisonEviction.evict(entries: &negative, policy: GarrisonPolicy(eviction: .fifo, maxEntries: -5))
        #expect(negative.isEmpty)
    }

    // MARK: Sliding window

    @Test func slidingWindowEvictsNothingUntilTwiceTheWindow() {
        let policy = GarrisonPolicy(eviction: .slidingWindow, maxEntries: 3)
        var entries = numberedGarrisonEntries(7, systemAt: [1])  // 6 non-system = 2 × 3
        #expect(GarrisonEviction.evict(entries: &entries, policy: policy).isEmpty)
        #expect(entries.count == 7)
        // Reads see the window: system entries and the newest 3 others.
        #expect(ids(GarrisonEviction.window(entries, policy: policy)) == [1, 5, 6, 7])
    }

    @Test func slidingWindowEvictsBackToTheWindowInOneBatch() {
        let policy = GarrisonPolicy(eviction: .slidingWindow, maxEntries: 3)
        var entries = numberedGarrisonEntries(8, systemAt: [1])  // 7 non-system > 6
        let removed = GarrisonEviction.evict(entries: &entries, policy: policy)
        #expect(ids(removed) == [2, 3, 4, 5])
        #expect(ids(entries) == [1, 6, 7, 8])
        #expect(GarrisonEviction.window(entries, policy: policy) == entries)
    }

    @Test func windowIsTheIdentityForOtherPolicies() {
        let entries = numberedGarrisonEntries(20, systemAt: [4])
        for kind in [EvictionPolicy.fifo, .tokenBudget, .importance] {
            #expect(GarrisonEviction.window(entries, policy: GarrisonPolicy(eviction: kind, maxEntries: 3)) == entries)
        }
    }

    @Test func slidingWindowWithAHugeWindowDoesNotOverflow() {
        var entries = numberedGarrisonEntries(5)
        #expect(GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .slidingWindow, maxEntries: .max)).isEmpty)
        #expect(GarrisonEviction.window(entries, policy: GarrisonPolicy(eviction: .slidingWindow, maxEntries: .max)).count == 5)
    }

    // MARK: Token budget

    @Test func tokenBudgetDropsOldestUntilWithinBudgetCountingSystemTokens() {
        // System 5 tokens + four entries of 10 = 45; budget 25 drops two.
        var entries = numberedGarrisonEntries(5, systemAt: [1], tokens: { $0 == 1 ? 5 : 10 })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .tokenBudget, maxEntries: 100, maxTokens: 25))
        #expect(ids(removed) == [2, 3])
        #expect(ids(entries) == [1, 4, 5])
        #expect(entries.reduce(0) { $0 + $1.tokenCount } == 25)
    }

    @Test func tokenBudgetNeverDropsSystemEvenWhenTheyAloneExceedIt() {
        var entries = numberedGarrisonEntries(4, systemAt: [1, 3], tokens: { _ in 50 })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .tokenBudget, maxTokens: 60))
        #expect(ids(removed) == [2, 4])
        #expect(ids(entries) == [1, 3])
    }

    @Test func tokenBudgetStillCapsTheCount() {
        var entries = numberedGarrisonEntries(6, tokens: { _ in 1 })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .tokenBudget, maxEntries: 4, maxTokens: 1_000))
        #expect(ids(removed) == [1, 2])
    }

    @Test func tokenBudgetWithoutMaxTokensIsFIFO() {
        var budget = numberedGarrisonEntries(9, systemAt: [2], tokens: { _ in 1_000 })
        var fifo = budget
        let policy = GarrisonPolicy(eviction: .tokenBudget, maxEntries: 3)
        #expect(GarrisonEviction.evict(entries: &budget, policy: policy) == GarrisonEviction.evict(entries: &fifo, policy: GarrisonPolicy(eviction: .fifo, maxEntries: 3)))
        #expect(budget == fifo)
    }

    @Test func tokenBudgetCanEvictAnOversizedNewestEntry() {
        var entries = numberedGarrisonEntries(3, tokens: { $0 == 3 ? 500 : 1 })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .tokenBudget, maxTokens: 100))
        #expect(ids(removed) == [1, 2, 3])
        #expect(entries.isEmpty)
    }

    // MARK: Importance

    @Test func importanceDropsTheLowestOutsideTheRecentWindow() {
        let importance = [1: 50, 2: 10, 3: 20, 4: 90, 5: 0, 6: 0]
        var entries = numberedGarrisonEntries(6, importance: { importance[$0]! })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .importance, maxEntries: 5, preserveRecent: 2))
        // 5 and 6 (importance 0) are recent, so 2 (importance 10) goes.
        #expect(ids(removed) == [2])
        #expect(ids(entries) == [1, 3, 4, 5, 6])
    }

    @Test func importanceTiesGoToTheOldest() {
        var entries = numberedGarrisonEntries(6, importance: { [1: 30, 2: 5, 3: 30, 4: 5, 5: 5, 6: 99][$0]! })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .importance, maxEntries: 3, preserveRecent: 1))
        #expect(ids(removed) == [2, 4, 5])
        #expect(ids(entries) == [1, 3, 6])
    }

    @Test func importanceFallsBackToTheOldestWhenEverythingIsRecent() {
        var entries = numberedGarrisonEntries(5, systemAt: [1], importance: { 100 - $0 })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .importance, maxEntries: 2, preserveRecent: 10))
        #expect(ids(removed) == [2, 3])
        #expect(ids(entries) == [1, 4, 5])
    }

    @Test func importanceNeverDropsSystemEntriesHoweverUnimportant() {
        var entries = numberedGarrisonEntries(5, systemAt: [1, 2], importance: { $0 <= 2 ? 0 : 80 })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .importance, maxEntries: 1, preserveRecent: 0))
        #expect(ids(removed) == [3, 4])
        #expect(ids(entries) == [1, 2, 5])
    }

    @Test func importanceHonoursATokenBudget() {
        // Entries of 10 tokens; budget 30 keeps three: the two most important and the recent one.
        var entries = numberedGarrisonEntries(6, tokens: { _ in 10 }, importance: { [1: 70, 2: 0, 3: 60, 4: 10, 5: 0, 6: 0][$0]! })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .importance, maxEntries: 100, maxTokens: 30, preserveRecent: 1))
        #expect(ids(removed) == [2, 5, 4])
        #expect(ids(entries) == [1, 3, 6])
    }

    @Test func importanceIsReadClampedTo0Through100() {
        var entries = numberedGarrisonEntries(4, importance: { [1: -5, 2: 0, 3: 500, 4: 100][$0]! })
        let removed = GarrisonEviction.evict(entries: &entries, policy: GarrisonPolicy(eviction: .importance, maxEntries: 2, preserveRecent: 0))
        #expect(ids(removed) == [1, 2])  // -5 and 0 tie at 0: oldest first
        #expect(ids(entries) == [3, 4])
    }

    @Test func everyPolicyKeepsEverySystemEntry() {
        var random = GarrisonSeededRandom(seed: 42)
        for kind in EvictionPolicy.allCases {
            for _ in 0..<50 {
                let count = Int.random(in: 0..<60, using: &random)
                let system = Set((1...max(count, 1)).filter { _ in Int.random(in: 0..<5, using: &random) == 0 })
                var entries = numberedGarrisonEntries(count, systemAt: system, tokens: { $0 % 7 + 1 }, importance: { $0 * 37 % 101 })
                let before = entries
                let policy = GarrisonPolicy(eviction: kind, maxEntries: Int.random(in: 0..<20, using: &random),
                                            maxTokens: Int.random(in: 0..<120, using: &random), preserveRecent: Int.random(in: 0..<8, using: &random))
                let removed = GarrisonEviction.evict(entries: &entries, policy: policy)
                #expect(!removed.contains { $0.role == .system })
                #expect(entries.filter { $0.role == .system } == before.filter { $0.role == .system })
                #expect(Set(ids(removed)).union(ids(entries)) == Set(ids(before)))
                #expect(removed.count + entries.count == before.count)
                #expect(ids(entries) == ids(entries).sorted())  // order kept
                let messages = entries.count { $0.role != .system }
                #expect(messages <= (kind == .slidingWindow ? 2 * policy.maxEntries : policy.maxEntries))
                if kind == .tokenBudget || kind == .importance, messages > 0 {
                    #expect(entries.reduce(0) { $0 + $1.tokenCount } <= policy.maxTokens!)
                }
            }
        }
    }
}
