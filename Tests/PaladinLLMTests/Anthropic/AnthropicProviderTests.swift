import PaladinCore
import Testing
@testable import PaladinLLM

@Suite struct AnthropicProviderTests {
    let request = CompletionRequest(model: "", messages: [.system("Be brief."), .user("Hi")], temperature: 0.2, stop: ["END"])

    @Test func completeSendsHeadersAndParsesBlocks() async throws {
        let body = #"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{"city":"Rome"}}],"stop_reason":"tool_use","usage":{"input_tokens":15,"output_tokens":7}}"#
        try await withServer({ _, _ in .json(body) }) { server, engine in
            let completion = try await anthropic(server, engine).complete(request)
            #expect(completion == Completion(text: "Let me check.", toolCalls: [ToolCall(id: "toolu_9", name: "get_weather", arguments: #"{"city":"Rome"}"#)],
                                             usage: TokenUsage(promptTokens: 15, completionTokens: 7), finishReason: .toolCalls))
            let sent = try #require(server.requests.first)
            #expect(sent.uri == "/v1/messages")
            #expect(sent.headers["x-api-key"] == "ak-test")
            #expect(sent.headers["anthropic-version"] == AnthropicProvider.apiVersion)
            #expect(sent.json["model"] as? String == "claude-test")
            #expect(sent.json["system"] as? String == "Be brief.")
            #expect(sent.json["max_tokens"] as? Int == AnthropicProvider.defaultMaxTokens)
            #expect(sent.json["stop_sequences"] as? [String] == ["END"])
        }
    }

    @Test func consecutiveToolResultsMergeIntoOneUserMessage() {
        let messages = AnthropicWire.messages([
            .user("q"), .assistant("", toolCalls: [ToolCall(id: "a", name: "t", arguments: "{}"), ToolCall(id: "b", name: "t", arguments: "{}")]),
            .tool("1", callID: "a"), .tool("2", callID: "b"), .user("and?"),
        ])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
        #expect((messages[2]["content"] as? [[String: Any]])?.map { $0["type"] as? String } == ["tool_result", "tool_result", "text"])
    }

    @Test func errorEventMidStream() async throws {
        let events = [
            #"data: {"type":"message_start","message":{"usage":{"input_tokens":3}}}"#,
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
            "event: error\n" + #"data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ]
        try await withServer({ _, _ in .sse(events, split: 9) }) { server, engine in
            let error = await caught { _ = try await collect(anthropic(server, engine).stream(request)) }
            #expect(error as? ProviderError == ProviderError(.server, "Overloaded"))
        }
    }

    @Test(arguments: [(401, ProviderError.Kind.authentication), (529, .server), (429, .rateLimited)])
    func statusErrors(status: Int, kind: ProviderError.Kind) async throws {
        let body = #"{"type":"error","error":{"type":"some_error","message":"nope"}}"#
        try await withServer({ _, _ in .json(body, status: status) }) { server, engine in
            let error = await caught { _ = try await collect(anthropic(server, engine).stream(request)) }
            #expect(error as? ProviderError == ProviderError(kind, "nope"))
        }
    }

    @Test func promptTooLong() async throws {
        let body = #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#
        try await withServer({ _, _ in .json(body, status: 400) }) { server, engine in
            let error = await caught { _ = try await anthropic(server, engine).complete(request) }
            #expect((error as? ProviderError)?.kind == .contextTooLong)
        }
    }

    @Test func droppedStreamIsANetworkError() async throws {
        let events = [#"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#]
        try await withServer({ _, _ in .sse(events, ending: .drop) }) { server, engine in
            let error = await caught { _ = try await collect(anthropic(server, engine).stream(request)) }
            #expect((error as? ProviderError)?.kind == .network)
        }
    }
}
