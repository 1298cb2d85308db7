import PaladinCore
import PaladinWire
import Synchronization

/// The paladins and battalions a server runs, shared by every connection. Definitions come from
/// the configuration file at start-up (`define`, read-only over the wire) and from
/// PaladinService/BattalionService at run time (`createPaladin` and the like), which write them
/// through to `store` before answering; at start the stored ones are loaded back (`restore`).
public final class Catalog: Sendable {
    struct State {
        var paladins: [String: StoredPaladin] = [:]
        var battalions: [String: StoredBattalion] = [:]
    }

    let state = Mutex(State())
    /// Where definitions created over the wire are kept.
    let store: any CatalogStore
    /// One write at a time: check, store, apply.
    let writes = CatalogWriteGate()
    /// Providers paladins may name.
    public let providers: ProviderRegistry
    /// Tools paladins may name.
    public let tools: ToolRegistry
    /// Conversation memory for executions with a session id.
    public let garrison: any GarrisonStore
    /// How many definitions the catalog holds and how large each may be.
    public let limits: CatalogLimits

    public init(providers: ProviderRegistry, tools: ToolRegistry = .builtIn, garrison: any GarrisonStore,
                limits: CatalogLimits = CatalogLimits(), store: any CatalogStore = InMemoryCatalogStore()) {
        self.store = store
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

    /// The battalion named `name`. - Throws: NOT_FOUND.
    func battalion(_ name: String) throws(RPCError) -> StoredBattalion {
        guard let stored = state.withLock({ $0.battalions[name] }) else { throw Self.notFound("battalion", name) }
        return stored
    }

    /// Every battalion, by name.
    func allBattalions() -> [StoredBattalion] {
        state.withLock { $0.battalions.values.sorted { $0.name < $1.name } }
    }

    /// What a run of the battalion named `name` starts with, read in one step so an update
    /// cannot slip between them: its plan, its members' agents as defined now, and the versions.
    /// - Throws: NOT_FOUND; FAILED_PRECONDITION when a member was deleted since.
    func runnable(_ name: String) throws(RPCError) -> RunnableBattalion {
        try state.withLock { state throws(RPCError) in
            guard let stored = state.battalions[name] else { throw Self.notFound("battalion", name) }
            var runnable = RunnableBattalion(plan: stored.plan, members: [],
                                             versions: DefinitionVersions(battalion: stored.version))
            for member in Set(stored.plan.pattern.memberNames).sorted() {
                guard let paladin = state.paladins[member] else {
                    throw RPCError(.failedPrecondition, "member \(RPCError.echo(member)) of battalion \(RPCError.echo(name)) is no longer defined")
                }
                runnable.members.append(paladin.agent)
                runnable.versions.members[member] = paladin.version
            }
            return runnable
        }
    }

    static func notFound(_ kind: String, _ name: String) -> RPCError {
        RPCError(.notFound, "\(kind) \(RPCError.echo(name)) not found")
    }
}
