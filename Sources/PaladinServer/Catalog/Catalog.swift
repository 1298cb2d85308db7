import PaladinCore
import PaladinWire
import Synchronization

/// The paladins and battalions a server runs, shared by every connection. Definitions come from
/// the configuration file at start-up and from PaladinService/BattalionService at run time
/// (those live until the server stops; they are not persisted).
public final class Catalog: Sendable {
    private struct State {
        var paladins: [String: StoredPaladin] = [:]
        var battalions: [String: StoredBattalion] = [:]
    }

    private let state = Mutex(State())
    /// Providers paladins may name.
    public let providers: ProviderRegistry
    /// Tools paladins may name.
    public let tools: ToolRegistry
    /// Conversation memory for executions with a session id.
    public let garrison: any GarrisonStore
    /// How many definitions the catalog holds and how large each may be.
    public let limits: CatalogLimits

    public init(providers: ProviderRegistry, tools: ToolRegistry = .builtIn, garrison: any GarrisonStore,
                limits: CatalogLimits = CatalogLimits()) {
        self.providers = providers
        self.tools = tools
        self.garrison = garrison
        self.limits = limits
    }

    // MARK: Paladins

    /// Builds the agent of a definition against this server's providers and tools.
    /// - Throws: `RPCError(.invalidArgument)` naming the field.
    func agent(for definition: PaladinDefinition) throws(RPCError) -> PaladinAgent {
        guard let provider = providers[definition.provider] else {
            throw BattalionMapping.invalid("definition.provider", "\(RPCError.echo(definition.provider)) is not a configured provider; known: \(providers.names.joined(separator: ", "))")
        }
        for name in definition.tools where !tools.contains(name) {
            throw BattalionMapping.invalid("definition.tools", "\(RPCError.echo(name)) is not a known tool; known: \(tools.names.joined(separator: ", "))")
        }
        do {
            return try PaladinAgent(definition, provider: provider, tools: tools.tools(named: definition.tools), garrison: garrison)
        } catch {
            throw RPCError(.invalidArgument, "definition: \(error)")
        }
    }

    /// Adds a paladin. - Throws: ALREADY_EXISTS, INVALID_ARGUMENT, RESOURCE_EXHAUSTED when the
    /// catalog holds `CatalogLimits.maxPaladins`.
    @discardableResult
    func createPaladin(_ definition: PaladinDefinition, labels: [String: String] = [:], now: Int64) throws(RPCError) -> StoredPaladin {
        let stored = StoredPaladin(agent: try agent(for: definition), createdAtMicros: now, updatedAtMicros: now, version: 1,
                                   labels: labels)
        return try state.withLock { state throws(RPCError) in
            guard state.paladins[definition.name] == nil else {
                throw RPCError(.alreadyExists, "paladin \(RPCError.echo(definition.name)) already exists")
            }
            guard state.paladins.count < limits.maxPaladins else {
                throw RPCError(.resourceExhausted,
                               "the catalog holds its maximum of \(limits.maxPaladins) paladins (catalog.max_paladins)")
            }
            state.paladins[definition.name] = stored
            return stored
        }
    }

    /// Replaces a paladin's definition. - Throws: NOT_FOUND, ABORTED on a version mismatch.
    func updatePaladin(_ definition: PaladinDefinition, labels: [String: String] = [:], expectedVersion: UInt64,
                       now: Int64) throws(RPCError) -> StoredPaladin {
        let agent = try agent(for: definition)
        return try state.withLock { state throws(RPCError) in
            guard var stored = state.paladins[definition.name] else { throw Self.notFound("paladin", definition.name) }
            if expectedVersion != 0, expectedVersion != stored.version {
                throw RPCError(.aborted, "paladin \(RPCError.echo(definition.name)) is at version \(stored.version), not \(expectedVersion)")
            }
            stored.agent = agent
            stored.labels = labels
            stored.updatedAtMicros = now
            stored.version += 1
            state.paladins[definition.name] = stored
            return stored
        }
    }

    /// Removes a paladin no battalion uses. - Throws: NOT_FOUND, FAILED_PRECONDITION.
    func deletePaladin(_ name: String) throws(RPCError) {
        try state.withLock { state throws(RPCError) in
            guard state.paladins[name] != nil else { throw Self.notFound("paladin", name) }
            let users = state.battalions.values.filter { $0.plan.pattern.memberNames.contains(name) }.map(\.plan.message.name).sorted()
            guard users.isEmpty else {
                throw RPCError(.failedPrecondition, "paladin \(RPCError.echo(name)) is a member of \(RPCError.truncated(users.joined(separator: ", "), toBytes: 1024)); delete or change those battalions first")
            }
            state.paladins[name] = nil
        }
    }

    /// The paladin named `name`. - Throws: NOT_FOUND.
    func paladin(_ name: String) throws(RPCError) -> StoredPaladin {
        guard let stored = state.withLock({ $0.paladins[name] }) else { throw Self.notFound("paladin", name) }
        return stored
    }

    /// Every paladin, by name.
    func allPaladins() -> [StoredPaladin] {
        state.withLock { $0.paladins.values.sorted { $0.definition.name < $1.definition.name } }
    }

    // MARK: Battalions

    /// Adds a battalion whose members all exist. - Throws: ALREADY_EXISTS, INVALID_ARGUMENT,
    /// RESOURCE_EXHAUSTED when the catalog holds `CatalogLimits.maxBattalions`.
    @discardableResult
    func createBattalion(_ plan: BattalionPlan, now: Int64) throws(RPCError) -> StoredBattalion {
        try state.withLock { state throws(RPCError) in
            let name = plan.message.name
            guard state.battalions[name] == nil else { throw RPCError(.alreadyExists, "battalion \(RPCError.echo(name)) already exists") }
            guard state.battalions.count < limits.maxBattalions else {
                throw RPCError(.resourceExhausted,
                               "the catalog holds its maximum of \(limits.maxBattalions) battalions (catalog.max_battalions)")
            }
            let missing = plan.pattern.memberNames.filter { state.paladins[$0] == nil }
            guard missing.isEmpty else {
                throw BattalionMapping.invalid("definition.\(plan.pattern.configKey)",
                                               "names unknown paladins: \(RPCError.truncated(Set(missing).sorted().joined(separator: ", "), toBytes: 1024))")
            }
            let stored = StoredBattalion(plan: plan, createdAtMicros: now)
            state.battalions[name] = stored
            return stored
        }
    }

    /// Removes a battalion. - Throws: NOT_FOUND.
    func deleteBattalion(_ name: String) throws(RPCError) {
        try state.withLock { state throws(RPCError) in
            guard state.battalions.removeValue(forKey: name) != nil else { throw Self.notFound("battalion", name) }
        }
    }

    /// The battalion named `name`. - Throws: NOT_FOUND.
    func battalion(_ name: String) throws(RPCError) -> StoredBattalion {
        guard let stored = state.withLock({ $0.battalions[name] }) else { throw Self.notFound("battalion", name) }
        return stored
    }

    /// Every battalion, by name.
    func allBattalions() -> [StoredBattalion] {
        state.withLock { $0.battalions.values.sorted { $0.plan.message.name < $1.plan.message.name } }
    }

    /// The agents a battalion runs with, as they are defined now.
    /// - Throws: FAILED_PRECONDITION when a member was deleted since.
    func members(of plan: BattalionPlan) throws(RPCError) -> [any BattalionMember] {
        try state.withLock { state throws(RPCError) in
            var members: [any BattalionMember] = []
            for name in Set(plan.pattern.memberNames).sorted() {
                guard let stored = state.paladins[name] else {
                    throw RPCError(.failedPrecondition, "member \(RPCError.echo(name)) of battalion \(RPCError.echo(plan.message.name)) is no longer defined")
                }
                members.append(stored.agent)
            }
            return members
        }
    }

    static func notFound(_ kind: String, _ name: String) -> RPCError {
        RPCError(.notFound, "\(kind) \(RPCError.echo(name)) not found")
    }
}
