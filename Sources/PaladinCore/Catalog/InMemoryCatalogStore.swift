import Synchronization

/// A `CatalogStore` in memory: definitions last as long as the process, as they did before the
/// catalog was persisted. Used by `store.kind: memory` and by tests.
public final class InMemoryCatalogStore: CatalogStore {
    private struct Key: Hashable {
        var kind: CatalogRecord.Kind
        var name: String
    }

    private let stored = Mutex<[Key: CatalogRecord]>([:])

    /// An empty store.
    public init() {}

    public func records() async throws -> [CatalogRecord] {
        let all = stored.withLock { Array($0.values) }
        return CatalogRecord.Kind.allCases.flatMap { kind in
            all.filter { $0.kind == kind }.sorted { $0.name < $1.name }
        }
    }

    public func save(_ record: CatalogRecord) async throws {
        stored.withLock { $0[Key(kind: record.kind, name: record.name)] = record }
    }

    public func remove(_ kind: CatalogRecord.Kind, named name: String) async throws {
        _ = stored.withLock { $0.removeValue(forKey: Key(kind: kind, name: name)) }
    }
}
