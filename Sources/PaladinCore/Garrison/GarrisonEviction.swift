/// Eviction as pure functions of a session's entries and its `GarrisonPolicy`. The semantics of
/// each policy are documented on `EvictionPolicy`; `InMemoryGarrisonStore` runs the same
/// algorithm (`evict(_:policy:)`) on its own session representation.
///
/// Entries' `tokenCount`s are used as they are (the store fills them in on append), and their
/// `importance` is read clamped to 0...100.
public enum GarrisonEviction {
    /// Evicts from `entries` (one session, oldest first) what `policy` drops after an append.
    /// System entries are never removed and the order of the rest is kept.
    /// - Returns: the removed entries, in the order they were evicted (oldest first for every
    ///   policy but `importance`).
    @discardableResult
    public static func evict(entries: inout [GarrisonEntry], policy: GarrisonPolicy) -> [GarrisonEntry] {
        var target = ArrayEvictionTarget(entries)
        evict(&target, policy: policy)
        entries = target.entries
        return target.removed
    }

    /// What reads see of `entries` (one session, oldest first) under `policy`: every system entry
    /// and, for `slidingWindow`, only the newest `maxEntries` non-system entries; all of
    /// `entries` for the other policies.
    public static func window(_ entries: [GarrisonEntry], policy: GarrisonPolicy) -> [GarrisonEntry] {
        let width = policy.readWindow
        let messages = entries.count { $0.role != .system }
        guard messages > width else { return entries }
        var hidden = messages - width
        return entries.filter { entry in
            guard entry.role != .system, hidden > 0 else { return true }
            hidden -= 1
            return false
        }
    }

    /// The eviction algorithm over any session representation; returns how many entries it
    /// removed.
    @discardableResult
    static func evict(_ target: inout some GarrisonEvictionTarget, policy: GarrisonPolicy) -> Int {
        let cap = max(0, policy.maxEntries)
        let budget = policy.maxTokens.map { max(0, $0) }
        let before = target.messageCount
        switch policy.eviction {
        case .fifo:
            if target.messageCount > cap {
                target.removeOldestMessages(target.messageCount - cap)
            }
        case .slidingWindow:
            if target.messageCount > policy.entryHighWater {
                target.removeOldestMessages(target.messageCount - cap)
            }
        case .tokenBudget:
            if target.messageCount > cap {
                target.removeOldestMessages(target.messageCount - cap)
            }
            if let budget {
                while target.tokenTotal > budget && target.messageCount > 0 {
                    target.removeOldestMessages(1)
                }
            }
        case .importance:
            let recent = max(0, policy.preserveRecent)
            while target.messageCount > 0
                    && (target.messageCount > cap || budget.map { target.tokenTotal > $0 } == true) {
                // Candidates are the messages outside the newest `recent`; with none, the oldest.
                let candidates = target.messageCount - recent
                var victim = 0
                if candidates > 1 {
                    var lowest = clampedImportance(target.importance(ofMessage: 0))
                    var offset = 1
                    // The scan stops at an importance of 0: nothing is lower, and the oldest wins a tie.
                    while offset < candidates && lowest > 0 {
                        let importance = clampedImportance(target.importance(ofMessage: offset))
                        if importance < lowest {
                            lowest = importance
                            victim = offset
                        }
                        offset += 1
                    }
                }
                target.removeMessage(at: victim)
            }
        }
        return before - target.messageCount
    }

    private static func clampedImportance(_ value: Int) -> Int {
        min(max(value, 0), 100)
    }
}

/// What eviction needs of a session: its non-system entries ("messages"), oldest first, and the
/// tokens of all its entries.
protocol GarrisonEvictionTarget {
    /// Non-system entries.
    var messageCount: Int { get }
    /// Tokens of every entry, system entries included.
    var tokenTotal: Int { get }
    /// Importance of the non-system entry at `offset` (0 is the oldest).
    func importance(ofMessage offset: Int) -> Int
    /// Removes the non-system entry at `offset`, updating `tokenTotal`.
    mutating func removeMessage(at offset: Int)
    /// Removes the `count` oldest non-system entries, updating `tokenTotal`.
    mutating func removeOldestMessages(_ count: Int)
}

/// `GarrisonEvictionTarget` over a plain array, for `GarrisonEviction.evict(entries:policy:)`.
struct ArrayEvictionTarget: GarrisonEvictionTarget {
    private(set) var entries: [GarrisonEntry]
    /// What was removed, in the order it was removed.
    private(set) var removed: [GarrisonEntry] = []
    /// Ascending indices in `entries` of the non-system entries.
    private var positions: [Int]
    private(set) var tokenTotal: Int

    init(_ entries: [GarrisonEntry]) {
        self.entries = entries
        positions = entries.indices.filter { entries[$0].role != .system }
        tokenTotal = entries.reduce(0) { $0 + $1.tokenCount }
    }

    var messageCount: Int { positions.count }

    func importance(ofMessage offset: Int) -> Int {
        entries[positions[offset]].importance
    }

    mutating func removeMessage(at offset: Int) {
        let position = positions.remove(at: offset)
        for later in offset..<positions.count { positions[later] -= 1 }
        let entry = entries.remove(at: position)
        tokenTotal -= entry.tokenCount
        removed.append(entry)
    }

    /// One pass over `entries`, however many go.
    mutating func removeOldestMessages(_ count: Int) {
        guard count > 0 else { return }
        let last = positions[count - 1]
        var kept: [GarrisonEntry] = []
        kept.reserveCapacity(entries.count - count)
        for (index, entry) in entries.enumerated() {
            if index <= last && entry.role != .system {
                tokenTotal -= entry.tokenCount
                removed.append(entry)
            } else {
                kept.append(entry)
            }
        }
        entries = kept
        positions = positions.dropFirst(count).map { $0 - count }
    }
}
