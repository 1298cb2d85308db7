import PaladinCore
import PaladinWire

/// Paladin writes: from the configuration file at start (`define`), and over the wire
/// (create, update, delete), each stored before it is applied and acknowledged.
extension Catalog {
    /// Adds a paladin from the configuration file (not stored: the file is read at every start).
    /// - Throws: as `createPaladin`.
    func define(_ definition: PaladinDefinition, labels: [String: String] = [:], now: Int64) throws(RPCError) {
        let stored = StoredPaladin(agent: try agent(for: definition), createdAtMicros: now, updatedAtMicros: now,
                                   version: 1, labels: labels, source: .file)
        try insert(stored)
    }

    /// Adds a paladin over the wire and stores it. - Throws: ALREADY_EXISTS, INVALID_ARGUMENT,
    /// RESOURCE_EXHAUSTED when the catalog holds `CatalogLimits.maxPaladins`, or the store's
    /// failure.
    @discardableResult
    func createPaladin(_ definition: PaladinDefinition, labels: [String: String] = [:],
                       now: Int64) async throws(RPCError) -> StoredPaladin {
        let stored = StoredPaladin(agent: try agent(for: definition), createdAtMicros: now, updatedAtMicros: now,
                                   version: 1, labels: labels, source: .api)
        return try await writes.run { () async throws(RPCError) -> StoredPaladin in
            try state.withLock { state throws(RPCError) in try checkNew(stored, in: state) }
            try await persist(Self.record(stored))
            state.withLock { $0.paladins[definition.name] = stored }  // checked above, under the gate
            return stored
        }
    }

    /// Replaces a paladin's definition and stores it. - Throws: NOT_FOUND, ABORTED on a version
    /// mismatch, FAILED_PRECONDITION for a paladin of the configuration file.
    func updatePaladin(_ definition: PaladinDefinition, labels: [String: String] = [:], expectedVersion: UInt64,
                       now: Int64) async throws(RPCError) -> StoredPaladin {
        let agent = try agent(for: definition)
        return try await writes.run { () async throws(RPCError) -> StoredPaladin in
            var stored = try paladin(definition.name)
            try Self.checkUpdatable("paladin", definition.name, stored.source, version: stored.version, expected: expectedVersion)
            stored.agent = agent
            stored.labels = labels
            stored.updatedAtMicros = now
            stored.version += 1
            try await persist(Self.record(stored))
            state.withLock { [stored] in $0.paladins[definition.name] = stored }
            return stored
        }
    }

    /// Removes a paladin no battalion uses, from the store too. - Throws: NOT_FOUND,
    /// FAILED_PRECONDITION (a member of a battalion, or defined in the configuration file).
    func deletePaladin(_ name: String) async throws(RPCError) {
        try await writes.run { () async throws(RPCError) in
            try state.withLock { state throws(RPCError) in
                guard let stored = state.paladins[name] else { throw Self.notFound("paladin", name) }
                try Self.checkWritable("paladin", name, stored.source)
                let users = state.battalions.values.filter { $0.plan.pattern.memberNames.contains(name) }.map(\.name).sorted()
                guard users.isEmpty else {
                    throw RPCError(.failedPrecondition, "paladin \(RPCError.echo(name)) is a member of \(RPCError.truncated(users.joined(separator: ", "), toBytes: 1024)); delete or change those battalions first")
                }
            }
            try await unpersist(.paladin, name)
            _ = state.withLock { $0.paladins.removeValue(forKey: name) }
        }
    }

    /// Adds `stored` after the checks of a new paladin.
    func insert(_ stored: StoredPaladin) throws(RPCError) {
        try state.withLock { state throws(RPCError) in
            try checkNew(stored, in: state)
            state.paladins[stored.definition.name] = stored
        }
    }

    private func checkNew(_ stored: StoredPaladin, in state: State) throws(RPCError) {
        let name = stored.definition.name
        guard state.paladins[name] == nil else {
            throw RPCError(.alreadyExists, "paladin \(RPCError.echo(name)) already exists")
        }
        guard state.paladins.count < limits.maxPaladins else {
            throw RPCError(.resourceExhausted, "the catalog holds its maximum of \(limits.maxPaladins) paladins (catalog.max_paladins)")
        }
    }

    /// The stored form of a paladin: its definition as GetPaladin shows it, labels included.
    static func record(_ stored: StoredPaladin) -> CatalogRecord {
        CatalogRecord(kind: .paladin, name: stored.definition.name, version: stored.version,
                      definition: stored.wireDefinition.serializedBytes(),
                      createdAtMicros: stored.createdAtMicros, updatedAtMicros: stored.updatedAtMicros)
    }
}
