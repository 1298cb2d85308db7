import Foundation
import Synchronization

/// A `GarrisonStore` in process memory. Thread-safe; every operation is a short critical
/// section, so it is cheap enough to call from an event loop. The exceptions are bounded by
/// what they touch: `sessions` lists every session and counts the token counts owed since the
/// last listing, under the lock; a write that races a live `GarrisonHistory` view copies that
/// session's ring.
///
/// Each session forgets by its own `GarrisonPolicy` (`setPolicy(_:for:)`, else the store's
/// `defaultPolicy`), applied after every append; `GarrisonLimits` is the global safety net
/// (sessions, total bytes, entries per append). System entries are never evicted.
///
/// Costs: a session keeps its system entries in an array and the others in a ring buffer, so
/// an append costs O(entries appended + entries evicted) under FIFO, sliding window and token
/// budget (amortized, for the sliding window's batches), and `history(limit:)` O(1) (a view of
/// the session's storage, decision 39); neither depends on the session's size. Importance eviction scans the session: O(session size) per
/// evicted entry. Search is O(session size), outside the lock.
public final class InMemoryGarrisonStore: GarrisonStore {
    private struct State {
        var sessions: [String: GarrisonSession] = [:]
        var nextID: UInt64 = 1
        var totalBytes = 0
        /// The session last looked up and its index, so that repeated operations on one session
        /// compare its id instead of hashing it. Replaced on every insertion, cleared on removal
        /// (the only changes that can invalidate a dictionary index).
        private var recentID = ""
        private var recentIndex: [String: GarrisonSession].Index?

        /// The index of session `id`, if it exists.
        @inline(__always)
        mutating func index(of id: String) -> [String: GarrisonSession].Index? {
            if let recentIndex, recentID == id { return recentIndex }
            guard let found = sessions.index(forKey: id) else { return nil }
            recentID = id
            recentIndex = found
            return found
        }

        /// Adds a session that does not exist yet; returns its index.
        mutating func insert(_ session: GarrisonSession, for id: String) -> [String: GarrisonSession].Index {
            sessions[id] = session
            let index = sessions.index(forKey: id)!
            recentID = id
            recentIndex = index
            return index
        }

        /// Calls `body` with session `index` in place. Reads go through here too: the dictionary's
        /// `_modify` accessor lends the session, where its getter would copy it (retaining
        /// every field).
        @inline(__always)
        mutating func withSession<Result>(_ index: [String: GarrisonSession].Index,
                                          _ body: (inout GarrisonSession) -> Result) -> Result {
            body(&sessions.values[index])
        }

        /// Removes session `id`; returns it if it existed.
        mutating func remove(_ id: String) -> GarrisonSession? {
            recentIndex = nil
            return sessions.removeValue(forKey: id)
        }
    }

    private let state = Mutex(State())
    /// How many sessions follow a policy that needs tokens (`GarrisonPolicy.needsTokens`),
    /// changed only under the lock and read without it: appends count tokens before taking the
    /// lock only when some session may need them.
    private let tokenPolicySessions = Atomic<Int>(0)

    /// Keeps `tokenPolicySessions` in step when a session's need for tokens goes from `old` to
    /// `new` (a session that does not exist needs none). Called under the lock.
    private func tokenNeedChanged(from old: Bool, to new: Bool) {
        if old != new { tokenPolicySessions.add(new ? 1 : -1, ordering: .relaxed) }
    }
    private let limits: GarrisonLimits
    /// The policy of sessions that were given none with `setPolicy(_:for:)`.
    public let defaultPolicy: GarrisonPolicy
    private let tokenCounter: any TokenCounter
    private let sharedTokenCounter: SharedTokenCounter?
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
        self.sharedTokenCounter = SharedTokenCounter.sharing(tokenCounter)
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
            let index: [String: GarrisonSession].Index
            let neededTokens: Bool
            if let existing = state.index(of: sessionID) {
                index = existing
                neededTokens = state.sessions.values[index].policy.needsTokens
            } else {
                guard state.sessions.count < limits.maxSessions else {
                    throw .capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
                }
                index = state.insert(GarrisonSession(policy: defaultPolicy, createdAt: timestamp), for: sessionID)
                neededTokens = false
            }
            tokenNeedChanged(from: neededTokens, to: policy.needsTokens)
            let (evicted, freed) = state.sessions.values[index].apply(policy, counter: tokenCounter, at: timestamp)
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
    /// by the store's `TokenCounter`: at once when the session's policy needs tokens, else when
    /// first read (`history`, `search`, `sessions`), so an append does not scan its content.
    /// `AppendOutcome.evicted` is the number of entries the policy removed from memory, which may
    /// include entries of this very append.
    /// - Throws: `GarrisonError.invalidSessionID`; `.invalidArgument` for an empty or oversized
    ///   batch, an importance outside 0...100 or a `tokenCount` above
    ///   `GarrisonEntry.maxTokenCount`; `.capacityExceeded` when a new session or the bytes
    ///   would exceed `GarrisonLimits` (checked before eviction).
    public func append(_ entries: [GarrisonEntry], to sessionID: String) throws -> AppendOutcome {
        if entries.count == 1 { return try appendOne(entries, to: sessionID) }
        // The session id is checked under the lock when its session does not exist yet (an existing
        // one was checked when it was made), and first when the entries are refused (decision 41).
        // Orders tried in decision 39 made the compiler heap-allocate callers' one-entry array
        // literals; this one keeps them on the stack (CoreBench's add rows: 0 mallocs).
        let (incomingBytes, problem) = inspect(entries)
        if let problem {
            try SessionID.validate(sessionID)  // a bad id is reported before bad entries
            throw problem
        }
        let timestamp = now()
        // Tokens a policy needs are counted outside the lock (a counter may be slow), on the stack
        // for small batches; when no session can need them, they are left owed (decision 39).
        guard mayNeedTokens else {
            return try state.withLock { state throws(GarrisonError) in
                try store(entries, in: &state, sessionID: sessionID, bytes: incomingBytes, tokens: nil, at: timestamp)
            }
        }
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: entries.count) { tokens throws(GarrisonError) in
            for (index, entry) in entries.enumerated() {
                tokens[index] = StoredGarrisonEntry.tokens(for: entry, counter: tokenCounter, countNow: true)!
            }
            return try state.withLock { state throws(GarrisonError) in
                try store(entries, in: &state, sessionID: sessionID, bytes: incomingBytes, tokens: tokens, at: timestamp)
            }
        }
    }

    /// `append` of `entries`' one entry (an agent's turn, the common case): the same checks in the
    /// same order, without the batch's loops and token buffer (decision 42). It takes the array,
    /// not the entry: reading `entries[0]` in place saves copying it (retaining three fields).
    @inline(__always)
    private func appendOne(_ entries: [GarrisonEntry], to sessionID: String) throws -> AppendOutcome {
        if let problem = limits.maxEntriesPerAppend < 1 ? countProblem : Self.problem(with: entries[0], at: 0) {
            try SessionID.validate(sessionID)  // a bad id is reported before bad entries
            throw problem
        }
        let incomingBytes = entries[0].content.utf8.count
        let timestamp = now()
        let tokens = mayNeedTokens ? StoredGarrisonEntry.tokens(for: entries[0], counter: tokenCounter, countNow: true) : nil
        return try state.withLock { state throws(GarrisonError) in
            let (index, id) = try admit(1, bytes: incomingBytes, to: sessionID, in: &state, at: timestamp)
            let (evicted, freed) = state.withSession(index) {
                $0.appendOne(entries, id: id, tokens: tokens, counter: tokenCounter, at: timestamp)
            }
            state.totalBytes += incomingBytes - freed
            return AppendOutcome(firstID: id, count: 1, evicted: evicted)
        }
    }

    /// Whether some session may follow a policy that needs tokens counted on append.
    private var mayNeedTokens: Bool {
        defaultPolicy.needsTokens || tokenPolicySessions.load(ordering: .relaxed) > 0
    }

    /// The bytes of `entries` and the first reason to refuse them (count, importance, token
    /// count), if any.
    @inline(__always)
    private func inspect(_ entries: [GarrisonEntry]) -> (bytes: Int, problem: GarrisonError?) {
        guard !entries.isEmpty, entries.count <= limits.maxEntriesPerAppend else { return (0, countProblem) }
        var bytes = 0
        for index in entries.indices {
            if let problem = Self.problem(with: entries[index], at: index) { return (0, problem) }
            bytes += entries[index].content.utf8.count
        }
        return (bytes, nil)
    }

    /// The refusal of an append with no entry or more than the limits allow.
    private var countProblem: GarrisonError {
        .invalidArgument(field: "entries", reason: "must hold 1 to \(limits.maxEntriesPerAppend) entries")
    }

    /// Why `entry`, at `index` of its append, is refused (importance, token count), if it is.
    @inline(__always)
    private static func problem(with entry: GarrisonEntry, at index: Int) -> GarrisonError? {
        guard (0...100).contains(entry.importance) else {
            return .invalidArgument(field: "entries[\(index)].importance", reason: "must be 0 to 100")
        }
        guard entry.tokenCount <= GarrisonEntry.maxTokenCount else {
            return .invalidArgument(field: "entries[\(index)].tokenCount",
                                    reason: "must be at most \(GarrisonEntry.maxTokenCount)")
        }
        return nil
    }

    /// The locked part of a batch `append`: admission, then the entries and eviction.
    @inline(__always)
    private func store(_ entries: [GarrisonEntry], in state: inout State, sessionID: String, bytes incomingBytes: Int,
                       tokens: UnsafeMutableBufferPointer<Int>?, at timestamp: Int64) throws(GarrisonError) -> AppendOutcome {
        let (index, firstID) = try admit(entries.count, bytes: incomingBytes, to: sessionID, in: &state, at: timestamp)
        let (evicted, freed) = state.withSession(index) {
            $0.append(entries, firstID: firstID, tokens: tokens, counter: tokenCounter, at: timestamp)
        }
        state.totalBytes += incomingBytes - freed
        return AppendOutcome(firstID: firstID, count: entries.count, evicted: evicted)
    }

    /// Admits `count` entries of `incomingBytes` to `sessionID` under the lock: checks the id of a
    /// session that does not exist yet and the limits, takes the ids, and creates the session on
    /// first use. Returns the session's index and the first id.
    @inline(__always)
    private func admit(_ count: Int, bytes incomingBytes: Int, to sessionID: String, in state: inout State,
                       at timestamp: Int64) throws(GarrisonError) -> ([String: GarrisonSession].Index, UInt64) {
        var index = state.index(of: sessionID)
        // An existing session's id was checked when the session was made.
        if index == nil { try SessionID.validate(sessionID) }
        if index == nil && state.sessions.count >= limits.maxSessions {
            throw .capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
        }
        guard state.totalBytes + incomingBytes <= limits.maxTotalBytes else {
            throw .capacityExceeded("the garrison holds its maximum of \(limits.maxTotalBytes) bytes")
        }
        let firstID = state.nextID
        state.nextID += UInt64(count)
        if index == nil {
            index = state.insert(GarrisonSession(policy: defaultPolicy, createdAt: timestamp), for: sessionID)
            tokenNeedChanged(from: false, to: defaultPolicy.needsTokens)
        }
        return (index!, firstID)
    }

    /// The newest `limit` visible entries (all when `limit <= 0`), oldest first: every system
    /// entry and, under a sliding window, only the window of the others. O(1) when no system
    /// entry is among them: the result is a view of the session's storage (`GarrisonHistory`);
    /// otherwise O(limit). Token counts still owed are counted as entries are read.
    public func history(sessionID: String, limit: Int) throws -> GarrisonHistory {
        var found = true
        let history = state.withLock { state -> GarrisonHistory in
            guard let index = state.index(of: sessionID) else {
                found = false
                return []
            }
            return state.withSession(index) { $0.newest(limit, sessionID: sessionID, counter: sharedTokenCounter) }
        }
        // An existing session's id was checked when the session was made.
        if !found { try SessionID.validate(sessionID) }
        return history
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
            if words.allSatisfy({ text.contains($0) }) {
                found.append(entry.entry(sessionID: sessionID, counter: tokenCounter))
            }
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
            // Owed token counts are counted here, under the lock, once (decision 39).
            for index in state.sessions.indices { state.sessions.values[index].settleTokens(tokenCounter) }
            return state.sessions.map { id, session in
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
            tokenNeedChanged(from: session.policy.needsTokens, to: false)
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
