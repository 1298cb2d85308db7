import Synchronization

/// A `GarrisonStore` in process memory. Thread-safe; every operation holds the lock for a short
/// critical section, so it is cheap enough to call from an event loop: token counting happens
/// before the lock is taken, and reads copy out a snapshot and build their result after it is
/// released. `sessions` lists every session under the lock.
///
/// Each session forgets by its own `GarrisonPolicy` (`setPolicy(_:for:)`, else the store's
/// `defaultPolicy`), applied after every append; `GarrisonLimits` is the global safety net
/// (sessions, total bytes, entries per append, entries per session with system entries
/// counted). System entries are never evicted.
///
/// Costs: a session keeps its system entries in an array and the others in a queue, so an
/// append costs O(entries appended + entries evicted) under FIFO, sliding window and token
/// budget (amortized, for the sliding window's batches), and `history(limit:)` O(limit); neither
/// depends on the session's size, except that an append racing a read of the same session copies
/// the session's storage (the read's copy-on-write snapshot is still alive). Importance eviction
/// scans the session: O(session size) per evicted entry. Search is O(session size), outside the lock.
public final class InMemoryGarrisonStore: GarrisonStore {
    private struct State {
        var sessions: [String: GarrisonSession] = [:]
        var nextID: UInt64 = 1
        var totalBytes = 0
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
                now: @escaping @Sendable () -> Int64 = WallClock.nowMicros) {
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
            if state.sessions[sessionID] == nil && state.sessions.count >= limits.maxSessions { throw sessionsFull }
            let (evicted, freed) = state.sessions[sessionID, default: newSession(at: timestamp)]
                .apply(policy, at: timestamp)
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
        try check(entries)
        let timestamp = now()
        // Counted before the lock is taken: a custom counter may be slow.
        let stamped = entries.map { entry in
            var entry = entry
            entry.sessionID = sessionID
            entry.createdAtMicros = timestamp
            if entry.tokenCount <= 0 {
                entry.tokenCount = min(max(tokenCounter.count(entry.content), 0), GarrisonEntry.maxTokenCount)
            }
            return entry
        }
        let incomingBytes = entries.reduce(0) { $0 + $1.storedBytes }
        let incomingSystem = entries.count { $0.role == .system }
        return try state.withLock { state throws(GarrisonError) in
            if state.sessions[sessionID] == nil && state.sessions.count >= limits.maxSessions { throw sessionsFull }
            try limits.checkSystemEntries(held: state.sessions[sessionID]?.systemCount ?? 0, incomingSystem: incomingSystem,
                                          incomingMessages: entries.count - incomingSystem, sessionID: sessionID)
            guard state.totalBytes + incomingBytes <= limits.maxTotalBytes else {
                throw .capacityExceeded("the garrison holds its maximum of \(limits.maxTotalBytes) bytes")
            }
            let firstID = state.nextID
            state.nextID += UInt64(stamped.count)
            let (evicted, freed) = state.sessions[sessionID, default: newSession(at: timestamp)]
                .append(stamped, firstID: firstID, at: timestamp)
            state.totalBytes += incomingBytes - freed
            return AppendOutcome(firstID: firstID, count: stamped.count, evicted: evicted)
        }
    }

    /// Refuses an append with no entry, more than the limits allow, or an entry whose
    /// importance or token count is out of range.
    private func check(_ entries: [GarrisonEntry]) throws(GarrisonError) {
        guard !entries.isEmpty, entries.count <= limits.maxEntriesPerAppend else {
            throw .invalidArgument(field: "entries", reason: "must hold 1 to \(limits.maxEntriesPerAppend) entries")
        }
        for (index, entry) in entries.enumerated() {
            guard (0...100).contains(entry.importance) else {
                throw .invalidArgument(field: "entries[\(index)].importance", reason: "must be 0 to 100")
            }
            guard entry.tokenCount <= GarrisonEntry.maxTokenCount else {
                throw .invalidArgument(field: "entries[\(index)].tokenCount",
                                       reason: "must be at most \(GarrisonEntry.maxTokenCount)")
            }
        }
    }

    /// A session created now, empty, on the default policy.
    private func newSession(at timestamp: Int64) -> GarrisonSession {
        GarrisonSession(policy: defaultPolicy, createdAt: timestamp, maxHeld: limits.maxEntriesPerSession)
    }

    /// The refusal of a new session when the store holds its maximum.
    private var sessionsFull: GarrisonError {
        .capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
    }

    /// The newest `limit` visible entries (all when `limit <= 0`), oldest first: every system
    /// entry and, under a sliding window, only the window of the others. O(limit), outside the
    /// lock.
    public func history(sessionID: String, limit: Int) throws -> GarrisonHistory {
        try history(sessionID: sessionID, limit: limit, before: nil, maxBytes: .max)
    }

    /// As `history(sessionID:limit:)`, of the entries with an id below `before`, taken newest
    /// first until they hold `maxBytes`. O(limit + log(session size)), outside the lock.
    public func history(sessionID: String, limit: Int, before: UInt64?, maxBytes: Int) throws -> GarrisonHistory {
        try SessionID.validate(sessionID)
        guard let snapshot = state.withLock({ $0.sessions[sessionID]?.snapshot }) else { return [] }
        return GarrisonHistory(snapshot.newest(limit, before: before, maxBytes: maxBytes))
    }

    /// Visible entries containing every word of `query` (case-insensitive), newest first; at most
    /// `limit` (50 when `limit <= 0`). O(session size), outside the lock.
    public func search(sessionID: String, query: String, limit: Int) throws -> [GarrisonEntry] {
        try search(sessionID: sessionID, query: query, limit: limit, before: nil, maxBytes: .max)
    }

    /// As `search(sessionID:query:limit:)`, of the entries with an id below `before`, taken
    /// newest first until they hold `maxBytes`.
    public func search(sessionID: String, query: String, limit: Int, before: UInt64?, maxBytes: Int) throws -> [GarrisonEntry] {
        try SessionID.validate(sessionID)
        let words = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else {
            throw GarrisonError.invalidArgument(field: "query", reason: "must contain at least one word")
        }
        let cap = limit > 0 ? limit : 50
        guard let snapshot = state.withLock({ $0.sessions[sessionID]?.snapshot }) else { return [] }
        var found = ByteBoundedCollector<GarrisonEntry>(limit: cap, maxBytes: maxBytes)
        snapshot.forEachNewestFirst(before: before) { entry in
            let text = entry.content.lowercased()
            if words.allSatisfy({ text.contains($0) }) { found.take(entry, bytes: \.storedBytes) }
            return found.wantsMore
        }
        return found.items
    }

    /// Removes the session's entries (all but system ones when `keepSystem`), keeping its
    /// policy. Returns how many visible entries went; out-of-window ones go too, uncounted.
    public func clear(sessionID: String, keepSystem: Bool) throws -> Int {
        try SessionID.validate(sessionID)
        let timestamp = now()
        return state.withLock { state in
            guard let cleared = state.sessions[sessionID]?.clear(keepSystem: keepSystem, at: timestamp) else { return 0 }
            state.totalBytes -= cleared.freedBytes
            return cleared.removed
        }
    }

    /// Sessions, most recently active first; counts are of visible entries.
    public func sessions(limit: Int) throws -> [SessionSummary] {
        try sessions(limit: limit, after: nil)
    }

    /// Sessions after `cursor` in the listing's order (most recently active first, then by id).
    public func sessions(limit: Int, after cursor: SessionCursor?) throws -> [SessionSummary] {
        let cap = limit > 0 ? limit : 100
        let all = state.withLock { state in
            state.sessions.compactMap { id, session -> SessionSummary? in
                let summary = SessionSummary(sessionID: id, entryCount: session.visibleCount, tokenCount: session.visibleTokens,
                                             createdAtMicros: session.createdAt, lastActivityMicros: session.lastActivity)
                return cursor.map { $0.admits(summary) } ?? true ? summary : nil
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
            guard let session = state.sessions.removeValue(forKey: sessionID) else {
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
