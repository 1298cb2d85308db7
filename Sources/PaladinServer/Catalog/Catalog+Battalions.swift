import PaladinCore
import PaladinWire

/// Battalion writes: from the configuration file at start (`define`), and over the wire
/// (create, update, delete), each stored before it is applied and acknowledged.
extension Catalog {
    /// Adds a battalion from the configuration file (not stored). - Throws: as `createBattalion`.
    func define(_ plan: BattalionPlan, now: Int64) throws(RPCError) {
        try insert(StoredBattalion(plan: plan, createdAtMicros: now, updatedAtMicros: now, source: .file))
    }

    /// Adds a battalion whose members all exist, and stores it. - Throws: ALREADY_EXISTS,
    /// INVALID_ARGUMENT, RESOURCE_EXHAUSTED when the catalog holds `CatalogLimits.maxBattalions`,
    /// or the store's failure.
    @discardableResult
    func createBattalion(_ plan: BattalionPlan, now: Int64) async throws(RPCError) -> StoredBattalion {
        let stored = StoredBattalion(plan: plan, createdAtMicros: now, updatedAtMicros: now, source: .api)
        return try await writes.run { () async throws(RPCError) -> StoredBattalion in
            try state.withLock { state throws(RPCError) in try checkNew(stored, in: state) }
            try await persist(Self.record(stored))
            state.withLock { $0.battalions[stored.name] = stored }  // checked above, under the gate
            return stored
        }
    }

    /// Replaces a battalion's definition (its members must exist) and stores it; runs already
    /// started keep the plan they started with. - Throws: NOT_FOUND, ABORTED on a version
    /// mismatch, INVALID_ARGUMENT, FAILED_PRECONDITION for a battalion of the configuration file.
    func updateBattalion(_ plan: BattalionPlan, expectedVersion: UInt64, now: Int64) async throws(RPCError) -> StoredBattalion {
        try await writes.run { () async throws(RPCError) -> StoredBattalion in
            var stored = try state.withLock { state throws(RPCError) -> StoredBattalion in
                guard let stored = state.battalions[plan.message.name] else { throw Self.notFound("battalion", plan.message.name) }
                try Self.checkUpdatable("battalion", stored.name, stored.source, version: stored.version, expected: expectedVersion)
                try Self.checkMembers(of: plan, in: state)
                return stored
            }
            stored.plan = plan
            stored.updatedAtMicros = now
            stored.version += 1
            try await persist(Self.record(stored))
            state.withLock { [stored] in $0.battalions[stored.name] = stored }
            return stored
        }
    }

    /// Removes a battalion, from the store too. - Throws: NOT_FOUND, FAILED_PRECONDITION for a
    /// battalion of the configuration file.
    func deleteBattalion(_ name: String) async throws(RPCError) {
        try await writes.run { () async throws(RPCError) in
            let stored = try battalion(name)
            try Self.checkWritable("battalion", name, stored.source)
            try await unpersist(.battalion, name)
            _ = state.withLock { $0.battalions.removeValue(forKey: name) }
        }
    }

    /// Adds `stored` after the checks of a new battalion.
    func insert(_ stored: StoredBattalion) throws(RPCError) {
        try state.withLock { state throws(RPCError) in
            try checkNew(stored, in: state)
            state.battalions[stored.name] = stored
        }
    }

    private func checkNew(_ stored: StoredBattalion, in state: State) throws(RPCError) {
        guard state.battalions[stored.name] == nil else {
            throw RPCError(.alreadyExists, "battalion \(RPCError.echo(stored.name)) already exists")
        }
        guard state.battalions.count < limits.maxBattalions else {
            throw RPCError(.resourceExhausted, "the catalog holds its maximum of \(limits.maxBattalions) battalions (catalog.max_battalions)")
        }
        try Self.checkMembers(of: stored.plan, in: state)
    }

    private static func checkMembers(of plan: BattalionPlan, in state: State) throws(RPCError) {
        let missing = plan.pattern.memberNames.filter { state.paladins[$0] == nil }
        guard missing.isEmpty else {
            throw BattalionMapping.invalid("definition.\(plan.pattern.configKey)",
                                           "names unknown paladins: \(RPCError.truncated(Set(missing).sorted().joined(separator: ", "), toBytes: 1024))")
        }
    }

    /// The stored form of a battalion: its definition as given.
    static func record(_ stored: StoredBattalion) -> CatalogRecord {
        CatalogRecord(kind: .battalion, name: stored.name, version: stored.version,
                      definition: stored.plan.message.serializedBytes(),
                      createdAtMicros: stored.createdAtMicros, updatedAtMicros: stored.updatedAtMicros)
    }
}
