/// One session of `InMemoryGarrisonStore`: system entries in an array, the others ("messages")
/// in a ring buffer, both in id order, and running totals. A value inside the store's mutex,
/// mutated in place.
///
/// Token totals cover counted entries only; `owed` entries have not been counted yet (no policy
/// needed them). A policy that needs tokens has every entry counted (`settleTokens`).
struct GarrisonSession: GarrisonEvictionTarget {
    var system: [StoredGarrisonEntry] = []
    /// Made with room for a few entries: a new session's first append then allocates nothing.
    var messages = GarrisonRing<StoredGarrisonEntry>(capacity: GarrisonRing<StoredGarrisonEntry>.minimumCapacity)
    var policy: GarrisonPolicy
    let createdAt: Int64
    var lastActivity: Int64

    private(set) var systemBytes = 0
    private(set) var systemTokens = 0
    private(set) var messageBytes = 0
    private(set) var messageTokens = 0
    /// The oldest `hidden` messages are outside a sliding window: held, never shown.
    private(set) var hidden = 0
    private(set) var hiddenTokens = 0
    /// System entries and messages whose tokens are not counted yet. Only appends add to them,
    /// so they are among the newest: settling walks back from the newest end until none is left.
    /// 32 bits each, so that the session stays within the 128 bytes the compiler moves inline
    /// (a larger one is moved with a `memcpy` call on every lookup).
    private(set) var owedSystem: Int32 = 0
    private(set) var owedMessages: Int32 = 0
    /// Entries whose tokens are not counted yet.
    var owed: Int { Int(owedSystem) + Int(owedMessages) }

    init(policy: GarrisonPolicy, createdAt: Int64) {
        self.policy = policy
        self.createdAt = createdAt
        self.lastActivity = createdAt
    }

    var bytes: Int { systemBytes + messageBytes }
    /// Tokens of the counted entries; all of them whenever the policy needs tokens.
    var tokenTotal: Int { systemTokens + messageTokens }
    var visibleCount: Int { system.count + messages.count - hidden }
    /// Tokens of the visible entries. - Precondition: nothing `owed` (`settleTokens` first).
    var visibleTokens: Int { tokenTotal - hiddenTokens }
    var messageCount: Int { messages.count }

    /// Stores `entries` (ids from `firstID`, counts from `tokens` where given), then applies the
    /// policy. Returns how many entries were evicted and how many bytes that freed.
    mutating func append(_ entries: [GarrisonEntry], firstID: UInt64, tokens: UnsafeMutableBufferPointer<Int>?,
                         counter: any TokenCounter, at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
        let countNow = policy.needsTokens
        if entries.count > 1 { messages.reserveCapacity(messages.count + entries.count) }
        for index in entries.indices {
            let count = tokens?[index]
                ?? StoredGarrisonEntry.tokens(for: entries[index], counter: counter, countNow: countNow)
            add(StoredGarrisonEntry(entries[index], id: firstID + UInt64(index), at: timestamp, tokens: count))
        }
        return appended(at: timestamp)
    }

    /// `append` of `entries`' one entry (the common case: one turn of a conversation), without the
    /// batch's loop and reservation. It takes the array so that the entry is read in place, not
    /// copied (which retains three fields).
    mutating func appendOne(_ entries: [GarrisonEntry], id: UInt64, tokens: Int?, counter: any TokenCounter,
                            at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
        let count = tokens ?? StoredGarrisonEntry.tokens(for: entries[0], counter: counter, countNow: policy.needsTokens)
        add(StoredGarrisonEntry(entries[0], id: id, at: timestamp, tokens: count))
        return appended(at: timestamp)
    }

    /// Stores one entry and adds it to the totals (its tokens when counted, else to those owed).
    @inline(__always)
    private mutating func add(_ stored: __owned StoredGarrisonEntry) {
        let bytes = stored.bytes
        let tokens = stored.counted ? Int(stored.storedTokens) : 0
        if stored.role == .system {
            if !stored.counted { owedSystem += 1 }
            systemBytes += bytes
            systemTokens += tokens
            system.append(stored)
        } else {
            if !stored.counted { owedMessages += 1 }
            messageBytes += bytes
            messageTokens += tokens
            messages.append(stored)
        }
    }

    /// After an append: the activity time and the policy. Returns how many entries were evicted
    /// and how many bytes that freed.
    @inline(__always)
    private mutating func appended(at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
        lastActivity = timestamp
        guard policy.mayEvict(messages: messages.count) else {
            if policy.eviction == .slidingWindow { syncWindow() }
            return (0, 0)
        }
        let bytesBefore = bytes
        let evicted = GarrisonEviction.evict(&self, policy: policy) { _ in }
        syncWindow()
        return (evicted, bytesBefore - bytes)
    }

    /// Switches to `policy`: drops what a sliding window hid, then evicts by the new policy.
    mutating func apply(_ policy: GarrisonPolicy, counter: any TokenCounter,
                        at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
        let bytesBefore = bytes
        var evicted = hidden
        if hidden > 0 { removeOldestMessages(hidden) { _ in } }
        self.policy = policy
        if policy.needsTokens { settleTokens(counter) }
        evicted += GarrisonEviction.evict(&self, policy: policy) { _ in }
        syncWindow()
        lastActivity = timestamp
        return (evicted, bytesBefore - bytes)
    }

    /// Counts every owed token count and adds it to the totals. Walks back from the newest
    /// entries and stops at the last owed one: O(entries since the last settling), O(1) when
    /// nothing is owed.
    mutating func settleTokens(_ counter: any TokenCounter) {
        var index = system.count
        while owedSystem > 0 && index > 0 {
            index -= 1
            if !system[index].counted {
                systemTokens += system[index].settleTokens(counter)
                owedSystem -= 1
            }
        }
        var offset = messages.count
        while owedMessages > 0 && offset > 0 {
            offset -= 1
            guard !messages.read(offset, { $0.counted }) else { continue }
            let tokens = messages.update(offset) { $0.settleTokens(counter) }
            messageTokens += tokens
            if offset < hidden { hiddenTokens += tokens }
            owedMessages -= 1
        }
    }

    func importance(ofMessage offset: Int) -> Int {
        messages.read(offset) { Int($0.importance) }
    }

    mutating func removeOldestMessages(_ count: Int, _ onEvict: (StoredGarrisonEntry) -> Void) {
        var bytes = 0, tokens = 0, owedGone = 0, hiddenGone = 0, hiddenTokensGone = 0
        let hiddenBefore = hidden
        messages.removeFirst(count) { entry in
            bytes += entry.bytes
            let counted = entry.counted ? Int(entry.storedTokens) : 0
            tokens += counted
            if !entry.counted { owedGone += 1 }
            if hiddenGone < hiddenBefore {
                hiddenGone += 1
                hiddenTokensGone += counted
            }
            onEvict(entry)
        }
        messageBytes -= bytes
        messageTokens -= tokens
        owedMessages -= Int32(owedGone)
        hidden -= hiddenGone
        hiddenTokens -= hiddenTokensGone
    }

    mutating func removeMessage(at offset: Int) -> StoredGarrisonEntry {
        let entry = messages.remove(at: offset)
        let counted = entry.counted ? Int(entry.storedTokens) : 0
        messageBytes -= entry.bytes
        messageTokens -= counted
        if !entry.counted { owedMessages -= 1 }
        if offset < hidden {
            hidden -= 1
            hiddenTokens -= counted
        }
        return entry
    }

    /// Brings `hidden` in line with the policy's read window. O(entries that crossed it).
    private mutating func syncWindow() {
        let target = max(0, messages.count - policy.readWindow)
        while hidden < target {
            hiddenTokens += messages.read(hidden) { $0.counted ? Int($0.storedTokens) : 0 }
            hidden += 1
        }
        while hidden > target {
            hidden -= 1
            hiddenTokens -= messages.read(hidden) { $0.counted ? Int($0.storedTokens) : 0 }
        }
    }

    /// Returns the number of visible entries removed and the bytes freed.
    mutating func clear(keepSystem: Bool, at timestamp: Int64) -> (removed: Int, freedBytes: Int) {
        let bytesBefore = bytes
        let removed = messages.count - hidden + (keepSystem ? 0 : system.count)
        messages.removeAll()
        messageBytes = 0
        messageTokens = 0
        hidden = 0
        hiddenTokens = 0
        if !keepSystem {
            system.removeAll()
            systemBytes = 0
            systemTokens = 0
        }
        owedMessages = 0
        owedSystem = Int32(system.count { !$0.counted })
        lastActivity = timestamp
        return (removed, bytesBefore - bytes)
    }
}
