import Foundation
import PaladinCore

/// A `GarrisonStore` in SQLite: sessions and entries that survive restarts and crashes.
///
/// It follows `InMemoryGarrisonStore` exactly (ids increasing store-wide, token counting,
/// policies and their eviction on every append, sliding-window visibility, ordering, limits and
/// errors), so the two are interchangeable; the shared behavioural tests run against both.
/// Writes go to the database's writer thread (concurrent appends share one commit); reads to
/// its reader threads. `search` uses an FTS5 trigram index for large sessions.
public final class SQLiteGarrisonStore: GarrisonStore {
    /// The database it writes to (shared with a `SQLiteRunStore` if wanted).
    public let database: SQLiteDatabase
    let limits: GarrisonLimits
    /// The policy of sessions that were given none with `setPolicy(_:for:)`.
    public let defaultPolicy: GarrisonPolicy
    private let tokenCounter: any TokenCounter
    let now: @Sendable () -> Int64

    /// Limits suited to a disk store: the in-memory defaults, but 1,000,000 sessions and 64 GiB.
    public static var defaultLimits: GarrisonLimits {
        var limits = GarrisonLimits()
        limits.maxSessions = 1_000_000
        limits.maxTotalBytes = 64 << 30
        return limits
    }

    /// - Parameters:
    ///   - database: the open database (shared with a `SQLiteRunStore` if wanted).
    ///   - limits: global bounds, as for the in-memory store.
    ///   - defaultPolicy: nil means FIFO at `limits.maxEntriesPerSession`, as in memory.
    ///   - tokenCounter: counts tokens of entries appended with `tokenCount <= 0`.
    ///   - now: wall clock, microseconds since the epoch (injectable for tests).
    public init(database: SQLiteDatabase, limits: GarrisonLimits = SQLiteGarrisonStore.defaultLimits,
                defaultPolicy: GarrisonPolicy? = nil, tokenCounter: any TokenCounter = EstimatingTokenCounter(),
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }) {
        self.database = database
        self.limits = limits
        self.defaultPolicy = defaultPolicy ?? GarrisonPolicy(eviction: .fifo, maxEntries: limits.maxEntriesPerSession)
        self.tokenCounter = tokenCounter
        self.now = now
    }

    /// Appends atomically (every entry or none) and applies the session's policy, as
    /// `InMemoryGarrisonStore.append` does; returns once the write is committed.
    public func append(_ entries: [GarrisonEntry], to sessionID: String) async throws -> AppendOutcome {
        try SessionID.validate(sessionID)
        let prepared = try PreparedEntry.prepare(entries, limits: limits, counter: tokenCounter)
        let timestamp = now()
        return try await database.write { [self] db in
            try self.append(prepared, to: sessionID, at: timestamp, in: db)
        }
    }

    /// Appends to several sessions in one transaction (all or nothing): the bulk path for
    /// imports and batched writers. Outcomes are in the order of `batches`.
    public func append(batches: [(sessionID: String, entries: [GarrisonEntry])]) async throws -> [AppendOutcome] {
        var work: [(String, [PreparedEntry])] = []
        work.reserveCapacity(batches.count)
        for batch in batches {
            try SessionID.validate(batch.sessionID)
            work.append((batch.sessionID, try PreparedEntry.prepare(batch.entries, limits: limits, counter: tokenCounter)))
        }
        let timestamp = now()
        let prepared = work
        return try await database.write { [self] db in
            try prepared.map { try self.append($0.1, to: $0.0, at: timestamp, in: db) }
        }
    }

    /// Gives `sessionID` its own policy (creating the session) and applies it at once, dropping
    /// first what a previous sliding window held out of sight, as the in-memory store does.
    /// - Returns: how many entries were evicted, out-of-window ones included.
    @discardableResult
    public func setPolicy(_ policy: GarrisonPolicy, for sessionID: String) async throws -> Int {
        try SessionID.validate(sessionID)
        try policy.validate()
        let timestamp = now()
        return try await database.write { [self] db in
            var row = try self.session(sessionID, creatingAt: timestamp, in: db)
            let hidden = row.hidden(under: row.ownPolicy ?? defaultPolicy)
            var evicted = try SessionEviction.removeOldestMessages(db, &row, count: hidden)
            evicted += try SessionEviction.evict(db, &row, policy: policy)
            row.ownPolicy = policy
            row.lastActivity = timestamp
            try self.save(row, bytesBefore: nil, in: db)
            return evicted
        }
    }

    /// The policy `sessionID` follows: its own, else `defaultPolicy`.
    public func policy(for sessionID: String) async throws -> GarrisonPolicy {
        try SessionID.validate(sessionID)
        let row = try await database.read { [self] db in try self.session(sessionID, in: db) }
        return row?.ownPolicy ?? defaultPolicy
    }
}
