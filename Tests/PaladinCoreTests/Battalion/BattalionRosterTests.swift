import PaladinCore
import Testing

/// A roster indexes members once; every context made from it runs as one made from the members.
@Suite("Battalion roster")
struct BattalionRosterTests {
    @Test func aRunFromARosterMatchesARunFromTheMembers() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("from a"))
        provider.fallback("b", .text("from b"))
        let members: [any BattalionMember] = [try Fixtures.paladin("a", provider), try Fixtures.paladin("b", provider)]
        let formation = Formation(members: ["a", "b"])
        let fromMembers = await formation.run("go", in: BattalionContext(members: members))
        let fromRoster = await formation.run("go", in: BattalionContext(roster: BattalionRoster(members)))
        #expect(fromRoster.status == .completed && fromRoster.finalOutput == "from b")
        #expect(fromRoster.steps.map(\.member) == fromMembers.steps.map(\.member))
        #expect(fromRoster.steps.map(\.output) == fromMembers.steps.map(\.output))
        #expect(fromRoster.usage == fromMembers.usage)
    }

    @Test func runsSharingARosterKeepTheirOwnSteps() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let roster = BattalionRoster(try ["a", "b", "c"].map { try Fixtures.paladin($0, provider) })
        let results = await withTaskGroup(of: BattalionResult.self) { group in
            for index in 0..<8 {
                let pattern: any BattalionPattern = index.isMultiple(of: 2)
                    ? Formation(members: ["a", "b", "c"]) : Phalanx(members: ["c", "a"], aggregation: .collectAll)
                group.addTask { await pattern.run("run \(index)", in: BattalionContext(roster: roster)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0.status == .completed })
        #expect(results.filter { $0.pattern == "formation" }.allSatisfy { $0.steps.map(\.member) == ["a", "b", "c"] })
        #expect(results.filter { $0.pattern == "phalanx" }.allSatisfy { Set($0.steps.map(\.member)) == ["a", "c"] })
    }

    @Test func aRepeatedNameMeansTheLastMemberGiven() async throws {
        let first = ScriptedProvider(defaultReply: .text("first"))
        let last = ScriptedProvider(defaultReply: .text("last"))
        let roster = BattalionRoster([try Fixtures.paladin("a", first), try Fixtures.paladin("b", first),
                                      try Fixtures.paladin("a", last)])
        #expect(roster.members.map(\.name) == ["a", "b"])
        let result = await Formation(members: ["b", "a"]).run("go", in: BattalionContext(roster: roster))
        #expect(result.finalOutput == "last")
        #expect(first.requests.map(\.agent) == ["b"])
    }

    @Test func anUnknownMemberIsReportedByName() async throws {
        let roster = BattalionRoster([try Fixtures.paladin("a", ScriptedProvider(defaultReply: .text("ok")))])
        let result = await Formation(members: ["a", "ghost"]).run("go", in: BattalionContext(roster: roster))
        #expect(result.status == .failed)
        #expect(result.error?.contains("unknown member \"ghost\"") == true)
        #expect(result.steps.isEmpty)
    }
}
