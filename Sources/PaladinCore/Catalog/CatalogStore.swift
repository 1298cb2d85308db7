/// Where definitions created over the wire outlive the process: the server loads them at start
/// and writes each create, update and delete through before it acknowledges it. Writes to one
/// store come from one writer at a time (the server's catalog serializes them), so a store needs
/// no conflict rule of its own.
public protocol CatalogStore: Sendable {
    /// Every stored record, paladins first, each kind by name.
    func records() async throws -> [CatalogRecord]
    /// Stores `record`, replacing the record of the same kind and name if there is one.
    func save(_ record: CatalogRecord) async throws
    /// Removes the record of `kind` named `name`; removing a missing record does nothing.
    func remove(_ kind: CatalogRecord.Kind, named name: String) async throws
}
