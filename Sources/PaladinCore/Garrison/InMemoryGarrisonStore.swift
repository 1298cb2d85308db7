import Foundation
import Synchronization

/// A `GarrisonStore` in process memory. Thread-safe; every operation is a short critical
/// section, so it is cheap enough to call from an event loop.
///
/// Each session forgets by its own `GarrisonPolicy` (`setPolicy(_:for:)`, else the store's
/// `defaultPolicy`), applied after every append; `GarrisonLimits` is the global safety net
/// (sessions, total bytes, entries per append). System entries are never evicted.
///
/// Costs: a session keeps its system entries in an array and the others in a ring buffer, so
/// an append costs O(entries appended + entries evicted) under FIFO, sliding window and token
/// budget (amortized, for the sliding window's batches), and `history(limit:)` O(limit); neither
/// depends on the session's size. Importance eviction scans the session: O(session size) per
/// evicted entry. Search is O(session size), outside the lock.
public final class InMemoryGarrisonStore: GarrisonStore {
    private struct State {
        var sessions: [String: Session] = [:]
        var nextID: UInt64 = 1
        var totalBytes = 0
        /// The session last looked up and its index, so that repeated operations on one session
        /// compare its id instead of hashing it. Replaced on every insertion, cleared on removal
        /// (the only changes that can invalidate a dictionary index).
        private var recentID = ""
        private var recentIndex: [String: Session].Index?

        /// The index of session `id`, if it exists.
        mutating func index(of id: String) -> [String: Session].Index? {
            if let recentIndex, recentID == id { return recentIndex }
            guard let found = sessions.index(forKey: id) else { return nil }
            recentID = id
            recentIndex = found
            return found
        }

        /// Adds a session that does not exist yet; returns its index.
        mutating func insert(_ session: Session, for id: String) -> [String: Session].Index {
            sessions[id] = session
            let index = sessions.index(forKey: id)!
            recentID = id
            recentIndex = index
            return index
        }

        /// Removes session `id`; returns it if it existed.
        mutating func remove(_ id: String) -> Session? {
            recentIndex = nil
            return sessions.removeValue(forKey: id)
        }
    }

    private let state = Mutex(State())
    private let limits: GarrisonLimits
    /// The policy of sessions that were given none with `setPolicy(_:for:)`.
    public let defaultPolicy: GarrisonPolicy
    private let tokenCounter: any TokenCounter
    private let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - limits: memory bounds.
    ///   - defaultPolicy: the policy of every session not given one with `setPolicy(_:for:)`;
    ///     nil (the default) means `GarrisonPolicy(eviction: .fifo, maxEntries:
    ///     limits.maxEntriesPerSession)`, the store's historical behaviour.
    ///   - tokenCounter: counts the tokens of entries appended with `tokenCount <= 0`.
    ///   - now: wall clock in microseconds since the epoch (injectable for tests).
    public init(limits: GarrisonLimits = GarrisonLimits(),
                defaultPolicy: GarrisonPolicy? = nil,
                tokenCounter: any TokenCounter = EstimatingTokenCounter(),
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }) {
        self.limits = limits
        self.defaultPolicy = defaultPolicy ?? GarrisonPolicy(eviction: .fifo, maxEntries: limits.maxEntriesPerSession)
        self.tokenCounter = tokenCounter
        self.now = now
    }

    /// Bytes of content held by the whole store, the figure `GarrisonLimits.maxTotalBytes`
    /// bounds. It includes entries a sliding window holds but no longer shows.
    public var totalBytes: Int {
        state.withLock { $0.totalBytes }
    }

    // MARK: Policies

    /// Gives `sessionID` its own policy and applies it at once. A session that does not exist
    /// yet is created, empty (it then counts toward `GarrisonLimits.maxSessions` and is listed by
    /// `sessions`). Entries a previous sliding window was holding out of sight are dropped first,
    /// whatever the new policy, so nothing that was forgotten reappears.
    /// - Returns: how many entries were evicted, out-of-window ones included.
    /// - Throws: `GarrisonError.invalidSessionID`, `.invalidArgument` (field `policy.maxEntries`,
    ///   `policy.maxTokens` or `policy.preserveRecent`, when negative), `.capacityExceeded`.
    @discardableResult
    public func setPolicy(_ policy: GarrisonPolicy, for sessionID: String) throws -> Int {
        try SessionID.validate(sessionID)
        try policy.validate()
        let timestamp = now()
        return try state.withLock { state throws(GarrisonError) in
            let index: [String: Session].Index
            if let existing = state.index(of: sessionID) {
                index = existing
            } else {
                guard state.sessions.count < limits.maxSessions else {
                    throw .capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
                }
                index = state.insert(Session(policy: policy, createdAt: timestamp), for: sessionID)
            }
            let (evicted, freed) = state.sessions.values[index].apply(policy, at: timestamp)
            state.totalBytes -= freed
            return evicted
        }
    }

    /// The policy `sessionID` follows: its own, else `defaultPolicy`.
    public func policy(for sessionID: String) throws -> GarrisonPolicy {
        try SessionID.validate(sessionID)
        return state.withLock { $0.sessions[sessionID]?.policy } ?? defaultPolicy
    }

    // MARK: GarrisonStore

    /// Appends atomically (every entry or none), then applies the session's policy.
    ///
    /// Each entry gets a store-wide increasing id, `sessionID` and the current time; an entry
    /// with `tokenCount > 0` keeps it (the provider's reported usage wins), others are counted
    /// by the store's `TokenCounter`. `AppendOutcome.evicted` is the number of entries the policy
    /// removed from memory, which may include entries of this very append.
    /// - Throws: `GarrisonError.invalidSessionID`; `.invalidArgument` for an empty or oversized
    ///   batch, an importance outside 0...100 or a `tokenCount` above
    ///   `GarrisonEntry.maxTokenCount`; `.capacityExceeded` when a new session or the bytes
    ///   would exceed `GarrisonLimits` (checked before eviction).
    public func append(_ entries: [GarrisonEntry], to sessionID: String) throws -> AppendOutcome {
        try SessionID.validate(sessionID)
        guard !entries.isEmpty, entries.count <= limits.maxEntriesPerAppend else {
            throw GarrisonError.invalidArgument(field: "entries", reason: "must hold 1 to \(limits.maxEntriesPerAppend) entries")
        }
        let timestamp = now()
        var incomingBytes = 0
        for (index, entry) in entries.enumerated() {
            guard (0...100).contains(entry.importance) else {
                throw GarrisonError.invalidArgument(field: "entries[\(index)].importance", reason: "must be 0 to 100")
            }
            guard entry.tokenCount <= GarrisonEntry.maxTokenCount else {
                throw GarrisonError.invalidArgument(field: "entries[\(index)].tokenCount",
                                                    reason: "must be at most \(GarrisonEntry.maxTokenCount)")
            }
            incomingBytes += entry.content.utf8.count
        }
        // Count tokens outside the lock (a counter may be slow); on the stack for small batches.
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: entries.count) { tokens throws(GarrisonError) in
            for (index, entry) in entries.enumerated() {
                tokens[index] = entry.tokenCount > 0
                    ? entry.tokenCount
                    : min(max(tokenCounter.count(entry.content), 0), GarrisonEntry.maxTokenCount)
            }
            return try state.withLock { state throws(GarrisonError) in
                var index = state.index(of: sessionID)
                if index == nil && state.sessions.count >= limits.maxSessions {
                    throw .capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
                }
                guard state.totalBytes + incomingBytes <= limits.maxTotalBytes else {
                    throw .capacityExceeded("the garrison holds its maximum of \(limits.maxTotalBytes) bytes")
                }
                let firstID = state.nextID
                state.nextID += UInt64(entries.count)
                if index == nil {
                    index = state.insert(Session(policy: defaultPolicy, createdAt: timestamp), for: sessionID)
                }
                let sessionIndex = index!
                let (evicted, freed) = state.sessions.values[sessionIndex].append(
                    entries, firstID: firstID, tokens: tokens, sessionID: sessionID, at: timestamp)
                state.totalBytes += incomingBytes - freed
                return AppendOutcome(firstID: firstID, count: entries.count, evicted: evicted)
            }
        }
    }

    /// The newest `limit` visible entries (all when `limit <= 0`), oldest first: every system
    /// entry and, under a sliding window, only the window of the others. O(limit).
    public func history(sessionID: String, limit: Int) throws -> [GarrisonEntry] {
        try SessionID.validate(sessionID)
        return state.withLock { state in
            guard let index = state.index(of: sessionID) else { return [] }
            return state.sessions.values[index].newest(limit)
        }
    }

    /// Visible entries containing every word of `query` (case-insensitive), newest first; at most
    /// `limit` (50 when `limit <= 0`).
    public func search(sessionID: String, query: String, limit: Int) throws -> [GarrisonEntry] {
        try SessionID.validate(sessionID)
        let words = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else {
            throw GarrisonError.invalidArgument(field: "query", reason: "must contain at least one word")
        }
        let cap = limit > 0 ? limit : 50
        // A copy-on-write snapshot: the scan runs outside the lock.
        guard let snapshot = state.withLock({ $0.sessions[sessionID]?.snapshot }) else { return [] }
        var found: [GarrisonEntry] = []
        snapshot.forEachNewestFirst { entry in
            let text = entry.content.lowercased()
            if words.allSatisfy({ text.contains($0) }) { found.append(entry) }
            return found.count < cap
        }
        return found
    }

    /// Removes the session's entries (all but system ones when `keepSystem`), keeping its
    /// policy. Returns how many visible entries went; out-of-window ones go too, uncounted.
    public func clear(sessionID: String, keepSystem: Bool) throws -> Int {
        try SessionID.validate(sessionID)
        let timestamp = now()
        return state.withLock { state in
            guard let index = state.index(of: sessionID) else { return 0 }
            let (removed, freed) = state.sessions.values[index].clear(keepSystem: keepSystem, at: timestamp)
            state.totalBytes -= freed
            return removed
        }
    }

    /// Sessions, most recently active first; counts are of visible entries.
    public func sessions(limit: Int) throws -> [SessionSummary] {
        let cap = limit > 0 ? limit : 100
        let all = state.withLock { state in
            state.sessions.map { id, session in
                SessionSummary(sessionID: id, entryCount: session.visibleCount, tokenCount: session.visibleTokens,
                               createdAtMicros: session.createdAt, lastActivityMicros: session.lastActivity)
            }
        }
        let sorted = all.sorted {
            ($0.lastActivityMicros, $1.sessionID) > ($1.lastActivityMicros, $0.sessionID)
        }
        return Array(sorted.prefix(cap))
    }

    /// Removes a session, its entries and its policy; returns how many visible entries went.
    public func deleteSession(_ sessionID: String) throws -> Int {
        try SessionID.validate(sessionID)
        return try state.withLock { state throws(GarrisonError) in
            guard let session = state.remove(sessionID) else {
                throw .sessionNotFound(sessionID)
            }
            state.totalBytes -= session.bytes
            return session.visibleCount
        }
    }

    // MARK: Checks

    /// Recomputes every running total from the entries and returns the mismatches (none when
    /// the bookkeeping is exact). O(store size); for tests.
    func auditTotals() -> [String] {
        state.withLock { state in
            var problems: [String] = []
            var bytes = 0
            for (id, session) in state.sessions {
                problems += session.audit().map { "\(id): \($0)" }
                bytes += session.bytes
            }
            if bytes != state.totalBytes { problems.append("totalBytes \(state.totalBytes) != \(bytes)") }
            return problems
        }
    }
}

// MARK: - Session

extension InMemoryGarrisonStore {
    /// One session: system entries in an array, the others ("messages") in a ring buffer, both
    /// in id order, and running totals. A value inside the store's mutex, mutated in place.
    fileprivate struct Session: GarrisonEvictionTarget {
        var system: [GarrisonEntry] = []
        var messages = GarrisonRing<GarrisonEntry>()
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

        init(policy: GarrisonPolicy, createdAt: Int64) {
            self.policy = policy
            self.createdAt = createdAt
            self.lastActivity = createdAt
        }

        var bytes: Int { systemBytes + messageBytes }
        var tokenTotal: Int { systemTokens + messageTokens }
        var visibleCount: Int { system.count + messages.count - hidden }
        var visibleTokens: Int { tokenTotal - hiddenTokens }
        var messageCount: Int { messages.count }

        /// Stores `entries` (ids from `firstID`, token counts from `tokens`), then applies the
        /// policy. Returns how many entries were evicted and how many bytes that freed.
        mutating func append(_ entries: [GarrisonEntry], firstID: UInt64, tokens: UnsafeMutableBufferPointer<Int>,
                             sessionID: String, at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
            for (index, original) in entries.enumerated() {
                var entry = original
                entry.id = firstID + UInt64(index)
                entry.sessionID = sessionID
                entry.createdAtMicros = timestamp
                entry.tokenCount = tokens[index]
                let bytes = entry.content.utf8.count
                if entry.role == .system {
                    systemBytes += bytes
                    systemTokens += entry.tokenCount
                    system.append(entry)
                } else {
                    messageBytes += bytes
                    messageTokens += entry.tokenCount
                    messages.append(entry)
                }
            }
            lastActivity = timestamp
            let bytesBefore = bytes
            let evicted = GarrisonEviction.evict(&self, policy: policy) { _ in }
            syncWindow()
            return (evicted, bytesBefore - bytes)
        }

        /// Switches to `policy`: drops what a sliding window hid, then evicts by the new policy.
        mutating func apply(_ policy: GarrisonPolicy, at timestamp: Int64) -> (evicted: Int, freedBytes: Int) {
            let bytesBefore = bytes
            var evicted = hidden
            if hidden > 0 { removeOldestMessages(hidden) { _ in } }
            self.policy = policy
            evicted += GarrisonEviction.evict(&self, policy: policy) { _ in }
            syncWindow()
            lastActivity = timestamp
            return (evicted, bytesBefore - bytes)
        }

        func importance(ofMessage offset: Int) -> Int {
            messages.read(offset) { $0.importance }
        }

        mutating func removeMessage(at offset: Int) -> GarrisonEntry {
            let entry = messages.remove(at: offset)
            messageBytes -= entry.content.utf8.count
            messageTokens -= entry.tokenCount
            if offset < hidden {
                hidden -= 1
                hiddenTokens -= entry.tokenCount
            }
            return entry
        }

        mutating func removeOldestMessages(_ count: Int, _ onEvict: (GarrisonEntry) -> Void) {
            var bytes = 0, tokens = 0, hiddenGone = 0, hiddenTokensGone = 0
            let hiddenBefore = hidden
            messages.removeFirst(count) { entry in
                bytes += entry.content.utf8.count
                tokens += entry.tokenCount
                if hiddenGone < hiddenBefore {
                    hiddenGone += 1
                    hiddenTokensGone += entry.tokenCount
                }
                onEvict(entry)
            }
            messageBytes -= bytes
            messageTokens -= tokens
            hidden -= hiddenGone
            hiddenTokens -= hiddenTokensGone
        }

        /// Brings `hidden` in line with the policy's read window. O(entries that crossed it).
        private mutating func syncWindow() {
            let target = max(0, messages.count - policy.readWindow)
            while hidden < target {
                hiddenTokens += messages.read(hidden) { $0.tokenCount }
                hidden += 1
            }
            while hidden > target {
                hidden -= 1
                hiddenTokens -= messages.read(hidden) { $0.tokenCount }
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
            lastActivity = timestamp
            return (removed, bytesBefore - bytes)
        }

        var snapshot: SessionSnapshot {
            SessionSnapshot(system: system, messages: messages, firstVisible: hidden)
        }

        /// The newest `limit` visible entries (all when `limit <= 0`), oldest first. O(limit):
        /// ids are compared in place, and runs of messages are copied in bulk.
        func newest(_ limit: Int) -> [GarrisonEntry] {
            let visibleMessages = messages.count - hidden
            let total = system.count + visibleMessages
            let count = limit > 0 && limit < total ? limit : total
            guard count > 0 else { return [] }
            // Where the newest `count` start, in each array.
            var nextSystem = system.count
            var nextMessage = messages.count
            if count <= visibleMessages,
               system.last.map({ last in last.id < messages.read(messages.count - count) { $0.id } }) ?? true {
                nextMessage -= count  // the common case: no system entry among them
            } else {
                for _ in 0..<count {
                    if nextSystem > 0 && (nextMessage == hidden
                                          || system[nextSystem - 1].id > messages.read(nextMessage - 1) { $0.id }) {
                        nextSystem -= 1
                    } else {
                        nextMessage -= 1
                    }
                }
            }
            var result: [GarrisonEntry] = []
            result.reserveCapacity(count)
            while nextSystem < system.count {
                let boundary = system[nextSystem].id
                var end = nextMessage
                while end < messages.count && messages.read(end, { $0.id }) < boundary { end += 1 }
                messages.copy(nextMessage..<end, into: &result)
                nextMessage = end
                result.append(system[nextSystem])
                nextSystem += 1
            }
            messages.copy(nextMessage..<messages.count, into: &result)
            return result
        }

        func audit() -> [String] {
            var problems: [String] = []
            func sum(_ entries: some Sequence<GarrisonEntry>, _ value: (GarrisonEntry) -> Int) -> Int {
                entries.reduce(0) { $0 + value($1) }
            }
            if systemBytes != sum(system, { $0.content.utf8.count }) { problems.append("systemBytes") }
            if systemTokens != sum(system, \.tokenCount) { problems.append("systemTokens") }
            if messageBytes != sum(messages, { $0.content.utf8.count }) { problems.append("messageBytes") }
            if messageTokens != sum(messages, \.tokenCount) { problems.append("messageTokens") }
            if hidden != max(0, messages.count - policy.readWindow) { problems.append("hidden") }
            if hiddenTokens != sum(messages.prefix(hidden), \.tokenCount) { problems.append("hiddenTokens") }
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
}

/// A session's entries as of one moment, for scans outside the lock.
private struct SessionSnapshot: Sendable {
    var system: [GarrisonEntry]
    var messages: GarrisonRing<GarrisonEntry>
    var firstVisible: Int

    /// Calls `body` with the visible entries, newest first, until it returns false.
    func forEachNewestFirst(_ body: (GarrisonEntry) -> Bool) {
        var nextSystem = system.count
        var nextMessage = messages.count
        while nextSystem > 0 || nextMessage > firstVisible {
            let entry: GarrisonEntry
            if nextSystem > 0 && (nextMessage == firstVisible
                                  || system[nextSystem - 1].id > messages.read(nextMessage - 1) { $0.id }) {
                nextSystem -= 1
                entry = system[nextSystem]
            } else {
                nextMessage -= 1
                entry = messages[nextMessage]
            }
            guard body(entry) else { return }
        }
    }
}
