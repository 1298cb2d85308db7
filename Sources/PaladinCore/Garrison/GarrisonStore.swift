/// The port for conversation memory: one implementation in memory (`InMemoryGarrisonStore`),
/// one on SQLite (PaladinStore). Every method validates its input and throws `GarrisonError`.
public protocol GarrisonStore: Sendable {
    /// Appends entries to a session (created on first append), atomically, then applies the
    /// session's eviction policy (`GarrisonPolicy`) and the store's per-session entry limit
    /// (`GarrisonLimits.maxEntriesPerSession`, system entries included); system entries are never
    /// evicted, so an append that would leave no room beside them is refused.
    func append(_ entries: [GarrisonEntry], to sessionID: String) async throws -> AppendOutcome
    /// The newest `limit` entries (all when 0) with an id below `before` (any when nil), oldest
    /// first. Under a sliding-window policy, only the window (and the system entries) is visible.
    /// Reading stops, newest first, once the entries taken hold `maxBytes`
    /// (`GarrisonEntry.storedBytes`); the newest entry is always taken. Paged reads walk
    /// toward older entries by passing the oldest id of the previous page as `before`.
    func history(sessionID: String, limit: Int, before: UInt64?, maxBytes: Int) async throws -> GarrisonHistory
    /// `history(sessionID:limit:before:maxBytes:)` from the newest entry, unbounded in bytes.
    func history(sessionID: String, limit: Int) async throws -> GarrisonHistory
    /// Entries with an id below `before` (any when nil) containing every word of `query`
    /// (case-insensitive), newest first; `maxBytes` bounds them as in `history`.
    func search(sessionID: String, query: String, limit: Int, before: UInt64?, maxBytes: Int) async throws -> [GarrisonEntry]
    /// `search(sessionID:query:limit:before:maxBytes:)` from the newest entry, unbounded in bytes.
    func search(sessionID: String, query: String, limit: Int) async throws -> [GarrisonEntry]
    /// Removes a session's entries (keeping system entries when asked); returns how many.
    func clear(sessionID: String, keepSystem: Bool) async throws -> Int
    /// Sessions, most recently active first (then by id), after `cursor` in that order (from
    /// the first when nil).
    func sessions(limit: Int, after cursor: SessionCursor?) async throws -> [SessionSummary]
    /// `sessions(limit:after:)` from the first.
    func sessions(limit: Int) async throws -> [SessionSummary]
    /// Removes a session and its entries; returns how many entries went.
    /// - Throws: `GarrisonError.sessionNotFound`.
    func deleteSession(_ sessionID: String) async throws -> Int
    /// Sets a session's eviction policy (creating the session) and applies it at once;
    /// returns how many entries it evicted.
    @discardableResult
    func setPolicy(_ policy: GarrisonPolicy, for sessionID: String) async throws -> Int
}

/// Why a garrison operation was refused.
public enum GarrisonError: Error, Hashable, Sendable {
    /// The session id is empty, too long or has characters outside `[A-Za-z0-9._:-]`.
    case invalidSessionID(String)
    /// An argument is out of range; `field` names it.
    case invalidArgument(field: String, reason: String)
    case sessionNotFound(String)
    /// The store is full (its byte or session budget); nothing was written.
    case capacityExceeded(String)
}
