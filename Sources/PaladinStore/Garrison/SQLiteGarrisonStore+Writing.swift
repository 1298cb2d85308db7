import PaladinCore

/// The SQL of writes, run on the writer thread inside its transaction.
extension SQLiteGarrisonStore {
    func append(_ entries: [PreparedEntry], to sessionID: String, at timestamp: Int64,
                in db: SQLiteConnection) throws -> AppendOutcome {
        var row = try session(sessionID, creatingAt: timestamp, in: db)
        let incomingSystem = entries.count { $0.role == 0 }
        try limits.checkSystemEntries(held: row.systemCount, incomingSystem: incomingSystem,
                                      incomingMessages: entries.count - incomingSystem, sessionID: sessionID)
        let incoming = entries.reduce(0) { $0 + $1.bytes }
        let stored = Int(try db.integer("SELECT bytes FROM totals WHERE key = 1"))
        guard stored + incoming <= limits.maxTotalBytes else {
            throw GarrisonError.capacityExceeded("the garrison holds its maximum of \(limits.maxTotalBytes) bytes")
        }
        let bytesBefore = row.bytes
        let insert = try db.statement("""
            INSERT INTO entries (session, role, content, token_count, importance, created_at, metadata)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        var ids: [UInt64] = []
        ids.reserveCapacity(entries.count)
        for entry in entries {
            insert.reset()
            insert.bind(row.key, at: 1)
            insert.bind(entry.role, at: 2)
            insert.bind(entry.content, at: 3)
            insert.bind(entry.tokens, at: 4)
            insert.bind(entry.importance, at: 5)
            insert.bind(timestamp, at: 6)
            insert.bind(entry.metadata, at: 7)
            try insert.run()
            ids.append(try StoredValue(table: "entries", row: .session(key: row.key)).id(db.lastInsertRowID, "id"))
            if entry.role == 0 { row.systemCount += 1 } else { row.messageCount += 1 }
            row.tokenTotal += entry.tokens
            row.bytes += entry.bytes
        }
        var evicted = try SessionEviction.evict(db, &row, policy: row.ownPolicy ?? defaultPolicy)
        // The per-session ceiling, system entries included, as in memory.
        let excess = min(row.systemCount + row.messageCount - limits.maxEntriesPerSession, row.messageCount)
        if excess > 0 { evicted += try SessionEviction.removeOldestMessages(db, &row, count: excess) }
        row.lastActivity = timestamp
        try save(row, bytesBefore: bytesBefore, in: db)
        return AppendOutcome(ids: ids, evicted: evicted)
    }

    /// The session's row, or a new empty session (checked against `GarrisonLimits.maxSessions`).
    func session(_ sessionID: String, creatingAt timestamp: Int64, in db: SQLiteConnection) throws -> SessionRow {
        if let row = try session(sessionID, in: db) { return row }
        let count = Int(try db.integer("SELECT count(*) FROM sessions"))
        guard count < limits.maxSessions else {
            throw GarrisonError.capacityExceeded("the garrison holds its maximum of \(limits.maxSessions) sessions")
        }
        let insert = try db.statement("INSERT INTO sessions (id, created_at, last_activity) VALUES (?1, ?2, ?2)")
        insert.bind(sessionID, at: 1)
        insert.bind(timestamp, at: 2)
        try insert.run()
        return SessionRow(newKey: db.lastInsertRowID, at: timestamp)
    }

    /// Writes `row`'s policy, counters and activity back, and moves the store's byte total by
    /// the change since `bytesBefore` (nil: read it first).
    func save(_ row: SessionRow, bytesBefore: Int?, in db: SQLiteConnection) throws {
        let before: Int
        if let bytesBefore {
            before = bytesBefore
        } else {
            let select = try db.statement("SELECT bytes FROM sessions WHERE key = ?1")
            select.bind(row.key, at: 1)
            before = try select.step() ? select.int(0) : 0
            select.reset()
        }
        let update = try db.statement("""
            UPDATE sessions SET last_activity = ?2, message_count = ?3, system_count = ?4, token_total = ?5, bytes = ?6,
                policy_eviction = ?7, policy_max_entries = ?8, policy_max_tokens = ?9, policy_preserve_recent = ?10
            WHERE key = ?1
            """)
        update.bind(row.key, at: 1)
        update.bind(row.lastActivity, at: 2)
        update.bind(row.messageCount, at: 3)
        update.bind(row.systemCount, at: 4)
        update.bind(row.tokenTotal, at: 5)
        update.bind(row.bytes, at: 6)
        update.bind(row.ownPolicy?.eviction.rawValue, at: 7)
        update.bind(row.ownPolicy?.maxEntries, at: 8)
        update.bind(row.ownPolicy?.maxTokens, at: 9)
        update.bind(row.ownPolicy?.preserveRecent, at: 10)
        try update.run()
        if row.bytes != before { try moveTotalBytes(by: row.bytes - before, in: db) }
    }

    func moveTotalBytes(by delta: Int, in db: SQLiteConnection) throws {
        let update = try db.statement("UPDATE totals SET bytes = bytes + ?1 WHERE key = 1")
        update.bind(delta, at: 1)
        try update.run()
    }

    /// The session's row, nil when there is none.
    func session(_ sessionID: String, in db: SQLiteConnection) throws -> SessionRow? {
        let select = try db.statement("SELECT \(SessionRow.columns) FROM sessions WHERE id = ?1")
        defer { select.reset() }
        select.bind(sessionID, at: 1)
        return try select.step() ? try SessionRow(select) : nil
    }
}
