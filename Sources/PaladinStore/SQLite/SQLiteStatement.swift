import CSQLite

/// `SQLITE_TRANSIENT`: SQLite copies bound text before `bind` returns (a macro in C).
let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A prepared statement: typed binds (1-based), stepping, and typed columns (0-based).
/// Owned by its `SQLiteConnection` and confined to the same thread.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// The SQL, for error messages.
    public let sql: String
    private unowned let connection: SQLiteConnection

    init(_ sql: String, connection: SQLiteConnection) throws(SQLiteError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(code: code, message: connection.lastErrorMessage, sql: sql)
        }
        self.handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets it for another run and clears its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Advances to the next row; false when done.
    /// - Throws: `SQLiteError` (a constraint violation, `SQLITE_BUSY` past the busy timeout...).
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(code: code, message: connection.lastErrorMessage, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps to the end, for statements that return no rows.
    public func run() throws(SQLiteError) {
        while try step() {}
    }
}
