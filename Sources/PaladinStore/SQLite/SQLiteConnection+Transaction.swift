/// Transactions and savepoints.
extension SQLiteConnection {
    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes the write lock at once, so a writer never fails half-way on `SQLITE_BUSY`.
        case immediate = "IMMEDIATE"
        /// Takes locks on first use; for read-only snapshots.
        case deferred = "DEFERRED"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try statement("BEGIN \(kind.rawValue)").run()  // cached: no parse per transaction
        do {
            let value = try body()
            try statement("COMMIT").run()
            return value
        } catch {
            if inTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the open transaction: released when it returns,
    /// rolled back (leaving the transaction open) when it throws.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try statement("SAVEPOINT job").run()
        do {
            let value = try body()
            try statement("RELEASE job").run()
            return value
        } catch {
            try? execute("ROLLBACK TO job")
            try? execute("RELEASE job")
            throw error
        }
    }
}
