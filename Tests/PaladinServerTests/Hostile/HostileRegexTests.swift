import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// Campaign regex edge conditions from the wire: a pattern that makes a backtracking matcher
/// take exponential time runs in time linear in the output, and constructs the matcher cannot
/// run are refused when the battalion is defined.
@Suite("Hostile: catastrophic regex edge conditions", .timeLimit(.minutes(1)))
struct HostileRegexTests {
    /// A model output that `(a+)+$` fails on only after trying every way to split the a's.
    static let output = String(repeating: "a", count: 100_000) + "!"

    @Test("a catastrophic regex edge on a 100 KB output: the run finishes and others are served")
    func catastrophicRegexRunFinishes() async throws {
        let provider = ScriptedProvider()
        provider.fallback("writer", .text(Self.output))
        provider.fallback("alarm", .text("alarm"))
        provider.fallback("done", .text("done"))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["writer", "alarm", "done"], on: connection)
            try await createBattalion("catastrophe", Self.campaign([
                ("writer", "alarm", "(a+)+$"), ("writer", "alarm", "(a|a)*b"), ("writer", "done", "^(a|aa)+!$"),
            ]), on: connection)

            var request = Paladin_V1_RunRequest()
            request.battalion = "catastrophe"
            request.input = "go"
            let run = Task {
                try await Paladin_V1_BattalionServiceClient(connection).run(request, options: CallOptions(timeout: .seconds(30)))
            }
            try await server.expectStillServingNewClients()  // while the run is in flight
            let result = try await run.value
            #expect(result.status == .completed)
            #expect(result.finalOutput == "done")
            #expect(result.steps.first { $0.member == "alarm" }?.status == .skipped)
            try await server.expectStillServingNewClients()
            await connection.close()
        }
    }

    @Test("backreferences, lookaround and over-long patterns are INVALID_ARGUMENT naming the construct")
    func refusedPatterns() async throws {
        try await withTestServer(services: scriptedServices()) { server in
            let connection = try await server.connect()
            try await createPaladins(["a", "b"], on: connection)
            let refused = [(#"(a)\1"#, #"backreference \1 is not supported"#), ("x(?=y)", "lookahead (?= is not supported"),
                           ("(?>a+)b", "atomic group (?> is not supported"), ("a++", "possessive quantifier"),
                           (String(repeating: "a", count: 4096), "pattern of 4096 bytes is over the limit of 1024")]
            for (pattern, construct) in refused {
                let error = await expectStatus(.invalidArgument) {
                    try await createBattalion("bad", Self.campaign([("a", "b", pattern)]), on: connection)
                }
                #expect(error?.message.contains(construct) == true, "\(error?.message ?? "")")
                #expect(error?.details["field"] == "definition.campaign")
                #expect((error?.message.utf8.count ?? 0) < 300, "the pattern is quoted only in part")
            }
            try await server.expectStillServingNewClients()
            await connection.close()
        }
    }

    static func campaign(_ edges: [(String, String, String)]) -> Paladin_V1_BattalionDefinition.Pattern {
        var spec = Paladin_V1_CampaignSpec()
        var members: [String] = []
        for (from, to, _) in edges {
            for name in [from, to] where !members.contains(name) { members.append(name) }
        }
        spec.members = members
        spec.edges = edges.map { from, to, pattern in
            var edge = Paladin_V1_CampaignEdge()
            edge.from = from
            edge.to = to
            edge.condition = .regex
            edge.pattern = pattern
            return edge
        }
        return .campaign(spec)
    }
}
