import PaladinCore
import Testing

/// Campaign graph checks: every problem is reported, and a bad graph never runs.
@Suite("Campaign validation")
struct CampaignValidationTests {
    @Test func cyclesAreRejectedAndNamed() async throws {
        let campaign = Campaign(members: ["start", "a", "b", "c"], edges: [
            CampaignEdge(from: "start", to: "a"), CampaignEdge(from: "a", to: "b"),
            CampaignEdge(from: "b", to: "c"), CampaignEdge(from: "c", to: "a"),
        ])
        #expect(campaign.validate() == ["cycle: a -> b -> c -> a"])
        let provider = ScriptedProvider()
        let result = await campaign.run("q", in: try Fixtures.context(["start", "a", "b", "c"], provider))
        #expect(result.status == .failed)
        #expect(result.error == "cycle: a -> b -> c -> a")
        #expect(result.steps.isEmpty && provider.requests.isEmpty)
    }

    /// The cycle search keeps its own stack: a chain deeper than any thread's stack validates, and
    /// a cycle through all of it is found and named.
    @Test func aChainOf150kMembersValidatesWithoutOverflowingTheStack() {
        let members = (0..<150_000).map { "m\($0)" }
        let chain = zip(members, members.dropFirst()).map { CampaignEdge(from: $0, to: $1) }
        #expect(Campaign(members: members, edges: chain).validate().isEmpty)
        let ring = Campaign(members: ["start"] + members,
                            edges: [CampaignEdge(from: "start", to: "m0")] + chain + [CampaignEdge(from: "m149999", to: "m0")])
        let problems = ring.validate()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("cycle: m0 -> m1 -> m2") == true)
        #expect(problems.first?.hasSuffix("m149998 -> m149999 -> m0") == true)
    }

    @Test func aGraphThatIsOneCycleHasNoEntryPoint() {
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b"), CampaignEdge(from: "b", to: "a")])
        #expect(campaign.validate() == ["no entry point: every member has an incoming edge", "cycle: a -> b -> a"])
    }

    @Test func selfLoopsAreRejected() {
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b"), CampaignEdge(from: "b", to: "b")])
        #expect(campaign.validate() == [#"self-loop on "b""#])
    }

    @Test func unknownNamesInEdgesAndEntryPointsAreRejected() {
        let campaign = Campaign(members: ["a"], edges: [CampaignEdge(from: "a", to: "ghost")], entryPoints: ["a", "phantom"])
        #expect(campaign.validate() == [
            #"edge a -> ghost names unknown member "ghost""#,
            #"entry point "phantom" is not a member"#,
        ])
    }

    @Test func duplicateMembersAndEmptyGraphsAreRejected() {
        #expect(Campaign(members: ["a", "b", "a"], edges: []).validate() == [#"duplicate member "a""#])
        #expect(Campaign(members: [], edges: []).validate() == ["a campaign needs at least one member"])
    }

    @Test func anInvalidRegexIsAValidationProblem() {
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b", condition: .regex("(unclosed"))])
        let problems = campaign.validate()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(#"edge a -> b: invalid regex "(unclosed""#) == true)
        #expect(EdgeCondition.regex("ok+").problem == nil && EdgeCondition.contains("(").problem == nil)
    }

    @Test("A regex a backtracking-free matcher cannot run is refused, naming the construct")
    func refusedRegexConstructsAreValidationProblems() {
        let campaign = Campaign(members: ["a", "b", "c"], edges: [
            CampaignEdge(from: "a", to: "b", condition: .regex(#"(x)\1"#)),
            CampaignEdge(from: "a", to: "c", condition: .regex("a(?=b)")),
        ])
        #expect(campaign.validate() == [
            #"edge a -> b: invalid regex "(x)\1": backreference \1 is not supported at offset 3"#,
            #"edge a -> c: invalid regex "a(?=b)": lookahead (?= is not supported at offset 3"#,
        ])
        let long = EdgeCondition.regex(String(repeating: "x", count: 5000)).problem ?? ""
        #expect(long.contains("pattern of 5000 bytes is over the limit of 1024"))
        #expect(long.count < 200)  // the pattern is quoted in part
    }

    @Test func anEntryPointMayNotHaveIncomingEdges() {
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b")], entryPoints: ["a", "b"])
        #expect(campaign.validate() == [#"entry point "b" has incoming edges (from a)"#])
    }

    @Test func membersTheBattalionLacksAreReportedByRun() async throws {
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b")])
        let result = await campaign.run("q", in: try Fixtures.context(["a"], ScriptedProvider()))
        #expect(result.status == .failed)
        #expect(result.error == #"unknown member "b""#)
    }
}
