import PaladinCore
@testable import PaladinServer
import PaladinWire
import Testing

/// `CatalogLimits`: every size and count limit of a definition, and the catalog's totals.
@Suite("Catalog limits")
struct CatalogLimitsTests {
    private static func paladin(_ change: (inout Paladin_V1_PaladinDefinition) -> Void) -> Paladin_V1_PaladinDefinition {
        var definition = Paladin_V1_PaladinDefinition()
        definition.name = "p"
        definition.provider = "offline"
        change(&definition)
        return definition
    }

    private static func battalion(_ pattern: Paladin_V1_BattalionDefinition.Pattern) -> Paladin_V1_BattalionDefinition {
        var definition = Paladin_V1_BattalionDefinition()
        definition.name = "b"
        definition.pattern = pattern
        return definition
    }

    /// The message of the error `body` throws, or "" when it does not throw.
    private static func refusal(_ body: () throws(RPCError) -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            #expect(error.code == .invalidArgument)
            return error.message
        }
    }

    @Test func paladinSizesAreChecked() {
        var limits = CatalogLimits()
        limits.maxStopWords = 2
        limits.maxTools = 1
        limits.maxDescriptionBytes = 3
        limits.maxModelBytes = 3
        let check = { (definition: Paladin_V1_PaladinDefinition) in
            Self.refusal { () throws(RPCError) in _ = try PaladinMapping.definition(from: definition, limits: limits) }
        }
        #expect(check(Self.paladin { $0.description = "abcd" })
                == "definition.description is 4 bytes; at most 3 are allowed (catalog.max_description_bytes)")
        #expect(check(Self.paladin { $0.model = "gpt-4" })
                == "definition.model is 5 bytes; at most 3 are allowed (catalog.max_model_bytes)")
        #expect(check(Self.paladin { $0.stop = ["a", "b", "c"] })
                == "definition.stop has 3 stop words; at most 2 are allowed (catalog.max_stop_words)")
        #expect(check(Self.paladin { $0.tools = [Paladin_V1_ToolRef(), Paladin_V1_ToolRef()] })
                == "definition.tools has 2 tools; at most 1 are allowed (catalog.max_tools)")
        #expect(check(Self.paladin { $0.systemPrompt = String(repeating: "x", count: 65_537) })
                == "definition.system_prompt is 65537 bytes; at most 65536 are allowed (catalog.max_system_prompt_bytes)")
        #expect(check(Self.paladin { $0.labels = Dictionary(uniqueKeysWithValues: (0..<65).map { ("k\($0)", "v") }) })
                == "definition.labels has 65 labels; at most 64 are allowed (catalog.max_labels)")
        #expect(check(Self.paladin { $0.labels = ["k": String(repeating: "v", count: 257)] }).hasSuffix(
            "needs a key of 1-63 bytes (catalog.max_label_key_bytes) and a value of at most 256 (catalog.max_label_value_bytes)"))
        #expect(check(Self.paladin { $0.labels = [String(repeating: "k", count: 100_000): "v"] }).utf8.count < 500,
                "a long key is echoed cut short")
        #expect(check(Self.paladin { $0.description = "abc"; $0.stop = ["a", "b"] }) == "")
    }

    @Test func battalionCountsAreChecked() {
        var limits = CatalogLimits()
        limits.maxMembers = 3
        limits.maxEdges = 2
        limits.maxRoutes = 2
        let check = { (definition: Paladin_V1_BattalionDefinition) in
            Self.refusal { () throws(RPCError) in _ = try BattalionMapping.plan(from: definition, limits: limits) }
        }
        var phalanx = Paladin_V1_PhalanxSpec()
        phalanx.members = ["a", "b", "c", "d"]
        #expect(check(Self.battalion(.phalanx(phalanx)))
                == "definition.phalanx.members has 4 members; at most 3 are allowed (catalog.max_members)")
        var campaign = Paladin_V1_CampaignSpec()
        campaign.members = ["a", "b", "c"]
        campaign.edges = (0..<3).map { _ in var edge = Paladin_V1_CampaignEdge(); edge.from = "a"; edge.to = "b"; return edge }
        #expect(check(Self.battalion(.campaign(campaign)))
                == "definition.campaign.edges has 3 edges; at most 2 are allowed (catalog.max_edges)")
        var grove = Paladin_V1_GroveSpec()
        grove.routes = (0..<3).map { _ in Paladin_V1_GroveRoute() }
        #expect(check(Self.battalion(.grove(grove)))
                == "definition.grove.routes has 3 routes; at most 2 are allowed (catalog.max_routes)")
        var maneuver = Paladin_V1_ManeuverSpec()
        maneuver.flow = "a -> b -> c -> d"
        #expect(check(Self.battalion(.maneuver(maneuver)))
                == "definition.maneuver has 4 members; at most 3 are allowed (catalog.max_members)")
        var council = Paladin_V1_CouncilSpec()
        council.participants = ["a", "b", "c"]
        council.moderator = "m"
        #expect(check(Self.battalion(.council(council)))
                == "definition.council has 4 members; at most 3 are allowed (catalog.max_members)")
    }

    @Test func theCatalogHoldsAtMostMaxBattalions() async throws {
        var limits = CatalogLimits()
        limits.maxBattalions = 1
        let catalog = Catalog(providers: ProviderRegistry(["offline": ScriptedProvider()]), garrison: InMemoryGarrisonStore(),
                              limits: limits)
        try await catalog.createPaladin(PaladinDefinition(name: "a", provider: "offline"), now: 1)
        var formation = Paladin_V1_FormationSpec()
        formation.members = ["a"]
        var definition = Self.battalion(.formation(formation))
        try await catalog.createBattalion(try BattalionMapping.plan(from: definition, limits: limits), now: 1)
        definition.name = "c"
        let error = await #expect(throws: RPCError.self) {
            try await catalog.createBattalion(try BattalionMapping.plan(from: definition, limits: limits), now: 1)
        }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message == "the catalog holds its maximum of 1 battalions (catalog.max_battalions)")
        try await catalog.deleteBattalion("b")
        try await catalog.createBattalion(try BattalionMapping.plan(from: definition, limits: limits), now: 1)
    }
}
