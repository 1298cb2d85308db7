/// Brings a database to a schema version, one transaction per step.
enum Migrator {
    /// Applies every step above the database's `user_version`, up to `target`.
    /// - Returns: the versions applied.
    /// - Throws: `StoreError.schemaTooNew` when the file is newer than this build;
    ///   `SQLiteError` when a step fails (that step is rolled back).
    @discardableResult
    static func migrate(_ connection: SQLiteConnection, upTo target: Int = Migrations.latest) throws -> [Int] {
        let current = Int(try connection.integer("PRAGMA user_version"))
        guard current <= Migrations.latest else {
            throw StoreError.schemaTooNew(found: current, supported: Migrations.latest)
        }
        var applied: [Int] = []
        for step in Migrations.all where step.version > current && step.version <= target {
            try connection.transaction {
                try connection.execute(step.sql)
                try connection.execute("PRAGMA user_version = \(step.version)")
            }
            applied.append(step.version)
        }
        return applied
    }
}
