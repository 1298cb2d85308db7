import PaladinCore
import Testing

/// Council: turns, transcript, every termination condition and its cap, conclusion, failures.
@Suite("Council")
struct CouncilTests {
    /// The last user message of the member's `call`-th request.
    private func input(of member: String, _ provider: ScriptedProvider, call: Int = 0) -> String? {
        let requests = provider.requests(from: member)
        guard requests.indices.contains(call) else { return nil }
        return requests[call].messages.last { $0.role == .user }?.content
    }

    /// Who the provider heard from, in order.
    private func speakers(_ provider: ScriptedProvider) -> [String] { provider.requests.map(\.agent) }

    @Test func roundRobinGivesEveryParticipantOneTurnPerRoundInOrder() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c"] {
            provider.script(name, .text("\(name)1"), .text("\(name)2"))
        }
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let result = await Council(participants: ["a", "b", "c"], maxRounds: 2).run("Topic", in: context)
        #expect(result.status == .completed)
        #expect(speakers(provider) == ["a", "b", "c", "a", "b", "c"])
        #expect(result.finalOutput == "c2")
        #expect(result.reasoning == "max rounds (2) reached")
        #expect(result.pattern == "council")
    }

    @Test func eachSpeakerGetsTheTopicAndTheTranscriptSoFar() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("alpha one"), .text("alpha two"))
        provider.script("b", .text("  beta one\n"), .text("beta two"))
        let context = try Fixtures.context(["a", "b"], provider)
        _ = await Council(participants: ["a", "b"], maxRounds: 2).run("Tabs or spaces?", in: context)
        #expect(input(of: "a", provider) == """
            You take part in a council discussion.

            Discussion topic:
            Tabs or spaces?

            Participants: a, b

            Transcript so far:
            (no messages yet)

            You are a. Round 1 of at most 2: give your contribution, building on what was said. Be concise.
            """)
        let last = try #require(input(of: "b", provider, call: 1))
        #expect(last.contains("""
            Transcript so far:
            [Round 1] a: alpha one
            [Round 1] b: beta one
            [Round 2] a: alpha two

            You are b. Round 2 of at most 2
            """))
    }

    @Test func consensusStopsAfterTheRoundInWhichEveryParticipantAgrees() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("I agree."), .text("Still AGREE"))
        provider.script("b", .text("I disagree."), .text("Fine, agree!"))
        let context = try Fixtures.context(["a", "b"], provider)
        let result = await Council(participants: ["a", "b"], termination: .consensus, maxRounds: 5).run("t", in: context)
        #expect(result.reasoning == "consensus after round 2")
        #expect(result.finalOutput == "Fine, agree!")
        #expect(provider.requests.count == 4)
        #expect(input(of: "a", provider)?.contains("include the word AGREE") == true)
    }

    // Reference bug: non-MaxRounds conditions had no cap, so a council that never agreed looped forever.
    @Test func consensusThatNeverComesStopsAtMaxRoundsInsteadOfLoopingForever() async throws {
        let provider = ScriptedProvider(defaultReply: .text("I disagree, agreement is far off"))
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let result = await Council(participants: ["a", "b", "c"], termination: .consensus, maxRounds: 4).run("t", in: context)
        #expect(result.status == .completed)
        #expect(result.reasoning == "max rounds (4) reached without consensus")
        for name in ["a", "b", "c"] { #expect(provider.requests(from: name).count == 4) }
    }

    @Test func moderatorDecisionStopsWhenTheModeratorConcludes() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.script("mod", .text("CONTINUE"), .text("We can conclude now."), .text("Summary."))
        let context = try Fixtures.context(["a", "b", "mod"], provider)
        let council = Council(participants: ["a", "b"], moderator: "mod", termination: .moderatorDecision, maxRounds: 5)
        let result = await council.run("t", in: context)
        #expect(result.reasoning == "moderator concluded after round 2")
        #expect(speakers(provider) == ["a", "b", "mod", "a", "b", "mod", "mod"])
        #expect(result.finalOutput == "Summary.")
        #expect(input(of: "mod", provider)?.contains("Round 1 of at most 5 is over. Answer CONCLUDE") == true)
    }

    // Reference bug: a moderator that never concluded kept the council going forever.
    @Test func aModeratorThatNeverConcludesStopsAtMaxRoundsInsteadOfLoopingForever() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.fallback("mod", .text("CONTINUE, the discussion is not concluded"))
        let context = try Fixtures.context(["a", "b", "mod"], provider)
        let council = Council(participants: ["a", "b"], moderator: "mod", termination: .moderatorDecision, maxRounds: 3)
        let result = await council.run("t", in: context)
        #expect(result.status == .completed)
        #expect(result.reasoning == "max rounds (3) reached without the moderator concluding")
        #expect(provider.requests(from: "a").count == 3)
        // Asked after rounds 1 and 2 (not after the last), then for the closing summary.
        #expect(provider.requests(from: "mod").count == 3)
    }

    @Test func aKeywordStopsRightAfterTheMessageThatSaysIt() async throws {
        let provider = ScriptedProvider(defaultReply: .text("more to say"))
        provider.script("b", .text("go on"), .text("I think we are done."))
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let council = Council(participants: ["a", "b", "c"], termination: .keyword, maxRounds: 5, keyword: "DONE")
        let result = await council.run("t", in: context)
        #expect(result.reasoning == "keyword \"DONE\" said by b in round 2")
        #expect(speakers(provider) == ["a", "b", "c", "a", "b"])
        #expect(result.finalOutput == "I think we are done.")
    }

    // Reference bug: a keyword nobody says kept the council going forever.
    @Test func aKeywordNobodySaysStopsAtMaxRoundsInsteadOfLoopingForever() async throws {
        let provider = ScriptedProvider(defaultReply: .text("undone, abandoned"))
        let context = try Fixtures.context(["a", "b"], provider)
        let council = Council(participants: ["a", "b"], termination: .keyword, maxRounds: 3, keyword: "done")
        let result = await council.run("t", in: context)
        #expect(result.reasoning == "max rounds (3) reached without the keyword \"done\"")
        #expect(provider.requests.count == 6)
    }

    @Test func moderatorTurnsLetTheModeratorNameEachSpeaker() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.script("mod", .text("NEXT: c"), .text("Next: @a"), .text("NEXT: C"), .text("The end."))
        let context = try Fixtures.context(["a", "b", "c", "mod"], provider)
        let council = Council(participants: ["a", "b", "c"], moderator: "mod", turns: .moderator, maxRounds: 1)
        let result = await council.run("t", in: context)
        #expect(speakers(provider) == ["mod", "c", "mod", "a", "mod", "c", "mod"])
        #expect(result.reasoning == "max rounds (1) reached")
        #expect(input(of: "mod", provider)?.contains("Round 1, turn 1 of 3. Name who speaks next, as \"NEXT: <name>\".") == true)
    }

    // Reference bug: ModeratorDirected never advanced the round counter, so it never ended.
    @Test func moderatorTurnsAdvanceRoundsInsteadOfLoopingForever() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.fallback("mod", .text("NEXT: a"))
        let context = try Fixtures.context(["a", "b", "mod"], provider)
        let council = Council(participants: ["a", "b"], moderator: "mod", turns: .moderator, maxRounds: 3)
        let result = await council.run("t", in: context)
        #expect(result.status == .completed)
        #expect(result.reasoning == "max rounds (3) reached")
        #expect(provider.requests(from: "a").count == 6)
        #expect(provider.requests(from: "b").isEmpty)
    }

    @Test func anInvalidNameFromTheModeratorGoesToTheNextInRoundRobinOrderAndIsNoted() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.script("mod", .text("NEXT: b"), .text("NEXT: zed"), .text("Let someone speak"), .text("Summary."))
        let context = try Fixtures.context(["a", "b", "c", "mod"], provider)
        let council = Council(participants: ["a", "b", "c"], moderator: "mod", turns: .moderator, maxRounds: 1)
        let result = await council.run("t", in: context)
        #expect(speakers(provider) == ["mod", "b", "mod", "c", "mod", "a", "mod"])
        #expect(result.reasoning == "max rounds (1) reached; "
            + "round 1 turn 2: the moderator named \"zed\", not a participant; c spoke (round-robin order); "
            + "round 1 turn 3: the moderator named no one; a spoke (round-robin order)")
    }

    @Test func theModeratorWritesTheConclusionFromTheWholeTranscript() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("Tabs."))
        provider.script("b", .text("Spaces."))
        provider.script("mod", .text("Split decision."))
        let context = try Fixtures.context(["a", "b", "mod"], provider)
        let result = await Council(participants: ["a", "b"], moderator: "mod", maxRounds: 1).run("Indent?", in: context)
        #expect(result.finalOutput == "Split decision.")
        let summary = try #require(input(of: "mod", provider))
        #expect(summary.contains("[Round 1] a: Tabs.\n[Round 1] b: Spaces.\n\nThe discussion has ended (max rounds (1) reached)."))
    }

    @Test func failFastFailsTheRunWhenASpeakerFails() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.script("b", .text("fine"), .failure(ProviderError(.server, "boom")))
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let result = await Council(participants: ["a", "b", "c"], maxRounds: 3).run("t", in: context)
        #expect(result.status == .failed)
        #expect(result.error == "participant b failed in round 2: server: boom")
        #expect(speakers(provider) == ["a", "b", "c", "a", "b"])
    }

    @Test func continueOnErrorSkipsAFailedSpeakerAndNotesItInTheTranscript() async throws {
        let provider = ScriptedProvider(defaultReply: .text("point"))
        provider.script("a", .failure(ProviderError(.server, "boom")), .text("back"))
        let options = BattalionOptions(errorStrategy: .continueOnError)
        let context = try Fixtures.context(["a", "b"], provider, options: options)
        let result = await Council(participants: ["a", "b"], maxRounds: 2).run("t", in: context)
        #expect(result.status == .completed)
        #expect(input(of: "b", provider)?.contains("Transcript so far:\n[Round 1] a: (failed)\n\nYou are b.") == true)
        #expect(result.failed == 1)
        #expect(result.finalOutput == "point")
    }

    @Test func consensusNeedsEveryParticipantsLatestTurnAndAFailedTurnDoesNotAgree() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("not yet"), .text("AGREE"), .text("AGREE"))
        provider.script("b", .text("AGREE"), .failure(ProviderError(.server, "boom")), .text("agree"))
        let context = try Fixtures.context(["a", "b"], provider, options: BattalionOptions(errorStrategy: .continueOnError))
        let result = await Council(participants: ["a", "b"], termination: .consensus, maxRounds: 5).run("t", in: context)
        // Round 2: a agrees, b's turn failed (its round-1 AGREE is stale) -> no consensus yet.
        #expect(result.reasoning == "consensus after round 3")
        #expect(result.status == .completed)
    }

    @Test func validateCapsRoundsAndChecksWhatEachStrategyNeeds() {
        #expect(Council(participants: ["a", "b"]).validate().isEmpty)
        #expect(Council(participants: ["a", "b"], maxRounds: 0).validate() == ["max_rounds must be 1 to 50"])
        #expect(Council(participants: ["a", "b"], maxRounds: 51).validate() == ["max_rounds must be 1 to 50"])
        #expect(Council(participants: ["a"]).validate() == ["a council needs at least two participants"])
        #expect(Council(participants: ["a", "b"], moderator: "a").validate() == ["the moderator a cannot also be a participant"])
        #expect(Council(participants: ["a", "b"], turns: .moderator).validate() == ["moderator turns need a moderator"])
        #expect(Council(participants: ["a", "b"], termination: .moderatorDecision).validate() == ["moderator decision needs a moderator"])
        #expect(Council(participants: ["a", "b"], termination: .keyword, keyword: " ! ").validate()
            == ["keyword termination needs a keyword with a letter or digit"])
        #expect(Council(participants: ["a", "b"], moderator: "m").memberNames == ["a", "b", "m"])
    }

    @Test func cancellingTheRunCancelsTheSpeakingMember() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("quick"))
        provider.script("b", .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let council = Council(participants: ["a", "b", "c"], termination: .consensus, maxRounds: 50)
        let result = try await cancelledRun { await council.run("t", in: context) }
        #expect(result.status == .cancelled)
        #expect(result.steps.map(\.member) == ["a", "b"])
        #expect(result.steps.map(\.status) == [.succeeded, .cancelled])
        #expect(provider.requests(from: "c").isEmpty)
    }
}
