import Logging
import PaladinStore
import PaladinWire

/// Maps failures of the SQLite store to the status a caller can act on, in one place for every
/// service: a full disk is RESOURCE_EXHAUSTED, a read-only file FAILED_PRECONDITION, a full job
/// queue RESOURCE_EXHAUSTED with a retry hint, a corrupt row or file DATA_LOSS (logged with the
/// row and column, since the operator must repair it).
enum StoreFailures {
    static let logger = Logger(label: "paladin.store")

    /// The hint given with "database busy": the queue drains in a moment.
    static let busyRetryAfterMilliseconds = 100

    // SQLite primary result codes (sqlite3.h).
    private static let sqliteBusy: Int32 = 5
    private static let sqliteLocked: Int32 = 6
    private static let sqliteReadOnly: Int32 = 8
    private static let sqliteIOError: Int32 = 10
    private static let sqliteCorrupt: Int32 = 11
    private static let sqliteFull: Int32 = 13
    private static let sqliteCantOpen: Int32 = 14
    private static let sqliteNotADatabase: Int32 = 26

    /// The status for a store failure; nil when `error` is not one.
    static func status(for error: any Error) -> RPCError? {
        switch error {
        case let error as StoreError: status(ofStore: error)
        case let error as SQLiteError: status(ofSQLite: error)
        default: nil
        }
    }

    static func status(ofStore error: StoreError) -> RPCError {
        switch error {
        case .closed:
            return RPCError(.unavailable, "the database is closed (the server is shutting down)")
        case .busy(let limit):
            return RPCError(.resourceExhausted, "database busy: \(limit) jobs already queued (limit store.max_queued_jobs); retry later",
                            details: [RPCError.retryAfterKey: String(busyRetryAfterMilliseconds)])
        case .corruptRow(let table, let column, let row, let problem):
            logger.error("corrupt row in the database", metadata: [
                "table": "\(table)", "column": "\(column)", "row": "\(row)", "problem": "\(problem)",
            ])
            return RPCError(.dataLoss, "stored data is corrupt: \(table).\(column) of \(row): \(problem)")
        case .schemaTooNew(let found, let supported):
            return RPCError(.failedPrecondition, "database schema \(found) is newer than this server's \(supported)")
        case .cannotCreateDirectory(let directory):
            return RPCError(.unavailable, "cannot create the database directory \(directory)")
        }
    }

    static func status(ofSQLite error: SQLiteError) -> RPCError {
        switch error.primaryCode {
        case sqliteFull:
            return RPCError(.resourceExhausted, "database is full (no space left on the disk or the file's size limit reached); writes fail, reads still work")
        case sqliteReadOnly:
            return RPCError(.failedPrecondition, "database is read-only; writes fail, reads still work")
        case sqliteCorrupt, sqliteNotADatabase:
            logger.error("corrupt database file", metadata: ["sqlite_error": "\(error)"])
            return RPCError(.dataLoss, "database file is corrupt: \(error.message)")
        case sqliteBusy, sqliteLocked:
            return RPCError(.unavailable, "database is locked by another connection: \(error.message)")
        case sqliteIOError, sqliteCantOpen:
            return RPCError(.unavailable, "database I/O error: \(error.message)")
        default:
            return RPCError(.internal, "database error: \(error)")
        }
    }
}
