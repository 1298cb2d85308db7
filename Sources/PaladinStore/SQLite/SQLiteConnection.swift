import CSQLite

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe by itself: the store confines each connection to one `DatabaseWorker`
/// thread, and it is opened with `SQLITE_OPEN_NOMUTEX` accordingly.
public final class SQLiteConnection {
    let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens (creating when `create`) the database at `path` (":memory:" for a private one).
    /// - Throws: `SQLiteError` when the file cannot be opened.
    public init(path: String, readOnly: Bool = false, create: Bool = true) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        flags |= readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: code, message: message + " (\(path))")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (schema, pragmas, BEGIN/COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: code, message: message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, reset and kept for reuse by later calls.
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        let statement = try SQLiteStatement(sql, connection: self)
        cache[sql] = statement
        return statement
    }

    /// Waits up to `milliseconds` for a lock held by another connection before `SQLITE_BUSY`.
    public func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// The single integer a pragma or query returns (0 when it returns no row).
    public func integer(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try self.statement(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : 0
    }

    /// The single text a pragma or query returns ("" when it returns no row).
    public func text(_ sql: String) throws(SQLiteError) -> String {
        let statement = try self.statement(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.string(0) : ""
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last INSERT.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Whether a transaction is open.
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

// @unchecked: a connection is handed to one `DatabaseWorker` thread when the store opens and is
// used only there afterwards (tests use theirs on one task); it is never shared concurrently.
extension SQLiteConnection: @unchecked Sendable {}
