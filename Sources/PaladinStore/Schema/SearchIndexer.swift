/// Fills the FTS5 index with entries appended since the last pass, oldest first, on the writer
/// connection. Rows deleted before they were indexed are simply never indexed.
enum SearchIndexer {
    /// Rows indexed per pass: short enough (a few ms) not to hold queued appends for long.
    static let batch = 256

    /// The id below or at which every entry is indexed.
    static func indexedThrough(_ db: SQLiteConnection) throws -> Int64 {
        try db.integer("SELECT indexed_through FROM search_index_state WHERE key = 1")
    }

    /// Indexes up to `limit` pending rows in the open transaction.
    /// - Returns: how many were indexed (0: caught up).
    @discardableResult
    static func indexPending(_ db: SQLiteConnection, limit: Int = batch) throws -> Int {
        let watermark = try indexedThrough(db)
        let last = try db.statement("""
            SELECT count(*), max(id) FROM (SELECT id FROM entries WHERE id > ?1 ORDER BY id LIMIT ?2)
            """)
        last.bind(watermark, at: 1)
        last.bind(limit, at: 2)
        _ = try last.step()
        let count = last.int(0)
        let through = last.int64(1)
        last.reset()
        guard count > 0 else { return 0 }
        let insert = try db.statement("""
            INSERT INTO entries_fts (rowid, content) SELECT id, content FROM entries WHERE id > ?1 AND id <= ?2
            """)
        insert.bind(watermark, at: 1)
        insert.bind(through, at: 2)
        try insert.run()
        let update = try db.statement("UPDATE search_index_state SET indexed_through = ?1 WHERE key = 1")
        update.bind(through, at: 1)
        try update.run()
        return count
    }
}
