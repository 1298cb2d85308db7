import PaladinCore
import PaladinLLM
import PaladinStore
import PaladinWire

/// Everything `paladin serve` runs, built from a configuration: the stores (SQLite or memory),
/// the providers, the services, and the paladins and battalions the file defines.
public struct ServerAssembly: Sendable {
    /// The services to route to.
    public let services: PaladinServices
    /// The open database, when the store is SQLite.
    public let database: SQLiteDatabase?
    /// Runs that were in progress when the server last stopped, now marked interrupted.
    public let interruptedRuns: [String]
    /// Stored definitions that could not be loaded back (`Catalog.restore`), one line each, for
    /// the log.
    public let skippedDefinitions: [String]
    /// The stores' clean-up, for `startMaintenance`.
    let maintenance: StoreMaintenance

    /// Builds the server's parts.
    /// - Throws: `ConfigError` for problems only visible when building (an unset API key
    ///   variable, an unopenable database file).
    public static func build(_ config: PaladinConfig, file: String = "<config>",
                             environment: [String: String] = ProcessEnvironment.current) async throws -> ServerAssembly {
        let providers = try makeProviders(config, file: file, environment: environment)

        let garrison: any GarrisonStore
        let runStore: any RunStore
        let catalogStore: any CatalogStore
        var database: SQLiteDatabase?
        var maintenance = StoreMaintenance(configuration: config.store.sqlite)
        if config.store.inMemory {
            garrison = InMemoryGarrisonStore(limits: config.garrison)
            let runs = InMemoryRunStore(capacity: config.store.memoryMaxRuns)
            maintenance.memoryRuns = runs
            runStore = runs
            catalogStore = InMemoryCatalogStore()
        } else {
            do {
                let opened = try SQLiteDatabase(config.store.sqlite)
                database = opened
                let store = SQLiteGarrisonStore(database: opened)
                let runs = SQLiteRunStore(database: opened)
                maintenance.garrison = store
                maintenance.sqliteRuns = runs
                garrison = store
                runStore = runs
                catalogStore = SQLiteCatalogStore(database: opened)
            } catch {
                throw ConfigError(file: file, problems: [.init(path: "store.path", message: "cannot open \(config.store.sqlite.path): \(error)")])
            }
        }
        let interrupted = try await runStore.markInterrupted()
        let services = PaladinServices(garrison: garrison, providers: ProviderRegistry(providers), runStore: runStore,
                                       catalogLimits: config.catalog, catalogStore: catalogStore)
        try load(config, into: services.catalog, file: file)
        let skipped: [String]
        do { skipped = try await services.catalog.restore() } catch {
            throw ConfigError(file: file, problems: [.init(path: "store", message: "cannot read the stored paladins and battalions: \(error)")])
        }
        return ServerAssembly(services: services, database: database, interruptedRuns: interrupted,
                              skippedDefinitions: skipped, maintenance: maintenance)
    }

    /// Checks what only the environment can tell (every `api_key_env` variable is set) by
    /// building each HTTP provider exactly as `build` does, without serving.
    /// - Throws: `ConfigError` naming each provider that cannot be built.
    public static func checkEnvironment(_ config: PaladinConfig, file: String,
                                        environment: [String: String] = ProcessEnvironment.current) throws {
        _ = try makeProviders(config, file: file, environment: environment)
    }

    /// The configured providers, by name.
    /// - Throws: `ConfigError` naming each provider whose configuration or environment is unusable.
    static func makeProviders(_ config: PaladinConfig, file: String,
                              environment: [String: String]) throws -> [String: any LLMProvider] {
        var problems: [ConfigError.Problem] = []
        var providers: [String: any LLMProvider] = [:]
        for (name, spec) in config.providers.sorted(by: { $0.key < $1.key }) {
            switch spec {
            case .scripted(let settings):
                providers[name] = makeScripted(settings)
            case .http(let configuration):
                do {
                    providers[name] = try ProviderFactory.make(configuration, environment: environment)
                } catch {
                    problems.append(.init(path: "providers.\(name).\(error.field)", message: error.message))
                }
            }
        }
        guard problems.isEmpty else { throw ConfigError(file: file, problems: problems) }
        return providers
    }

    /// Adds the configuration's paladins and battalions to the catalog (before the stored ones,
    /// so the file's win a name both define).
    static func load(_ config: PaladinConfig, into catalog: Catalog, file: String) throws {
        let now = WallClock.nowMicros()
        var problems: [ConfigError.Problem] = []
        for message in config.paladins {
            do {
                try catalog.define(try PaladinMapping.definition(from: message, limits: catalog.limits),
                                   labels: message.labels, now: now)
            } catch {
                problems.append(.init(path: "paladins.\(message.name)", message: error.message))
            }
        }
        for message in config.battalions {
            do {
                try catalog.define(try BattalionMapping.plan(from: message, limits: catalog.limits), now: now)
            } catch {
                problems.append(.init(path: "battalions.\(message.name)", message: error.message))
            }
        }
        guard problems.isEmpty else { throw ConfigError(file: file, problems: problems) }
    }

    /// The deterministic provider of `kind: scripted`.
    static func makeScripted(_ settings: ProviderSpec.ScriptedSettings) -> ScriptedProvider {
        func delayed(_ reply: ScriptedReply) -> ScriptedReply {
            guard let delay = settings.delay else { return reply }
            return .delayed(delay, reply)
        }
        let provider = ScriptedProvider(defaultReply: delayed(settings.defaultReply.map { .text($0) } ?? .echo()),
                                        recordRequests: false)
        for (agent, replies) in settings.replies {
            for reply in replies.dropLast() { provider.script(agent, delayed(.text(reply))) }
            if let last = replies.last { provider.fallback(agent, delayed(.text(last))) }
        }
        return provider
    }

    /// Starts the periodic clean-up (every `store.cleanup_interval`) of idle sessions
    /// (`store.session_ttl`) and of old or surplus finished runs (`store.run_retention`,
    /// `store.max_runs`); cancel the task to stop it. `nil` when there is nothing to do.
    public func startMaintenance() -> Task<Void, Never>? {
        guard maintenance.hasWork else { return nil }
        let maintenance = self.maintenance
        return Task { await maintenance.run() }
    }

    /// Closes the database (after the server has stopped).
    public func close() {
        database?.close()
    }
}
