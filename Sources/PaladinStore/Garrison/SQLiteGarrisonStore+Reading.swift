import PaladinCore

/// History, search and listing, on the reader threads.
extension SQLiteGarrisonStore {
    /// Search scans a session's newest this-many entries; only if they hold too few matches
    /// does it go through the FTS5 trigram index for the older ones (a store-wide index lookup
    /// costs more than scanning a small session, and common words match recent entries).
    static let scanSearchLimit = 2_000

    /// The newest `limit` visible entries (all when `limit <= 0`), oldest first.
    public func history(sessionID: String, limit: Int) async throws -> GarrisonHistory {
        try await history(sessionID: sessionID, limit: limit, before: nil, maxBytes: .max)
    }

    /// Visible entries containing every word of `query`, newest first; at most `limit` (50 when
    /// `limit <= 0`).
    public func search(sessionID: String, query: String, limit: Int) async throws -> [GarrisonEntry] {
        try await search(sessionID: sessionID, query: query, limit: limit, before: nil, maxBytes: .max)
    }

    /// Sessions, most recently active first (then by id).
    public func sessions(limit: Int) async throws -> [SessionSummary] {
        try await sessions(limit: limit, after: nil)
    }

    /// The newest `limit` visible entries (all when `limit <= 0`) with an id below `before`,
    /// oldest first: every system entry and, under a sliding window, only the window of the
    /// others. Rows are read newest first (a keyset on the id) until they hold `maxBytes`.
    public func history(sessionID: String, limit: Int, before: UInt64?, maxBytes: Int) async throws -> GarrisonHistory {
        try SessionID.validate(sessionID)
        let below = Self.idBound(before)
        return try await database.read { [self] db in
            guard let row = try self.session(sessionID, in: db) else { return [] }
            let firstVisible = try self.firstVisibleMessage(row, in: db)
            let select = try db.statement("""
                SELECT \(EntryCodec.columns) FROM entries WHERE session = ?1 AND (role = 0 OR id >= ?2) AND id < ?4
                ORDER BY id DESC LIMIT ?3
                """)
            defer { select.reset() }
            select.bind(row.key, at: 1)
            select.bind(firstVisible, at: 2)
            select.bind(limit > 0 ? limit : -1, at: 3)
            select.bind(below, at: 4)
            var found = ByteBoundedCollector<GarrisonEntry>(limit: limit, maxBytes: maxBytes)
            while found.wantsMore, try select.step() {
                found.take(try EntryCodec.entry(select, sessionID: sessionID), bytes: \.storedBytes)
            }
            return GarrisonHistory(Array(found.items.reversed()))
        }
    }

    /// `before` as an exclusive upper bound on SQLite's signed ids.
    static func idBound(_ before: UInt64?) -> Int64 {
        before.map { Int64(clamping: $0) } ?? .max
    }

    /// Visible entries with an id below `before` containing every word of `query`
    /// (case-insensitive substrings, as in memory), newest first; at most `limit` (50 when
    /// `limit <= 0`), read until they hold `maxBytes`.
    /// - Throws: `GarrisonError.invalidArgument` (field `query`) when it has no word.
    public func search(sessionID: String, query: String, limit: Int, before: UInt64?, maxBytes: Int) async throws -> [GarrisonEntry] {
        try SessionID.validate(sessionID)
        let words = query.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else {
            throw GarrisonError.invalidArgument(field: "query", reason: "must contain at least one word")
        }
        let cap = limit > 0 ? limit : 50
        let indexed = words.filter { $0.unicodeScalars.count >= 3 }
        let below = Self.idBound(before)
        return try await database.read { [self] db in
            guard let row = try self.session(sessionID, in: db) else { return [] }
            let firstVisible = try self.firstVisibleMessage(row, in: db)
            var found = ByteBoundedCollector<GarrisonEntry>(limit: cap, maxBytes: maxBytes)
            func take(_ row: SQLiteStatement) throws {
                found.take(try EntryCodec.entry(row, sessionID: sessionID), bytes: \.storedBytes)
            }
            // First the newest `scanSearchLimit` entries, scanned: recent matches of common
            // words are found without touching the index.
            let scan = try db.statement("""
                SELECT \(EntryCodec.columns) FROM entries WHERE session = ?1 AND (role = 0 OR id >= ?2) AND id < ?4
                ORDER BY id DESC LIMIT ?3
                """)
            scan.bind(row.key, at: 1)
            scan.bind(firstVisible, at: 2)
            scan.bind(indexed.isEmpty ? -1 : Self.scanSearchLimit, at: 3)
            scan.bind(below, at: 4)
            var scanned = 0
            var oldestScanned = below
            do {
                defer { scan.reset() }
                while found.wantsMore, try scan.step() {
                    scanned += 1
                    oldestScanned = scan.int64(0)
                    if Self.matches(scan, words) { try take(scan) }
                }
            }
            guard found.wantsMore, !indexed.isEmpty, scanned == Self.scanSearchLimit else { return found.items }
            // Then the older entries: first those the background indexer has not reached (the
            // newest ids), scanned; then the indexed ones, driven by the FTS5 index newest
            // first, so a query stops at `cap` matches instead of reading every match in the store.
            let indexedThrough = try SearchIndexer.indexedThrough(db)
            let tail = try db.statement("""
                SELECT \(EntryCodec.columns) FROM entries
                WHERE session = ?1 AND (role = 0 OR id >= ?2) AND id > ?3 AND id < ?4 ORDER BY id DESC
                """)
            tail.bind(row.key, at: 1)
            tail.bind(firstVisible, at: 2)
            tail.bind(indexedThrough, at: 3)
            tail.bind(oldestScanned, at: 4)
            do {
                defer { tail.reset() }
                while found.wantsMore, try tail.step() {
                    if Self.matches(tail, words) { try take(tail) }
                }
            }
            guard found.wantsMore else { return found.items }
            let select = try db.statement("""
                SELECT e.id, e.role, e.content, e.token_count, e.importance, e.created_at, e.metadata
                FROM entries_fts f JOIN entries e ON e.id = f.rowid
                WHERE entries_fts MATCH ?3 AND f.rowid < ?4 AND e.session = ?1 AND (e.role = 0 OR e.id >= ?2)
                ORDER BY f.rowid DESC
                """)
            defer { select.reset() }
            select.bind(row.key, at: 1)
            select.bind(firstVisible, at: 2)
            select.bind(indexed.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }.joined(separator: " AND "), at: 3)
            select.bind(min(oldestScanned, indexedThrough &+ 1), at: 4)
            while found.wantsMore, try select.step() {
                if Self.matches(select, words) { try take(select) }
            }
            return found.items
        }
    }

    /// The in-memory store's predicate: the content (column 2) contains every word, ignoring case.
    static func matches(_ row: SQLiteStatement, _ words: [String]) -> Bool {
        let text = row.string(2).lowercased()
        return words.allSatisfy { text.contains($0) }
    }

    /// Sessions after `cursor` (from the first when nil), most recently active first (then by
    /// id); counts are of visible entries.
    public func sessions(limit: Int, after cursor: SessionCursor?) async throws -> [SessionSummary] {
        let cap = limit > 0 ? limit : 100
        return try await database.read { [self] db in
            let select = try db.statement("""
                SELECT id, \(SessionRow.columns) FROM sessions
                WHERE ?2 IS NULL OR last_activity < ?2 OR (last_activity = ?2 AND id > ?3)
                ORDER BY last_activity DESC, id ASC LIMIT ?1
                """)
            select.bind(cap, at: 1)
            select.bind(cursor?.lastActivityMicros, at: 2)
            select.bind(cursor?.sessionID ?? "", at: 3)
            var rows: [(String, SessionRow)] = []
            do {
                defer { select.reset() }
                while try select.step() { rows.append((select.string(0), try SessionRow(select, from: 1))) }
            }
            return try rows.map { id, row in
                let hidden = row.hidden(under: row.ownPolicy ?? self.defaultPolicy)
                let hiddenTokens = try self.tokensOfOldestMessages(row.key, count: hidden, in: db)
                return SessionSummary(sessionID: id, entryCount: row.systemCount + row.messageCount - hidden,
                                      tokenCount: row.tokenTotal - hiddenTokens, createdAtMicros: row.createdAt,
                                      lastActivityMicros: row.lastActivity)
            }
        }
    }

    /// The id of the oldest visible non-system entry (0 when all are visible, `Int64.max` when
    /// none is): entries with a smaller id are outside a sliding window.
    func firstVisibleMessage(_ row: SessionRow, in db: SQLiteConnection) throws -> Int64 {
        let policy = row.ownPolicy ?? defaultPolicy
        guard row.hidden(under: policy) > 0 else { return 0 }
        let window = max(0, policy.maxEntries)
        guard window > 0 else { return Int64.max }
        let select = try db.statement("""
            SELECT id FROM entries WHERE session = ?1 AND role != 0 ORDER BY id DESC LIMIT 1 OFFSET ?2
            """)
        defer { select.reset() }
        select.bind(row.key, at: 1)
        select.bind(window - 1, at: 2)
        return try select.step() ? select.int64(0) : 0
    }

    func tokensOfOldestMessages(_ key: Int64, count: Int, in db: SQLiteConnection) throws -> Int {
        guard count > 0 else { return 0 }
        let select = try db.statement("""
            SELECT total(token_count) FROM (SELECT token_count FROM entries WHERE session = ?1 AND role != 0 ORDER BY id LIMIT ?2)
            """)
        defer { select.reset() }
        select.bind(key, at: 1)
        select.bind(count, at: 2)
        return try select.step() ? select.int(0) : 0
    }
}
