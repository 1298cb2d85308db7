import PaladinCore
import Testing
@testable import PaladinLLM

/// A paladin with a real tool, through each provider's wire format: the model asks for the
/// tool, the agent runs it, and the result goes back in the provider's own shape.
@Suite struct ToolRoundTripTests {
    let weather = ClosureTool(weatherTool) { arguments in
        arguments.contains("Paris") ? "18°C and sunny" : "unknown city"
    }
    let definition = PaladinDefinition(name: "forecaster", systemPrompt: "Use tools.", model: "m", tools: ["get_weather"])

    @Test func openAIRoundTrip() async throws {
        let call = #"{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}"#
        let final = #"{"choices":[{"message":{"role":"assistant","content":"Paris: 18°C, sunny."},"finish_reason":"stop"}],"usage":{"prompt_tokens":30,"completion_tokens":6}}"#
        try await withServer({ _, index in .json(index == 0 ? call : final) }) { server, engine in
            let agent = try PaladinAgent(definition, provider: openAI(server, engine), tools: [weather])
            let result = try await agent.execute("Weather in Paris?")
            #expect(result.output == "Paris: 18°C, sunny.")
            #expect(result.turns == 2)
            #expect(result.toolResults.map(\.output) == ["18°C and sunny"])
            let messages = try #require(server.requests.last?.json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "tool"])
            let asked = try #require((messages[2]["tool_calls"] as? [[String: Any]])?.first)
            #expect(asked["id"] as? String == "call_1")
            #expect(messages[3]["tool_call_id"] as? String == "call_1")
            #expect(messages[3]["content"] as? String == "18°C and sunny")
        }
    }

    @Test func anthropicStreamingRoundTrip() async throws {
        let call = [
            #"event: message_start"# + "\n" + #"data: {"type":"message_start","message":{"id":"m1","role":"assistant","content":[],"usage":{"input_tokens":20,"output_tokens":1}}}"#,
            #"event: content_block_start"# + "\n" + #"data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}"#,
            #"event: content_block_delta"# + "\n" + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Par"}}"#,
            #"event: content_block_delta"# + "\n" + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"is\"}"}}"#,
            #"event: content_block_stop"# + "\n" + #"data: {"type":"content_block_stop","index":0}"#,
            #"event: message_delta"# + "\n" + #"data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"#,
            #"event: message_stop"# + "\n" + #"data: {"type":"message_stop"}"#,
        ]
        let final = [
            #"data: {"type":"message_start","message":{"usage":{"input_tokens":40}}}"#,
            #"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Sunny, "}}"#,
            #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"18°C."}}"#,
            #"data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":5}}"#,
            #"data: {"type":"message_stop"}"#,
        ]
        try await withServer({ _, index in .sse(index == 0 ? call : final, split: 11) }) { server, engine in
            let agent = try PaladinAgent(definition, provider: anthropic(server, engine), tools: [weather])
            var deltas: [String] = []
            var result: PaladinResult?
            for try await event in agent.executeStream("Weather in Paris?") {
                switch event {
                case .delta(let text): deltas.append(text)
                case .final(let value): result = value
                default: break
                }
            }
            #expect(deltas.joined() == "Sunny, 18°C.")
            #expect(result?.output == "Sunny, 18°C.")
            #expect(result?.toolResults.map(\.output) == ["18°C and sunny"])
            #expect(result?.usage == TokenUsage(promptTokens: 60, completionTokens: 14))
            let json = try #require(server.requests.last?.json)
            #expect(json["system"] as? String == "Use tools.")
            let messages = try #require(json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
            let use = try #require((messages[1]["content"] as? [[String: Any]])?.first)
            #expect(use["type"] as? String == "tool_use")
            #expect((use["input"] as? [String: Any])?["city"] as? String == "Paris")
            let toolResult = try #require((messages[2]["content"] as? [[String: Any]])?.first)
            #expect(toolResult["type"] as? String == "tool_result")
            #expect(toolResult["tool_use_id"] as? String == "toolu_1")
            #expect(toolResult["content"] as? String == "18°C and sunny")
        }
    }
}
