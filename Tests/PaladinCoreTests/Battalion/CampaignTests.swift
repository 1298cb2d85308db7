import PaladinCore
import Testing

/// Campaign data flow: conditions, skipped members, fan-in inputs, entry points, the output.
@Suite("Campaign")
struct CampaignTests {
    @Test func aLinearChainPassesEachOutputOn() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .echo(prefix: "A<"))
        provider.fallback("b", .echo(prefix: "B<"))
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b")])
        let result = await campaign.run("go", in: try Fixtures.context(["a", "b"], provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "B<A<go")
        #expect(result.steps.map(\.member) == ["a", "b"])
        #expect(result.reasoning == nil)
    }

    @Test("A contains condition is a case-sensitive substring test on the source's output")
    func containsCondition() async throws {
        let provider = ScriptedProvider()
        provider.fallback("triage", .text("verdict: APPROVED"))
        provider.fallback("ship", .text("shipped"))
        provider.fallback("reject", .text("rejected"))
        provider.fallback("lower", .text("lowercase matched"))
        let campaign = Campaign(members: ["triage", "ship", "reject", "lower"], edges: [
            CampaignEdge(from: "triage", to: "ship", condition: .contains("APPROVED")),
            CampaignEdge(from: "triage", to: "reject", condition: .contains("REJECTED")),
            CampaignEdge(from: "triage", to: "lower", condition: .contains("approved")),
        ])
        let result = await campaign.run("ticket", in: try Fixtures.context(["triage", "ship", "reject", "lower"], provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "shipped")
        let status = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.member, $0.status) })
        #expect(status == ["triage": .succeeded, "ship": .succeeded, "reject": .skipped, "lower": .skipped])
        #expect(provider.requests(from: "reject").isEmpty && provider.requests(from: "lower").isEmpty)
    }

    @Test func aRegexConditionMatchesAnywhereInTheOutput() async throws {
        let provider = ScriptedProvider()
        provider.fallback("score", .text("The score is 87 out of 100"))
        provider.fallback("high", .text("high"))
        provider.fallback("low", .text("low"))
        let campaign = Campaign(members: ["score", "high", "low"], edges: [
            CampaignEdge(from: "score", to: "high", condition: .regex(#"score is (8|9)\d\b"#)),
            CampaignEdge(from: "score", to: "low", condition: .regex(#"score is [0-7]?\d\b"#)),
        ])
        let result = await campaign.run("grade", in: try Fixtures.context(["score", "high", "low"], provider))
        #expect(result.finalOutput == "high")
        #expect(result.steps.first { $0.member == "low" }?.status == .skipped)
    }

    @Test func skippedMembersAreRecordedWithTheReasonAndSkipTheirDescendants() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("no"))
        let campaign = Campaign(members: ["a", "b", "c", "d"], edges: [
            CampaignEdge(from: "a", to: "b", condition: .contains("yes")),
            CampaignEdge(from: "b", to: "c"),
            CampaignEdge(from: "a", to: "d"),
        ])
        let result = await campaign.run("q", in: try Fixtures.context(["a", "b", "c", "d"], provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "no")
        let b = try #require(result.steps.first { $0.member == "b" })
        let c = try #require(result.steps.first { $0.member == "c" })
        #expect(b.status == .skipped && b.attempts == 0 && b.output.isEmpty)
        #expect(b.error == #"no satisfied incoming edge (a: contains "yes" not met)"#)
        #expect(c.status == .skipped && c.error == "no satisfied incoming edge (b skipped)")
        #expect(result.reasoning?.contains("skipped: b (") == true)
        #expect(provider.requests(from: "b").isEmpty && provider.requests(from: "c").isEmpty)
    }

    @Test("Fan-in: a member waits for every parent and gets their outputs joined in declaration order")
    func fanInJoinsInputsInDeclarationOrder() async throws {
        let provider = ScriptedProvider()
        provider.fallback("slow", .delayed(.milliseconds(40), .text("from slow")))
        provider.fallback("fast", .text("from fast"))
        provider.fallback("merge", .echo())
        let campaign = Campaign(members: ["slow", "fast", "merge"], edges: [
            CampaignEdge(from: "fast", to: "merge"), CampaignEdge(from: "slow", to: "merge"),
        ])
        let result = await campaign.run("q", in: try Fixtures.context(["slow", "fast", "merge"], provider))
        #expect(result.finalOutput == "from slow\n---\nfrom fast")
        let merge = try #require(result.steps.first { $0.member == "merge" })
        #expect(result.steps.filter { $0.member != "merge" }.allSatisfy { $0.finishedAt <= merge.startedAt })
    }

    @Test func aMemberRunsOnItsSatisfiedParentsOnly() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("keep me"))
        provider.fallback("b", .text("drop me"))
        provider.fallback("c", .echo())
        let campaign = Campaign(members: ["a", "b", "c"], edges: [
            CampaignEdge(from: "a", to: "c", condition: .contains("keep")),
            CampaignEdge(from: "b", to: "c", condition: .contains("keep")),
        ])
        let result = await campaign.run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.finalOutput == "keep me")
    }

    @Test("The output is every successful sink in declaration order (the reference returns the last member run)")
    func outputJoinsTheSinks() async throws {
        let provider = ScriptedProvider()
        provider.fallback("root", .text("r"))
        provider.fallback("left", .delayed(.milliseconds(30), .text("left")))
        provider.fallback("right", .text("right"))
        let campaign = Campaign(members: ["root", "left", "right"], edges: [
            CampaignEdge(from: "root", to: "left"), CampaignEdge(from: "root", to: "right"),
        ])
        let result = await campaign.run("q", in: try Fixtures.context(["root", "left", "right"], provider))
        #expect(campaign.sinks == ["left", "right"])
        #expect(result.finalOutput == "left\n---\nright")
    }

    @Test func noSuccessfulSinkFailsTheRunAndSaysWhy() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("nothing"))
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b", condition: .contains("x"))])
        let result = await campaign.run("q", in: try Fixtures.context(["a", "b"], provider))
        #expect(result.status == .failed)
        #expect(result.error == "no sink member succeeded: b skipped")
    }

    @Test func explicitEntryPointsGetTheInputAndOtherRootsAreSkipped() async throws {
        let provider = ScriptedProvider()
        provider.fallback("start", .echo(prefix: "S:"))
        provider.fallback("next", .echo(prefix: "N:"))
        let campaign = Campaign(members: ["start", "orphan", "next"], edges: [CampaignEdge(from: "start", to: "next")],
                                entryPoints: ["start"])
        #expect(campaign.effectiveEntryPoints == ["start"])
        let result = await campaign.run("in", in: try Fixtures.context(["start", "orphan", "next"], provider))
        #expect(result.finalOutput == "N:S:in")
        let orphan = try #require(result.steps.first { $0.member == "orphan" })
        #expect(orphan.status == .skipped && orphan.error == "no incoming edges and not an entry point")
        #expect(provider.requests(from: "orphan").isEmpty)
    }

    @Test func entryPointsDefaultToMembersWithoutIncomingEdges() {
        let campaign = Campaign(members: ["a", "b", "c", "d"], edges: [CampaignEdge(from: "a", to: "c"), CampaignEdge(from: "b", to: "c")])
        #expect(campaign.effectiveEntryPoints == ["a", "b", "d"])
        #expect(campaign.sinks == ["c", "d"])
    }
}
