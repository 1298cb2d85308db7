import Foundation
import Synchronization

/// A `GarrisonStore` in process memory, bounded by `GarrisonLimits`. Thread-safe; every
/// operation is a short critical section, so it is cheap enough to call from an event loop.
public final class InMemoryGarrisonStore: GarrisonStore {
    private struct Session {
        var entries: [GarrisonEntry] = []
        var createdAt: Int64
        var lastActivity: Int64
        var tokens = 0
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var nextID: UInt64 = 1
        var totalBytes = 0
    }

    private let state = Mutex(State())
    private let limits: GarrisonLimits
    private let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - limits: memory bounds.
    ///   - now: wall clock in microseconds since the epoch (injectable for tests).
    public init(limits: GarrisonLimits = GarrisonLimits(),
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }) {
        self.limits = limits
        self.now = now
    }

    public func append(_ entries: [GarrisonEntry], to sessionID: String) throws -> AppendOutcome {
        try SessionID.validate(sessionID)
        guard !entries.isEmpty, entries.count <= limits.maxEntriesPerAppend else {
            throw GarrisonError.invalidArgument(field: "entries", reason: "must hold 1 to \(limits.maxEntriesPerAppend) entries")
        }
        for (index, entry) in entries.enumerated() where !(0...100).contains(entry.importance) {
            throw GarrisonError.invalidArgument(field: "entries[\(index)].importance", reason: "must be 0 to 100")
        }
        let incomingBytes = entries.reduce(0) { $0 + $1.content.utf8.count }
        let timestamp = now()
        return try state.withLock { state throws(GarrisonError) in
            if state.sessions[sessionID] == nil && state.sessions.count >= limits.maxSessions {
                throw .capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
            }
            if state.totalBytes + incomingBytes > limits.maxTotalBytes {
                throw .capacityExceeded("the garrison holds its maximum of \(limits.maxTotalBytes) bytes")
            }
            var session = state.sessions[sessionID] ?? Session(createdAt: timestamp, lastActivity: timestamp)
            var ids: [UInt64] = []
            ids.reserveCapacity(entries.count)
            for var entry in entries {
                entry.id = state.nextID
                state.nextID += 1
                entry.sessionID = sessionID
                entry.createdAtMicros = timestamp
                if entry.tokenCount <= 0 { entry.tokenCount = TokenEstimator.estimate(entry.content) }
                session.tokens += entry.tokenCount
                session.entries.append(entry)
                ids.append(entry.id)
            }
            state.totalBytes += incomingBytes
            let evicted = Self.evictOldest(&session, keeping: limits.maxEntriesPerSession, totalBytes: &state.totalBytes)
            session.lastActivity = timestamp
            state.sessions[sessionID] = session
            return AppendOutcome(ids: ids, evicted: evicted)
        }
    }

    public func history(sessionID: String, limit: Int) throws -> [GarrisonEntry] {
        try SessionID.validate(sessionID)
        return state.withLock { state in
            guard let entries = state.sessions[sessionID]?.entries else { return [] }
            return limit > 0 && limit < entries.count ? Array(entries.suffix(limit)) : entries
        }
    }

    public func search(sessionID: String, query: String, limit: Int) throws -> [GarrisonEntry] {
        try SessionID.validate(sessionID)
        let words = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else {
            throw GarrisonError.invalidArgument(field: "query", reason: "must contain at least one word")
        }
        let cap = limit > 0 ? limit : 50
        let entries = state.withLock { $0.sessions[sessionID]?.entries ?? [] }
        var found: [GarrisonEntry] = []
        for entry in entries.reversed() where found.count < cap {
            let text = entry.content.lowercased()
            if words.allSatisfy({ text.contains($0) }) { found.append(entry) }
        }
        return found
    }

    public func clear(sessionID: String, keepSystem: Bool) throws -> Int {
        try SessionID.validate(sessionID)
        return state.withLock { state in
            guard var session = state.sessions[sessionID] else { return 0 }
            let before = session.entries.count
            let removed = session.entries.filter { !(keepSystem && $0.role == .system) }
            state.totalBytes -= removed.reduce(0) { $0 + $1.content.utf8.count }
            session.entries.removeAll { !(keepSystem && $0.role == .system) }
            session.tokens = session.entries.reduce(0) { $0 + $1.tokenCount }
            session.lastActivity = now()
            state.sessions[sessionID] = session
            return before - session.entries.count
        }
    }

    public func sessions(limit: Int) throws -> [SessionSummary] {
        let cap = limit > 0 ? limit : 100
        let all = state.withLock { state in
            state.sessions.map { id, s in
                SessionSummary(sessionID: id, entryCount: s.entries.count, tokenCount: s.tokens,
                               createdAtMicros: s.createdAt, lastActivityMicros: s.lastActivity)
            }
        }
        let sorted = all.sorted {
            ($0.lastActivityMicros, $1.sessionID) > ($1.lastActivityMicros, $0.sessionID)
        }
        return Array(sorted.prefix(cap))
    }

    public func deleteSession(_ sessionID: String) throws -> Int {
        try SessionID.validate(sessionID)
        return try state.withLock { state throws(GarrisonError) in
            guard let session = state.sessions.removeValue(forKey: sessionID) else {
                throw .sessionNotFound(sessionID)
            }
            state.totalBytes -= session.entries.reduce(0) { $0 + $1.content.utf8.count }
            return session.entries.count
        }
    }

    /// Drops the oldest non-system entries beyond `keeping`; returns how many went.
    private static func evictOldest(_ session: inout Session, keeping: Int, totalBytes: inout Int) -> Int {
        var excess = session.entries.lazy.filter { $0.role != .system }.count - keeping
        guard excess > 0 else { return 0 }
        let evicted = excess
        var bytes = 0, tokens = 0
        session.entries.removeAll { entry in
            guard excess > 0, entry.role != .system else { return false }
            excess -= 1
            bytes += entry.content.utf8.count
            tokens += entry.tokenCount
            return true
        }
        totalBytes -= bytes
        session.tokens -= tokens
        return evicted
    }
}
