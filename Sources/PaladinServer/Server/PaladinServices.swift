import NIOCore
import PaladinCore
import PaladinWire

/// The stores and state the built-in services run on; `makeRouter` wires them to methods.
public struct PaladinServices: Sendable {
    /// Conversation memory behind GarrisonService.
    public var garrison: any GarrisonStore
    /// Serving status behind Health.
    public var health: HealthStatusStore

    /// Services on in-memory stores: what `paladin serve` runs until persistence is configured.
    public init(garrison: any GarrisonStore = InMemoryGarrisonStore(),
                health: HealthStatusStore = HealthStatusStore()) {
        self.garrison = garrison
        self.health = health
    }

    /// A router with every built method; the rest of the contract answers UNIMPLEMENTED.
    public func makeRouter(configuration: ServerConfiguration) -> ServiceRouter {
        var router = ServiceRouter()
        HealthService.register(in: &router, store: health)
        GarrisonService.register(in: &router, store: garrison)
        // Last: it reports which methods the router implements.
        ServerInfoService.register(in: &router, configuration: configuration, startedAt: .now())
        // Health knows "" and the services that have at least one built method.
        for method in PaladinContract.methods where router.isImplemented(method.path) {
            health.setStatus(.serving, for: String(method.path.split(separator: "/")[0]))
        }
        return router
    }
}
