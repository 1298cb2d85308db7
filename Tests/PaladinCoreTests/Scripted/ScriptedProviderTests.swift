import PaladinCore
import Testing

/// The scripted provider answers per agent from its queue, then its fallback, then the default,
/// records what it was sent, and honours delays and failures.
struct ScriptedProviderTests {
    private func request(_ agent: String) -> CompletionRequest {
        CompletionRequest(model: "m", messages: [.user("hi")], agent: agent)
    }

    @Test func repliesComeInScriptOrderThenTheFallback() async throws {
        let provider = ScriptedProvider(defaultReply: .text("default"))
        provider.script("a", .text("one"), .delayed(.milliseconds(1), .text("two")),
                        .withUsage(TokenUsage(promptTokens: 1), .text("three")))
        #expect(try await provider.complete(request("a")).text == "one")
        #expect(try await provider.complete(request("a")).text == "two")
        let third = try await provider.complete(request("a"))
        #expect(third.text == "three" && third.usage == TokenUsage(promptTokens: 1))
        #expect(try await provider.complete(request("a")).text == "default")
        provider.fallback("a", .text("fallback"))
        #expect(try await provider.complete(request("a")).text == "fallback")
        #expect(provider.requests.count == 5)
    }

    @Test func failuresThrowAndUnrecordedProvidersRecordNothing() async throws {
        let provider = ScriptedProvider(defaultReply: .text("default"), recordRequests: false)
        #expect(try await provider.complete(request("x")).text == "default")
        provider.script("x", .failure(ProviderError(.server, "boom")))
        await #expect(throws: ProviderError.self) { try await provider.complete(self.request("x")) }
        #expect(try await provider.complete(request("x")).text == "default")
        #expect(provider.requests.isEmpty)
    }

    @Test func streamsInPiecesThenTheCompletion() async throws {
        let provider = ScriptedProvider(defaultReply: .text("two words"))
        var pieces: [String] = []
        var done: Completion?
        for try await chunk in provider.stream(request("s")) {
            switch chunk {
            case .text(let piece): pieces.append(piece)
            case .done(let completion): done = completion
            }
        }
        #expect(pieces == ["two ", "words"])
        #expect(done?.text == "two words")
    }

    @Test func anAgentLoopTakesRepliesInScriptOrder() async throws {
        let provider = ScriptedProvider()
        provider.script("p", .text("first"), .delayed(.milliseconds(1), .text("second")), .text("third"))
        let agent = try PaladinAgent(PaladinDefinition(name: "p"), provider: provider)
        var outputs: [String] = []
        for _ in 0..<3 { outputs.append(try await agent.execute("go").output) }
        #expect(outputs == ["first", "second", "third"])
        #expect(provider.requests(from: "p").count == 3)
    }
}
