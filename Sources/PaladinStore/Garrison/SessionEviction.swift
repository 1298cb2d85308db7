import PaladinCore

/// The session's policy applied in SQL, inside the writer's transaction, with the same
/// semantics as the in-memory store (`EvictionPolicy`). FIFO and sliding window need only the
/// session's counters and one DELETE; token budget and importance, when over their limits, load
/// the session's messages (id, importance, tokens) and run `GarrisonEviction.evict` itself.
enum SessionEviction {
    /// Evicts what `policy` drops from the session, updating `row`'s counters.
    /// - Returns: how many entries were removed.
    static func evict(_ db: SQLiteConnection, _ row: inout SessionRow, policy: GarrisonPolicy) throws -> Int {
        let cap = max(0, policy.maxEntries)
        switch policy.eviction {
        case .fifo:
            guard row.messageCount > cap else { return 0 }
            return try removeOldestMessages(db, &row, count: row.messageCount - cap)
        case .slidingWindow:
            let (doubled, overflow) = cap.multipliedReportingOverflow(by: 2)
            guard row.messageCount > (overflow ? Int.max : doubled) else { return 0 }
            return try removeOldestMessages(db, &row, count: row.messageCount - cap)
        case .tokenBudget, .importance:
            let budget = policy.maxTokens.map { max(0, $0) }
            guard row.messageCount > cap || budget.map({ row.tokenTotal > $0 }) == true else { return 0 }
            return try evictByScan(db, &row, policy: policy)
        }
    }

    /// Removes the `count` oldest non-system entries.
    static func removeOldestMessages(_ db: SQLiteConnection, _ row: inout SessionRow, count: Int) throws -> Int {
        guard count > 0 else { return 0 }
        let delete = try db.statement("""
            DELETE FROM entries WHERE id IN (SELECT id FROM entries WHERE session = ?1 AND role != 0 ORDER BY id LIMIT ?2)
            RETURNING token_count, \(EntryCodec.storedBytesSQL)
            """)
        delete.bind(row.key, at: 1)
        delete.bind(count, at: 2)
        var removed = 0
        while try delete.step() {
            removed += 1
            row.tokenTotal -= delete.int(0)
            row.bytes -= delete.int(1)
        }
        row.messageCount -= removed
        return removed
    }

    /// Loads the messages, runs the shared algorithm, deletes what it evicted.
    private static func evictByScan(_ db: SQLiteConnection, _ row: inout SessionRow, policy: GarrisonPolicy) throws -> Int {
        let select = try db.statement("""
            SELECT id, importance, token_count FROM entries WHERE session = ?1 AND role != 0 ORDER BY id
            """)
        select.bind(row.key, at: 1)
        var entries: [GarrisonEntry] = [GarrisonEntry(sessionID: "", role: .system, content: "")]
        entries.reserveCapacity(row.messageCount + 1)
        var messageTokens = 0
        while try select.step() {
            let check = StoredValue(table: "entries", row: .sessionEntry(key: row.key, entry: select.int64(0)))
            let tokens = try check.count(select.int64(2), "token_count", max: Int64(GarrisonEntry.maxTokenCount))
            messageTokens += tokens
            entries.append(GarrisonEntry(id: try check.id(select.int64(0), "id"), sessionID: "", role: .user, content: "",
                                         tokenCount: tokens, importance: try check.count(select.int64(1), "importance", max: 100)))
        }
        // One stand-in system entry carries the tokens of every system entry (never evicted).
        entries[0].tokenCount = row.tokenTotal - messageTokens
        let evicted = GarrisonEviction.evict(entries: &entries, policy: policy)
        let delete = try db.statement("DELETE FROM entries WHERE id = ?1 RETURNING token_count, \(EntryCodec.storedBytesSQL)")
        for entry in evicted {
            delete.reset()
            delete.bind(Int64(entry.id), at: 1)
            if try delete.step() {
                row.tokenTotal -= delete.int(0)
                row.bytes -= delete.int(1)
                row.messageCount -= 1
            }
            _ = try delete.step()
        }
        return evicted.count
    }
}
