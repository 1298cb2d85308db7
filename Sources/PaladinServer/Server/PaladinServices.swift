import NIOCore
import PaladinCore
import PaladinWire

/// The stores and state the services run on; `makeRouter` wires them to methods.
public struct PaladinServices: Sendable {
    /// Conversation memory behind GarrisonService and paladin sessions.
    public var garrison: any GarrisonStore
    /// Serving status behind Health.
    public var health: HealthStatusStore
    /// Paladins and battalions behind PaladinService and BattalionService.
    public var catalog: Catalog
    /// Battalion runs in progress and their records.
    public var runs: RunManager

    /// Services on the given stores; by default in memory, with no model providers (paladins
    /// can then only be defined once providers are given) and the default `CatalogLimits`.
    /// Definitions already in `catalogStore` are loaded by `catalog.restore()`, not here.
    public init(garrison: any GarrisonStore = InMemoryGarrisonStore(),
                health: HealthStatusStore = HealthStatusStore(),
                providers: ProviderRegistry = ProviderRegistry(),
                tools: ToolRegistry = .builtIn,
                runStore: any RunStore = InMemoryRunStore(),
                catalogLimits: CatalogLimits = CatalogLimits(),
                catalogStore: any CatalogStore = InMemoryCatalogStore()) {
        self.garrison = garrison
        self.health = health
        self.catalog = Catalog(providers: providers, tools: tools, garrison: garrison, limits: catalogLimits,
                               store: catalogStore)
        self.runs = RunManager(store: runStore)
    }

    /// A router with every built method; the rest of the contract answers UNIMPLEMENTED.
    public func makeRouter(configuration: ServerConfiguration) -> ServiceRouter {
        var router = ServiceRouter()
        let paging = PageLimits(configuration.limits)
        HealthService.register(in: &router, store: health)
        GarrisonService.register(in: &router, store: garrison, paging: paging)
        // The caps on work in flight count across every connection of this router's server.
        let limits = configuration.limits
        PaladinService.register(in: &router, catalog: catalog, paging: paging, executions: WorkPermits(
            limit: limits.maxInflightExecutions, work: "paladin executions", configKey: "server.limits.max_inflight_executions"))
        runs.limitRuns(to: limits.maxInflightRuns)
        BattalionService.register(in: &router, catalog: catalog, runs: runs, paging: paging)
        // Last: it reports which methods the router implements.
        ServerInfoService.register(in: &router, configuration: configuration, startedAt: .now())
        // Health knows "" and the services that have at least one built method.
        for method in PaladinContract.methods where router.isImplemented(method.path) {
            health.setStatus(.serving, for: String(method.path.split(separator: "/")[0]))
        }
        return router
    }
}
