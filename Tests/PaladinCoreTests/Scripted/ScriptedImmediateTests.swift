import PaladinCore
import Testing

/// The synchronous fast path (`ImmediateLLMProvider`) must answer exactly as `complete` would:
/// same replies in the same order, same recorded requests, delays still honoured.
struct ScriptedImmediateTests {
    private func request(_ agent: String) -> CompletionRequest {
        CompletionRequest(model: "m", messages: [.user("hi")], agent: agent)
    }

    @Test func declinesDelayedRepliesWithoutConsumingThem() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("one"), .delayed(.milliseconds(1), .text("two")), .withUsage(TokenUsage(promptTokens: 1), .text("three")))
        #expect(try provider.completeImmediately(request("a"))?.text == "one")
        #expect(try provider.completeImmediately(request("a")) == nil)  // delayed: declined
        #expect(provider.requests.count == 1)  // a declined request is not recorded
        #expect(try await provider.complete(request("a")).text == "two")
        let third = try #require(try provider.completeImmediately(request("a")))
        #expect(third.text == "three" && third.usage == TokenUsage(promptTokens: 1))
        #expect(provider.requests.count == 3)
    }

    @Test func failuresThrowAndFallbacksAnswer() throws {
        let provider = ScriptedProvider(defaultReply: .text("default"), recordRequests: false)
        #expect(try provider.completeImmediately(request("x"))?.text == "default")
        provider.script("x", .failure(ProviderError(.server, "boom")))
        #expect(throws: ProviderError.self) { try provider.completeImmediately(request("x")) }
        provider.fallback("x", .delayed(.seconds(1), .text("late")))
        #expect(try provider.completeImmediately(request("x")) == nil)
        #expect(provider.requests.isEmpty)
    }

    @Test func anAgentLoopMixesBothPathsInScriptOrder() async throws {
        let provider = ScriptedProvider()
        provider.script("p", .text("first"), .delayed(.milliseconds(1), .text("second")), .text("third"))
        let agent = try PaladinAgent(PaladinDefinition(name: "p"), provider: provider)
        var outputs: [String] = []
        for _ in 0..<3 { outputs.append(try await agent.execute("go").output) }
        #expect(outputs == ["first", "second", "third"])
        #expect(provider.requests(from: "p").count == 3)
    }
}
