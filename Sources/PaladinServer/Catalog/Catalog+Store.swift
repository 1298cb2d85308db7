import PaladinCore
import PaladinWire

/// The catalog's side of its store: writing through, and loading back at start.
extension Catalog {
    /// Loads the stored definitions (after the configuration file's, which win): paladins, then
    /// battalions. A stored definition that no longer loads (named like one of the file, or
    /// naming a provider, tool or member that is gone) is left out of the catalog and reported;
    /// its record stays in the store, so fixing the configuration brings it back.
    /// - Returns: one line per definition left out.
    /// - Throws: the store's failure to read.
    func restore() async throws -> [String] {
        var skipped: [String] = []
        for record in try await store.records() {
            do throws(RPCError) {
                switch record.kind {
                case .paladin: try insert(try storedPaladin(record))
                case .battalion: try insert(try storedBattalion(record))
                }
            } catch {
                skipped.append("stored \(record.kind.rawValue) \(RPCError.echo(record.name)) (version \(record.version)) not loaded: \(error.message)")
            }
        }
        return skipped
    }

    private func storedPaladin(_ record: CatalogRecord) throws(RPCError) -> StoredPaladin {
        let message = try Self.decoded(Paladin_V1_PaladinDefinition.self, record)
        let definition = try PaladinMapping.definition(from: message, limits: limits)
        return StoredPaladin(agent: try agent(for: definition), createdAtMicros: record.createdAtMicros,
                             updatedAtMicros: record.updatedAtMicros, version: record.version,
                             labels: message.labels, source: .api)
    }

    private func storedBattalion(_ record: CatalogRecord) throws(RPCError) -> StoredBattalion {
        let message = try Self.decoded(Paladin_V1_BattalionDefinition.self, record)
        return StoredBattalion(plan: try BattalionMapping.plan(from: message, limits: limits),
                               createdAtMicros: record.createdAtMicros, updatedAtMicros: record.updatedAtMicros,
                               version: record.version, source: .api)
    }

    private static func decoded<Message: ProtoMessage>(_ type: Message.Type, _ record: CatalogRecord) throws(RPCError) -> Message {
        do { return try Message(decoding: record.definition) } catch {
            throw RPCError(.dataLoss, "its stored definition does not decode: \(error)")
        }
    }

    /// Writes `record` through to the store. - Throws: the store failure's status.
    func persist(_ record: CatalogRecord) async throws(RPCError) {
        do { try await store.save(record) } catch { throw Self.storeFailure(error) }
    }

    /// Removes a record from the store. - Throws: the store failure's status.
    func unpersist(_ kind: CatalogRecord.Kind, _ name: String) async throws(RPCError) {
        do { try await store.remove(kind, named: name) } catch { throw Self.storeFailure(error) }
    }

    private static func storeFailure(_ error: any Error) -> RPCError {
        StoreFailures.status(for: error) ?? RPCError(.unavailable, "catalog store: \(error)")
    }

    /// Definitions of the configuration file are changed in the file, not over the wire.
    static func checkWritable(_ kind: String, _ name: String, _ source: DefinitionSource) throws(RPCError) {
        guard source == .api else {
            throw RPCError(.failedPrecondition, "\(kind) \(RPCError.echo(name)) is defined in the configuration file; change it there")
        }
    }

    /// An update must be of a definition made over the wire, at `expected` (0: any version).
    static func checkUpdatable(_ kind: String, _ name: String, _ source: DefinitionSource,
                               version: UInt64, expected: UInt64) throws(RPCError) {
        try checkWritable(kind, name, source)
        if expected != 0, expected != version {
            throw RPCError(.aborted, "\(kind) \(RPCError.echo(name)) is at version \(version), not \(expected)")
        }
    }
}
