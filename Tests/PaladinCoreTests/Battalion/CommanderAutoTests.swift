import PaladinCore
import Testing

/// Commander Auto: the heuristic table row by row, whole-word matching, the reference's bugs,
/// and a full run.
@Suite("Commander auto")
struct CommanderAutoTests {
    private static let three = ["a", "b", "c"]

    private func choose(_ task: String, _ members: [String] = three) throws
        -> (pattern: any BattalionPattern, name: String, reasoning: String) {
        CommanderAuto.choose(task: task, members: members, context: try Fixtures.context(members, ScriptedProvider()))
    }

    @Test func row1ConclaveForSynthesisWithThreeMembersTheLastAggregates() throws {
        let choice = try choose("Compare these three databases")
        #expect(choice.name == "conclave")
        let conclave = try #require(choice.pattern as? Conclave)
        #expect(conclave.experts == ["a", "b"])
        #expect(conclave.aggregator == "c")
        #expect(choice.reasoning == "the task mentions \"compare\"; experts a, b, aggregated by c")
    }

    @Test func row2CouncilForDebateThreeRoundsRoundRobin() throws {
        let choice = try choose("Let us debate tabs versus spaces")
        #expect(choice.name == "council")
        let council = try #require(choice.pattern as? Council)
        #expect(council.participants == Self.three)
        #expect(council.moderator == nil)
        #expect(council.turns == .roundRobin)
        #expect(council.termination == .maxRounds)
        #expect(council.maxRounds == 3)
    }

    @Test func row3GroveForRoutingWithKeywordsFromNamesAndDescriptions() throws {
        let provider = ScriptedProvider()
        let members = [
            try Fixtures.paladin("billing", provider) { $0.description = "Handles invoices and refunds." },
            try Fixtures.paladin("tech_support", provider) { $0.description = "Fixes the software bugs" },
        ]
        let context = BattalionContext(members: members)
        let choice = CommanderAuto.choose(task: "Route this ticket to the right desk", members: ["billing", "tech_support"], context: context)
        #expect(choice.name == "grove")
        let grove = try #require(choice.pattern as? Grove)
        #expect(grove.routes == [
            GroveRoute(member: "billing", keywords: ["billing", "handles", "invoices", "refunds"]),
            GroveRoute(member: "tech_support", keywords: ["tech_support", "tech", "support", "fixes", "software", "bugs"]),
        ])
        #expect(grove.validate().isEmpty)
    }

    @Test func row4CampaignForAWorkflowIsALinearChainOfAlwaysEdges() throws {
        let choice = try choose("Automate the release workflow")
        #expect(choice.name == "campaign")
        let campaign = try #require(choice.pattern as? Campaign)
        #expect(campaign.members == Self.three)
        #expect(campaign.edges == [CampaignEdge(from: "a", to: "b", condition: .always), CampaignEdge(from: "b", to: "c", condition: .always)])
        #expect(campaign.entryPoints == ["a"])
        #expect(campaign.validate().isEmpty)
    }

    @Test func row5FormationForStepByStep() throws {
        let choice = try choose("Refine the draft step-by-step")
        #expect(choice.name == "formation")
        #expect((choice.pattern as? Formation)?.members == Self.three)
        #expect(choice.reasoning.hasPrefix("the task mentions \"step by step\""))
    }

    @Test func row6PhalanxForParallelWork() throws {
        let choice = try choose("Translate this in parallel")
        #expect(choice.name == "phalanx")
        #expect((choice.pattern as? Phalanx)?.members == Self.three)
    }

    @Test func row7ChainOfCommandForDelegationTheFirstMemberCommands() throws {
        let choice = try choose("Delegate the research")
        #expect(choice.name == "chain_of_command")
        let chain = try #require(choice.pattern as? ChainOfCommand)
        #expect(chain.commander == "a")
        #expect(chain.specialists == ["b", "c"])
    }

    @Test func row8FormationWhenNoKeywordMatches() throws {
        let choice = try choose("Write a haiku about autumn")
        #expect(choice.name == "formation")
        #expect(choice.reasoning == "no pattern keyword in the task, so the members run in order (a -> b -> c)")
    }

    @Test func priorityPicksTheHighestRowWhenSeveralMatch() throws {
        // "discuss" (council) outranks "parallel" (phalanx) and "first" (formation).
        #expect(try choose("First discuss it, then work in parallel").name == "council")
    }

    // Reference bug: keywords matched as raw substrings, so "afternoon" triggered Campaign's "after".
    @Test func keywordsMatchWholeWordsSoAfternoonIsNotAfter() throws {
        #expect(try choose("Plan the afternoon").name == "formation")
        #expect(try choose("Plan what happens after lunch").name == "campaign")
        #expect(try choose("Take the lead").name == "chain_of_command")
        #expect(try choose("Mislead nobody and reroute nothing").name == "formation")
        #expect(try choose("Run it at the same time").name == "phalanx")
    }

    // Reference bug: Auto with one paladin chose a Formation needing two, so the run failed.
    @Test func oneMemberRunsAloneInsteadOfFailing() async throws {
        let provider = ScriptedProvider()
        provider.script("solo", .text("done alone"))
        let context = try Fixtures.context(["solo"], provider)
        let choice = CommanderAuto.choose(task: "Compare and debate in parallel", members: ["solo"], context: context)
        #expect(choice.name == "formation")
        #expect(choice.reasoning == "only one member (solo), so it runs alone")
        let result = await CommanderAuto(members: ["solo"]).run("Compare and debate in parallel", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput == "done alone")
        #expect(result.reasoning == "chose formation: only one member (solo), so it runs alone")
    }

    // Reference bug: the default Conclave aggregator (the last paladin) was also an expert.
    @Test func theConclaveAggregatorIsNotCountedAsAnExpert() throws {
        let choice = try choose("Synthesize a plan", ["a", "b", "c", "d"])
        let conclave = try #require(choice.pattern as? Conclave)
        #expect(conclave.experts == ["a", "b", "c"])
        #expect(conclave.aggregator == "d")
        #expect(conclave.validate().isEmpty)
    }

    @Test func conclaveNeedsThreeMembersOtherwiseTheNextMatchingRowWinsAndSaysSo() throws {
        let choice = try choose("Compare both and debate", ["a", "b"])
        #expect(choice.name == "council")
        #expect(choice.reasoning.hasSuffix("; passed over conclave (\"compare\") needs at least 3 members, there are 2"))
        let fallback = try choose("Compare them", ["a", "b"])
        #expect(fallback.name == "formation")
        #expect(fallback.reasoning.contains("passed over conclave"))
    }

    @Test func aFullRunReportsTheChoiceThenTheInnerReasoning() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("plan A"))
        provider.script("b", .text("plan B"))
        provider.script("c", .text("merged plan"))
        let context = try Fixtures.context(Self.three, provider)
        let result = await CommanderAuto(members: Self.three).run("Synthesize a launch plan", in: context)
        #expect(result.status == .completed)
        #expect(result.pattern == "commander_auto")
        #expect(result.finalOutput == "merged plan")
        #expect(result.reasoning == "chose conclave: the task mentions \"synthesize\"; experts a, b, aggregated by c; "
            + "c synthesized 2 of 2 experts: a, b")
        #expect(result.steps.count == 3)
        #expect(provider.requests(from: "c").first?.messages.last?.content.contains("Expert a:\nplan A") == true)
    }

    @Test func aFullGroveRunRoutesByTheMembersDescriptions() async throws {
        let provider = ScriptedProvider()
        provider.script("billing", .text("refund issued"))
        provider.script("tech", .text("rebooted"))
        let members = [
            try Fixtures.paladin("billing", provider) { $0.description = "Handles invoices and refunds" },
            try Fixtures.paladin("tech", provider) { $0.description = "Fixes software bugs" },
        ]
        let context = BattalionContext(members: members)
        let result = await CommanderAuto(members: ["tech", "billing"]).run("Route this: where are my refunds?", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput == "refund issued")
        #expect(result.reasoning?.hasPrefix("chose grove: the task mentions \"route\"") == true)
        #expect(provider.requests(from: "tech").isEmpty)
    }

    @Test func validateNeedsDistinctMembers() {
        #expect(CommanderAuto(members: []).validate() == ["the commander needs at least one member"])
        #expect(CommanderAuto(members: ["a", "a"]).validate() == ["commander members must be distinct"])
        #expect(CommanderAuto(members: ["a"]).validate().isEmpty)
    }
}
