import PaladinCore

/// A `CatalogStore` in SQLite (table `catalog`, migration v6): paladins and battalions created
/// over the wire survive a restart. Each write is one statement in the writer's group commit,
/// acknowledged once it is durable.
public final class SQLiteCatalogStore: CatalogStore {
    /// The database it writes to (shared with the garrison and run stores).
    public let database: SQLiteDatabase

    /// - Parameter database: the open database.
    public init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Every record, paladins first, each kind by name.
    /// - Throws: `StoreError.corruptRow` for a row of an unknown kind, a version out of range or a
    ///   name that is not UTF-8.
    public func records() async throws -> [CatalogRecord] {
        try await database.read { db in
            let select = try db.statement("""
                SELECT kind, name, version, definition, created_at, updated_at FROM catalog
                ORDER BY CASE kind WHEN 'paladin' THEN 0 ELSE 1 END, name
                """)
            defer { select.reset() }
            var records: [CatalogRecord] = []
            while try select.step() {
                let kindText = select.string(0), name = select.string(1)
                let row = StoredValue(table: "catalog", row: .catalog(kind: kindText, name: name))
                let version = try row.count(select.int64(2), "version")
                guard version > 0 else { throw row.corrupt("version", "version 0") }
                records.append(CatalogRecord(kind: try row.value(CatalogRecord.Kind.self, kindText, "kind"),
                                             name: try row.text(select, 1, "name"), version: UInt64(version),
                                             definition: select.bytes(3),
                                             createdAtMicros: select.int64(4), updatedAtMicros: select.int64(5)))
            }
            return records
        }
    }

    /// Stores a record, replacing the one of the same kind and name. Written even when the
    /// caller is cancelled: the catalog applies a change in memory only after it is stored.
    public func save(_ record: CatalogRecord) async throws {
        try await database.write(evenIfCancelled: true) { db in
            let upsert = try db.statement("""
                INSERT INTO catalog (kind, name, version, definition, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (kind, name) DO UPDATE SET version = excluded.version,
                    definition = excluded.definition, created_at = excluded.created_at,
                    updated_at = excluded.updated_at
                """)
            upsert.bind(record.kind.rawValue, at: 1)
            upsert.bind(record.name, at: 2)
            upsert.bind(Int64(clamping: record.version), at: 3)
            upsert.bind(record.definition, at: 4)
            upsert.bind(record.createdAtMicros, at: 5)
            upsert.bind(record.updatedAtMicros, at: 6)
            try upsert.run()
        }
    }

    /// Removes a record (nothing when there is none).
    public func remove(_ kind: CatalogRecord.Kind, named name: String) async throws {
        try await database.write(evenIfCancelled: true) { db in
            let delete = try db.statement("DELETE FROM catalog WHERE kind = ?1 AND name = ?2")
            delete.bind(kind.rawValue, at: 1)
            delete.bind(name, at: 2)
            try delete.run()
        }
    }
}
