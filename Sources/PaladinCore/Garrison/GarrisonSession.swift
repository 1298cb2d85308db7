/// One session of `InMemoryGarrisonStore`: its system entries in an array and the others
/// ("messages") in a queue, both oldest first, and running totals, so that an append, an
/// eviction from the front and a listing never walk the session. System entries are never
/// evicted, so keeping them apart leaves the oldest message always at the queue's front. A value
/// inside the store's mutex, changed in place.
struct GarrisonSession: GarrisonEvictionTarget {
    private(set) var system: [GarrisonEntry] = []
    private(set) var messages = GarrisonQueue<GarrisonEntry>()
    private(set) var policy: GarrisonPolicy
    let createdAt: Int64
    private(set) var lastActivity: Int64
    /// Entries held, system ones included (`GarrisonLimits.maxEntriesPerSession`): after the
    /// policy, the oldest messages go until the session fits.
    let maxHeld: Int

    /// Bytes of content and tokens of every entry held.
    private(set) var bytes = 0
    private(set) var tokenTotal = 0
    /// The oldest `hidden` messages are outside a sliding window: held, never shown.
    private(set) var hidden = 0
    private(set) var hiddenTokens = 0

    init(policy: GarrisonPolicy, createdAt: Int64, maxHeld: Int = .max) {
        self.policy = policy
        self.createdAt = createdAt
        self.lastActivity = createdAt
        self.maxHeld = maxHeld
    }

    var messageCount: Int { messages.count }
    var systemCount: Int { system.count }
    var visibleCount: Int { system.count + messages.count - hidden }
    var visibleTokens: Int { tokenTotal - hiddenTokens }

    /// The visible entries as of now, to be read outside the lock.
    var snapshot: GarrisonSessionSnapshot {
        GarrisonSessionSnapshot(system: system, messages: messages, firstVisible: hidden)
    }

    /// Stores `entries` (session id, time and token counts already set) with ids from
    /// `firstID`, then applies the policy. Returns how many entries were evicted and how many
    /// bytes that freed.
    mutating func append(_ entries: [GarrisonEntry], firstID: UInt64,
                         at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
        for (offset, var entry) in entries.enumerated() {
            entry.id = firstID + UInt64(offset)
            bytes += entry.storedBytes
            tokenTotal += entry.tokenCount
            if entry.role == .system {
                system.append(entry)
            } else {
                messages.append(entry)
            }
        }
        lastActivity = timestamp
        return evict()
    }

    /// Switches to `policy`: drops what a sliding window hid, then evicts by the new policy.
    mutating func apply(_ policy: GarrisonPolicy, at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
        let bytesBefore = bytes
        let dropped = hidden
        removeOldestMessages(hidden)
        self.policy = policy
        lastActivity = timestamp
        let evicted = evict().evicted
        return (dropped + evicted, bytesBefore - bytes)
    }

    /// Removes the session's entries (all but system ones when `keepSystem`). Returns the number
    /// of visible entries removed and the bytes freed.
    mutating func clear(keepSystem: Bool, at timestamp: Int64) -> (removed: Int, freedBytes: Int) {
        let bytesBefore = bytes
        let removed = visibleCount - (keepSystem ? system.count : 0)
        messages.removeAll()
        hidden = 0
        hiddenTokens = 0
        if !keepSystem { system.removeAll() }
        bytes = system.reduce(0) { $0 + $1.storedBytes }
        tokenTotal = system.reduce(0) { $0 + $1.tokenCount }
        lastActivity = timestamp
        return (removed, bytesBefore - bytes)
    }

    // MARK: GarrisonEvictionTarget

    func importance(ofMessage offset: Int) -> Int {
        messages[offset].importance
    }

    mutating func removeOldestMessages(_ count: Int) {
        for _ in 0..<count {
            let entry = messages.removeFirst()
            forget(entry)
            if hidden > 0 {
                hidden -= 1
                hiddenTokens -= entry.tokenCount
            }
        }
    }

    mutating func removeMessage(at offset: Int) {
        let entry = messages.remove(at: offset)
        forget(entry)
        if offset < hidden {
            hidden -= 1
            hiddenTokens -= entry.tokenCount
        }
    }

    // MARK: Bookkeeping

    /// Applies the policy, then `maxHeld`. Returns how many entries were evicted and how many
    /// bytes that freed.
    private mutating func evict() -> (evicted: Int, freedBytes: Int) {
        let bytesBefore = bytes
        var evicted = GarrisonEviction.evict(&self, policy: policy)
        let excess = min(system.count + messages.count - maxHeld, messages.count)
        if excess > 0 {
            removeOldestMessages(excess)
            evicted += excess
        }
        syncWindow()
        return (evicted, bytesBefore - bytes)
    }

    private mutating func forget(_ entry: GarrisonEntry) {
        bytes -= entry.storedBytes
        tokenTotal -= entry.tokenCount
    }

    /// Brings `hidden` in line with the policy's read window. O(entries that crossed it).
    private mutating func syncWindow() {
        let target = max(0, messages.count - policy.readWindow)
        while hidden < target {
            hiddenTokens += messages[hidden].tokenCount
            hidden += 1
        }
        while hidden > target {
            hidden -= 1
            hiddenTokens -= messages[hidden].tokenCount
        }
    }

    /// Recomputes the running totals from the entries and names each mismatch. O(session size);
    /// for tests.
    func audit() -> [String] {
        var problems: [String] = []
        let all = system + Array(messages)
        if bytes != all.reduce(0, { $0 + $1.storedBytes }) { problems.append("bytes") }
        if tokenTotal != all.reduce(0, { $0 + $1.tokenCount }) { problems.append("tokenTotal") }
        if hidden != max(0, messages.count - policy.readWindow) { problems.append("hidden") }
        if hiddenTokens != messages.prefix(hidden).reduce(0, { $0 + $1.tokenCount }) { problems.append("hiddenTokens") }
        if system.contains(where: { $0.role != .system }) || messages.contains(where: { $0.role == .system }) {
            problems.append("roles")
        }
        if !zip(system, system.dropFirst()).allSatisfy({ $0.id < $1.id })
            || !zip(messages, messages.dropFirst()).allSatisfy({ $0.id < $1.id }) {
            problems.append("order")
        }
        return problems
    }
}
