import PaladinCore
import PaladinStore
import Testing

/// Catalog stores: the in-memory one and SQLite must answer alike; SQLite keeps records across
/// a reopen and refuses a corrupt row.
@Suite("Catalog store conformance")
struct CatalogStoreConformanceTests {
    static func make(_ kind: StoreKind) throws -> (store: any CatalogStore, close: () -> Void) {
        switch kind {
        case .memory:
            return (InMemoryCatalogStore(), {})
        case .sqlite:
            let directory = try TemporaryDirectory()
            let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1))
            return (SQLiteCatalogStore(database: database), { database.close(); directory.remove() })
        }
    }

    static func record(_ kind: CatalogRecord.Kind, _ name: String, version: UInt64 = 1,
                       bytes: [UInt8] = [0x0a, 0x01, 0x61]) -> CatalogRecord {
        CatalogRecord(kind: kind, name: name, version: version, definition: bytes,
                      createdAtMicros: 10, updatedAtMicros: 10 + Int64(version))
    }

    @Test(arguments: StoreKind.allCases)
    func recordsComeBackPaladinsFirstByName(_ kind: StoreKind) async throws {
        let (store, close) = try Self.make(kind)
        defer { close() }
        #expect(try await store.records().isEmpty)
        try await store.save(Self.record(.battalion, "b"))
        try await store.save(Self.record(.paladin, "z"))
        try await store.save(Self.record(.paladin, "a", bytes: []))
        try await store.save(Self.record(.battalion, "a"))  // the same name in the other kind
        let records = try await store.records()
        #expect(records.map { "\($0.kind.rawValue):\($0.name)" } == ["paladin:a", "paladin:z", "battalion:a", "battalion:b"])
        #expect(records[0] == Self.record(.paladin, "a", bytes: []))
        #expect(records[1] == Self.record(.paladin, "z"))
    }

    @Test(arguments: StoreKind.allCases)
    func saveReplacesAndRemoveDeletesOneKindOnly(_ kind: StoreKind) async throws {
        let (store, close) = try Self.make(kind)
        defer { close() }
        try await store.save(Self.record(.paladin, "p"))
        try await store.save(Self.record(.battalion, "p"))
        try await store.save(Self.record(.paladin, "p", version: 2, bytes: Array(repeating: 7, count: 300)))
        try await store.remove(.battalion, named: "p")
        try await store.remove(.battalion, named: "missing")
        #expect(try await store.records() == [Self.record(.paladin, "p", version: 2, bytes: Array(repeating: 7, count: 300))])
    }

    @Test func sqliteKeepsRecordsAcrossAReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1)
        let first = try SQLiteDatabase(configuration)
        try await SQLiteCatalogStore(database: first).save(Self.record(.paladin, "kept", version: 3))
        first.close()
        let second = try SQLiteDatabase(configuration)
        defer { second.close() }
        #expect(try await SQLiteCatalogStore(database: second).records() == [Self.record(.paladin, "kept", version: 3)])
    }

    @Test(arguments: ["UPDATE catalog SET kind = 'dragon'", "UPDATE catalog SET version = 0",
                      "UPDATE catalog SET version = -4"])
    func aCorruptRowIsACorruptRowError(_ damage: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1))
        defer { database.close() }
        let store = SQLiteCatalogStore(database: database)
        try await store.save(Self.record(.paladin, "p"))
        try await database.write { try $0.execute(damage) }
        await #expect {
            _ = try await store.records()
        } throws: { error in
            guard case StoreError.corruptRow(let table, _, _, _) = error else { return false }
            return table == "catalog"
        }
    }
}
