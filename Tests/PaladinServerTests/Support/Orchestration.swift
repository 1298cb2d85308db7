import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// Services whose only provider, "offline", is the given scripted provider.
func scriptedServices(_ provider: ScriptedProvider = ScriptedProvider(), runStore: any RunStore = InMemoryRunStore()) -> PaladinServices {
    PaladinServices(providers: ProviderRegistry(["offline": provider]), runStore: runStore)
}

/// A wire definition of a paladin on the "offline" provider.
func paladinDefinition(_ name: String, systemPrompt: String = "") -> Paladin_V1_PaladinDefinition {
    var definition = Paladin_V1_PaladinDefinition()
    definition.name = name
    definition.provider = "offline"
    definition.systemPrompt = systemPrompt
    return definition
}

/// Creates paladins over the wire.
func createPaladins(_ names: [String], on connection: PaladinConnection) async throws {
    let client = Paladin_V1_PaladinServiceClient(connection)
    for name in names {
        var request = Paladin_V1_CreatePaladinRequest()
        request.definition = paladinDefinition(name)
        _ = try await client.createPaladin(request)
    }
}

/// Creates a battalion over the wire.
func createBattalion(_ name: String, _ pattern: Paladin_V1_BattalionDefinition.Pattern,
                     strategy: Paladin_V1_ErrorStrategy = .failFast, timeoutMs: UInt32 = 0,
                     on connection: PaladinConnection) async throws {
    var request = Paladin_V1_CreateBattalionRequest()
    var definition = Paladin_V1_BattalionDefinition()
    definition.name = name
    definition.pattern = pattern
    definition.errorStrategy = strategy
    definition.timeoutMs = timeoutMs
    request.definition = definition
    _ = try await Paladin_V1_BattalionServiceClient(connection).createBattalion(request)
}

func maneuver(_ flow: String) -> Paladin_V1_BattalionDefinition.Pattern {
    var spec = Paladin_V1_ManeuverSpec()
    spec.flow = flow
    return .maneuver(spec)
}

func formation(_ members: [String]) -> Paladin_V1_BattalionDefinition.Pattern {
    var spec = Paladin_V1_FormationSpec()
    spec.members = members
    return .formation(spec)
}

/// Expects `body` to fail with `code`; returns the error for more checks.
@discardableResult
func expectStatus(_ code: StatusCode, sourceLocation: SourceLocation = #_sourceLocation,
                  _ body: () async throws -> Void) async -> RPCError? {
    do {
        try await body()
        Issue.record("expected \(code), the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as RPCError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected RPCError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
