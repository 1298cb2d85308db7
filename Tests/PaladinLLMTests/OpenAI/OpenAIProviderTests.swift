import PaladinCore
import Testing
@testable import PaladinLLM

@Suite struct OpenAIProviderTests {
    static let answer = #"{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}"#

    @Test func completeSendsTheWholeRequestAndParsesTheAnswer() async throws {
        try await withServer({ _, _ in .json(Self.answer) }) { server, engine in
            let request = CompletionRequest(model: "", messages: [.system("Be brief."), .user("Hi")], temperature: 0,
                                            maxTokens: 50, stop: ["END"], tools: [weatherTool])
            let completion = try await openAI(server, engine).complete(request)
            #expect(completion == Completion(text: "Hello there", usage: TokenUsage(promptTokens: 12, completionTokens: 3)))
            let sent = try #require(server.requests.first)
            #expect(sent.uri == "/v1/chat/completions")
            #expect(sent.headers["authorization"] == "Bearer sk-test")
            #expect(sent.headers["x-team"] == "paladin")
            let json = sent.json
            #expect(json["model"] as? String == "test-model")
            #expect(json["max_tokens"] as? Int == 50)
            #expect(json["temperature"] as? Double == 0)
            #expect(json["stop"] as? [String] == ["END"])
            #expect(json["stream"] == nil)
            let messages = try #require(json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["system", "user"])
            #expect(messages.map { $0["content"] as? String } == ["Be brief.", "Hi"])
            let tool = try #require((json["tools"] as? [[String: Any]])?.first?["function"] as? [String: Any])
            #expect(tool["name"] as? String == "get_weather")
            #expect((tool["parameters"] as? [String: Any])?["required"] as? [String] == ["city"])
        }
    }

    @Test func streamSplitAtAwkwardBoundaries() async throws {
        let events = [
            #"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{"content":"Ça va "}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{"content":"✓ bien"}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            #"data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":4}}"#,
            "data: [DONE]",
        ]
        for split in [1, 3, 7, 64] {
            try await withServer({ _, _ in .sse(events, split: split) }) { server, engine in
                let (pieces, done) = try await collect(openAI(server, engine).stream(CompletionRequest(model: "m", messages: [.user("q")])))
                #expect(pieces == ["Ça va ", "✓ bien"], "split \(split)")
                #expect(done == Completion(text: "Ça va ✓ bien", usage: TokenUsage(promptTokens: 5, completionTokens: 4)))
                let json = try #require(server.requests.first).json
                #expect(json["stream"] as? Bool == true)
                #expect((json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
            }
        }
    }

    @Test func streamAssemblesToolCallDeltas() async throws {
        let events = [
            #"data: {"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}]}}]}"#,
            #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            "data: [DONE]",
        ]
        try await withServer({ _, _ in .sse(events, split: 5) }) { server, engine in
            let (pieces, done) = try await collect(openAI(server, engine).stream(CompletionRequest(model: "m", messages: [.user("q")])))
            #expect(pieces.isEmpty)
            #expect(done?.finishReason == .toolCalls)
            #expect(done?.toolCalls == [ToolCall(id: "call_a", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                                        ToolCall(id: "call_b", name: "get_weather", arguments: #"{"city":"Oslo"}"#)])
        }
    }

    @Test func completeParsesToolCalls() async throws {
        let body = #"{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},"finish_reason":"tool_calls"}]}"#
        try await withServer({ _, _ in .json(body) }) { server, engine in
            let completion = try await openAI(server, engine).complete(CompletionRequest(model: "m", messages: [.user("q")]))
            #expect(completion == Completion(text: "", toolCalls: [ToolCall(id: "c9", name: "get_weather", arguments: #"{"city":"Rome"}"#)],
                                             finishReason: .toolCalls))
        }
    }

    @Test func sequentialCallsReuseTheConnection() async throws {
        try await withServer({ _, _ in .json(Self.answer) }) { server, engine in
            let provider = openAI(server, engine)
            for _ in 0..<3 { _ = try await provider.complete(CompletionRequest(model: "m", messages: [.user("q")])) }
            let ports = server.requests.map(\.clientPort)
            #expect(ports.count == 3 && Set(ports).count == 1, "one connection for all three: \(ports)")
        }
    }
}
