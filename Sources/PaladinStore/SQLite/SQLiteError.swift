import CSQLite

/// A failed SQLite call: the result code, SQLite's message and the statement, when there was one.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The (extended) SQLite result code, e.g. 5 for `SQLITE_BUSY`, 19 for `SQLITE_CONSTRAINT`.
    public var code: Int32
    public var message: String
    /// The SQL that failed, when the error came from a statement.
    public var sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of `code`).
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " (in \($0))" } ?? "")
    }
}

/// Failures of the store as a whole, outside SQL.
public enum StoreError: Error, Hashable, Sendable {
    /// The store was closed; no more work is accepted.
    case closed
    /// The database file's schema is newer than this build knows (`found` > `supported`).
    case schemaTooNew(found: Int, supported: Int)
    /// The database directory could not be created.
    case cannotCreateDirectory(String)
    /// The queue of database jobs is full (`limit` waiting, `store.max_queued_jobs`): the job was
    /// refused at once rather than queued. Retrying later may succeed.
    case busy(limit: Int)
    /// A stored row holds a value no write of this store produces (a negative id, an unknown
    /// role or status): the row is not used. `table`, `column` and `row` name it for the log.
    case corruptRow(table: String, column: String, row: String, problem: String)
}
