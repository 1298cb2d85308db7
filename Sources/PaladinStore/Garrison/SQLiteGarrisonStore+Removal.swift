import PaladinCore

/// Clearing, deleting and expiring sessions.
extension SQLiteGarrisonStore {
    /// Removes the session's entries (all but system ones when `keepSystem`), keeping its
    /// policy. Returns how many visible entries went; out-of-window ones go too, uncounted.
    public func clear(sessionID: String, keepSystem: Bool) async throws -> Int {
        try SessionID.validate(sessionID)
        let timestamp = now()
        return try await database.write { [self] db in
            guard var row = try self.session(sessionID, in: db) else { return 0 }
            let hidden = row.hidden(under: row.ownPolicy ?? self.defaultPolicy)
            let removed = row.messageCount - hidden + (keepSystem ? 0 : row.systemCount)
            let bytesBefore = row.bytes
            let delete = try db.statement(keepSystem
                                          ? "DELETE FROM entries WHERE session = ?1 AND role != 0"
                                          : "DELETE FROM entries WHERE session = ?1")
            delete.bind(row.key, at: 1)
            try delete.run()
            let left = try db.statement("""
                SELECT count(*), total(token_count), total(\(EntryCodec.storedBytesSQL)) FROM entries WHERE session = ?1
                """)
            left.bind(row.key, at: 1)
            _ = try left.step()
            row.systemCount = left.int(0)
            row.tokenTotal = left.int(1)
            row.bytes = left.int(2)
            left.reset()
            row.messageCount = 0
            row.lastActivity = timestamp
            try self.save(row, bytesBefore: bytesBefore, in: db)
            return removed
        }
    }

    /// Removes a session, its entries and its policy; returns how many visible entries went.
    /// - Throws: `GarrisonError.sessionNotFound`.
    public func deleteSession(_ sessionID: String) async throws -> Int {
        try SessionID.validate(sessionID)
        return try await database.write { [self] db in
            guard let row = try self.session(sessionID, in: db) else { throw GarrisonError.sessionNotFound(sessionID) }
            try self.remove(row, in: db)
            return row.systemCount + row.messageCount - row.hidden(under: row.ownPolicy ?? self.defaultPolicy)
        }
    }

    /// Deletes every session idle (no append, clear or policy change) since before
    /// `now - ttl`. Returns how many sessions went.
    @discardableResult
    public func removeIdleSessions(olderThan ttl: Duration) async throws -> Int {
        let micros = ttl.components.seconds * 1_000_000 + ttl.components.attoseconds / 1_000_000_000_000
        let cutoff = now() - micros
        return try await database.write { [self] db in
            let select = try db.statement("SELECT \(SessionRow.columns) FROM sessions WHERE last_activity < ?1")
            select.bind(cutoff, at: 1)
            var idle: [SessionRow] = []
            do {
                defer { select.reset() }
                while try select.step() { idle.append(try SessionRow(select)) }
            }
            for row in idle { try self.remove(row, in: db) }
            return idle.count
        }
    }

    /// Runs `removeIdleSessions(olderThan: ttl)` every `interval` until the task is cancelled
    /// (the server runs it beside its other services when `store.session_ttl` is set). A failed
    /// pass is retried at the next interval.
    public func runCleanup(ttl: Duration, every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            _ = try? await removeIdleSessions(olderThan: ttl)
        }
    }

    private func remove(_ row: SessionRow, in db: SQLiteConnection) throws {
        let entries = try db.statement("DELETE FROM entries WHERE session = ?1")
        entries.bind(row.key, at: 1)
        try entries.run()
        let session = try db.statement("DELETE FROM sessions WHERE key = ?1")
        session.bind(row.key, at: 1)
        try session.run()
        if row.bytes != 0 { try moveTotalBytes(by: -row.bytes, in: db) }
    }
}
