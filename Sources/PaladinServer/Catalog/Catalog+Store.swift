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
        let message: Paladin_V1_PaladinDefinition
        do { message = try Paladin_V1_PaladinDefinition(decoding: record.definition) } catch {
            throw RPCError(.dataLoss, "its stored definition does not decode: \(error)")
        }
        let definition = try PaladinMapping.definition(from: message, limits: limits)
        return StoredPaladin(agent: try agent(for: definition), createdAtMicros: record.createdAtMicros,
                             updatedAtMicros: record.updatedAtMicros, version: record.version,
                             labels: message.labels, source: .api)
    }

    private func storedBattalion(_ record: CatalogRecord) throws(RPCError) -> StoredBattalion {
        let message: Paladin_V1_BattalionDefinition
        do { message = try Paladin_V1_BattalionDefinition(decoding: record.definition) } catch {
            throw RPCError(.dataLoss, "its stored definition does not decode: \(error)")
        }
        return StoredBattalion(plan: try BattalionMapping.plan(from: message, limits: limits),
                               createdAtMicros: record.createdAtMicros, updatedAtMicros: record.updatedAtMicros,
                               version: record.version, source: .api)
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
}
