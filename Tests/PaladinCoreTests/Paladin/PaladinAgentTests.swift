import PaladinCore
import Synchronization
import Testing

/// The agent loop with a scripted provider: prompts, tools, guards, stop words, streaming.
@Suite("Paladin agent loop")
struct PaladinAgentTests {
    @Test func systemPromptGoesAsASystemMessageAndTheInputAsUser() async throws {
        let provider = ScriptedProvider()
        provider.script("scribe", .text("Done."))
        let agent = try Fixtures.paladin("scribe", provider, systemPrompt: "You are terse.")
        let result = try await agent.execute("Summarize this.")
        #expect(result.output == "Done.")
        #expect(result.stopReason == .final)
        #expect(result.turns == 1)
        let sent = try #require(provider.requests.first)
        #expect(sent.messages == [.system("You are terse."), .user("Summarize this.")])
        #expect(result.usage.totalTokens > 0)
    }

    @Test func toolCallsRunAndTheirResultsAreFedBack() async throws {
        let provider = ScriptedProvider()
        let calls = Mutex<[String]>([])
        let weather = ClosureTool(ToolSpec(name: "weather", description: "Weather for a city")) { arguments in
            calls.withLock { $0.append(arguments) }
            return "sunny, 21C"
        }
        provider.script("scout",
                        .toolCalls([ToolCall(id: "c1", name: "weather", arguments: #"{"city":"Paris"}"#)]),
                        .computed { request in "It is " + (request.messages.last?.content ?? "?") })
        let agent = try Fixtures.paladin("scout", provider, tools: [weather])
        let result = try await agent.execute("Weather in Paris?")
        #expect(result.output == "It is sunny, 21C")
        #expect(result.turns == 2)
        #expect(calls.withLock { $0 } == [#"{"city":"Paris"}"#])
        #expect(result.toolResults == [ToolResult(callID: "c1", name: "weather", output: "sunny, 21C")])
        let second = provider.requests[1].messages
        #expect(second.last == .tool("sunny, 21C", callID: "c1"))
        #expect(second[second.count - 2].toolCalls.map(\.name) == ["weather"])
        #expect(provider.requests[0].tools.map(\.name) == ["weather"])
    }

    @Test func aFailingOrUnknownToolIsReportedToTheModelNotFatal() async throws {
        struct Broken: Error {}
        let provider = ScriptedProvider()
        let broken = ClosureTool(ToolSpec(name: "broken", description: "")) { _ in throw Broken() }
        provider.script("a", .toolCalls([ToolCall(id: "1", name: "broken", arguments: "{}"), ToolCall(id: "2", name: "ghost", arguments: "{}")]), .text("recovered"))
        let result = try await Fixtures.paladin("a", provider, tools: [broken]).execute("go")
        #expect(result.output == "recovered")
        #expect(result.toolResults.map(\.isError) == [true, true])
        #expect(result.toolResults[1].output.contains("unknown tool"))
    }

    @Test func maxTurnsStopsALoopingModelAndSaysSo() async throws {
        let provider = ScriptedProvider()
        let echo = ClosureTool(ToolSpec(name: "echo", description: "")) { $0 }
        provider.fallback("looper", .toolCalls([ToolCall(id: "x", name: "echo", arguments: "{}")]))
        let agent = try Fixtures.paladin("looper", provider, tools: [echo]) { $0.maxTurns = 3 }
        let result = try await agent.execute("loop")
        #expect(result.stopReason == .maxTurns)
        #expect(result.turns == 3)
        #expect(provider.requests.count == 3)
    }

    @Test func stopWordsCutTheAnswer() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("Answer: 42\nEND extra text"))
        let result = try await Fixtures.paladin("a", provider) { $0.stop = ["END"] }.execute("q")
        #expect(result.output == "Answer: 42\n")
        #expect(result.stopReason == .stopWord)
        #expect(provider.requests[0].stop == ["END"])
    }

    @Test func retryableProviderErrorsAreRetriedOthersAreNot() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .failure(ProviderError(.rateLimited, "slow down")), .text("ok"))
        provider.script("b", .failure(ProviderError(.authentication, "bad key")), .text("never"))
        let retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        #expect(try await Fixtures.paladin("a", provider) { $0.retry = retry }.execute("q").output == "ok")
        await #expect(throws: ProviderError(.authentication, "bad key")) {
            try await Fixtures.paladin("b", provider) { $0.retry = retry }.execute("q")
        }
        #expect(provider.requests(from: "b").count == 1)
    }

    @Test func timeoutEndsASlowExecution() async throws {
        let provider = ScriptedProvider()
        provider.script("slow", .delayed(.seconds(120), .text("late")))
        let agent = try Fixtures.paladin("slow", provider) { $0.timeout = .milliseconds(50) }
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: TimeoutError.self) { try await agent.execute("q") }
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
    }

    @Test func streamingYieldsDeltasThenTheFinalResult() async throws {
        let provider = ScriptedProvider()
        provider.script("bard", .text("one two three"))
        var deltas: [String] = []
        var final: PaladinResult?
        for try await event in try Fixtures.paladin("bard", provider).executeStream("sing") {
            switch event {
            case .delta(let text): deltas.append(text)
            case .final(let result): final = result
            default: break
            }
        }
        #expect(deltas == ["one ", "two ", "three"])
        #expect(final?.output == "one two three")
    }

    @Test func garrisonSessionGivesMemoryAcrossExecutions() async throws {
        let provider = ScriptedProvider()
        let garrison = InMemoryGarrisonStore()
        provider.script("friend", .text("Nice to meet you, Ada."), .text("Your name is Ada."))
        let agent = try PaladinAgent(PaladinDefinition(name: "friend", systemPrompt: "Be kind."), provider: provider, garrison: garrison)
        _ = try await agent.execute("My name is Ada.", sessionID: "s1")
        _ = try await agent.execute("What is my name?", sessionID: "s1")
        let second = provider.requests[1].messages
        #expect(second.map(\.content) == ["Be kind.", "My name is Ada.", "Nice to meet you, Ada.", "What is my name?"])
        #expect(try garrison.history(sessionID: "s1", limit: 0).count == 4)
    }

    @Test func invalidDefinitionsAndUnknownToolsAreRefused() throws {
        #expect(throws: PaladinError.self) { try PaladinAgent(PaladinDefinition(name: "bad name"), provider: ScriptedProvider()) }
        #expect(throws: PaladinError.unknownTool("search")) {
            try PaladinAgent(PaladinDefinition(name: "a", tools: ["search"]), provider: ScriptedProvider())
        }
        let problems = PaladinDefinition(name: "", temperature: 3, maxTurns: 0).validate().map(\.field)
        #expect(problems == ["name", "temperature", "max_turns"])
    }
}

@Suite("Paladin garrison policy")
struct PaladinGarrisonPolicyTests {
    @Test func aPaladinsPolicyBoundsItsSessions() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let garrison = InMemoryGarrisonStore()
        let definition = PaladinDefinition(name: "brief", systemPrompt: "Be brief.",
                                           garrisonPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 4))
        let agent = try PaladinAgent(definition, provider: provider, garrison: garrison)
        for turn in 1...5 { _ = try await agent.execute("turn \(turn)", sessionID: "s") }
        let kept = try garrison.history(sessionID: "s", limit: 0)
        #expect(kept.map(\.content) == ["turn 4", "ok", "turn 5", "ok"])
        #expect(try garrison.policy(for: "s").maxEntries == 4)
    }

    @Test func anInvalidPolicyIsADefinitionProblem() {
        let definition = PaladinDefinition(name: "a", garrisonPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: -1))
        #expect(definition.validate().map(\.field) == ["garrison"])
    }
}
