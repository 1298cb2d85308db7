import Foundation
import PaladinCore
import Testing
@testable import PaladinLLM

/// The hand-written request body: valid JSON that reads back as what was asked, escapes included.
@Suite struct OpenAIBodyTests {
    func parsed(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func bodyReadsBackWithEscapesToolsAndToolCalls() throws {
        let tricky = "quote \" backslash \\ slash / line\nreturn\r tab\t bell\u{7} é✓😀"
        let call = ToolCall(id: "c1", name: "search", arguments: #"{"q":"x"}"#)
        var request = CompletionRequest(model: "ignored", messages: [
            .system(tricky), .user("q"), ChatMessage(role: .assistant, content: "", toolCalls: [call]),
        ], temperature: 0.7)
        request.maxTokens = 9
        request.stop = ["END", "\n\n"]
        request.tools = [ToolSpec(name: "search", description: "Find \"things\"", parametersSchema: #" {"type":"object","properties":{"q":{"type":"string"}}} "#)]
        let json = try parsed(OpenAIWire.body(request, model: "m", stream: true))
        #expect(json["model"] as? String == "m")
        #expect(json["temperature"] as? Double == 0.7)
        #expect(json["max_tokens"] as? Int == 9)
        #expect(json["stop"] as? [String] == ["END", "\n\n"])
        #expect(json["stream"] as? Bool == true)
        #expect((json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.count == 3)
        #expect(messages[0]["content"] as? String == tricky)
        #expect(messages[0]["role"] as? String == "system")
        #expect(messages[2]["content"] is NSNull)
        let sent = try #require((messages[2]["tool_calls"] as? [[String: Any]])?.first)
        #expect(sent["id"] as? String == "c1")
        #expect((sent["function"] as? [String: Any])?["arguments"] as? String == call.arguments)
        let function = try #require(((json["tools"] as? [[String: Any]])?.first)?["function"] as? [String: Any])
        #expect(function["description"] as? String == "Find \"things\"")
        #expect((function["parameters"] as? [String: Any])?["type"] as? String == "object")
    }

    /// The exact bytes: member order, escapes and number forms stay what the hand-written body
    /// sent before it moved onto the package's one `JSONWriter`.
    @Test func bodyBytesGolden() throws {
        var request = CompletionRequest(model: "ignored", messages: [
            .system("be \"brief\"\n"), .user("q/1\t"),
            ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c1", name: "search", arguments: #"{"q":"x"}"#)]),
            .tool("3 hits", callID: "c1"),
        ], temperature: 0.5)
        request.maxTokens = 9
        request.stop = ["END"]
        request.tools = [ToolSpec(name: "search", description: "Find", parametersSchema: #"{"type":"object"}"#)]
        let expected = #"{"model":"m","messages":[{"role":"system","content":"be \"brief\"\n"},{"role":"user","content":"q/1\t"},"#
            + #"{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"search","#
            + #""arguments":"{\"q\":\"x\"}"}}]},{"role":"tool","content":"3 hits","tool_call_id":"c1"}],"temperature":0.5,"#
            + #""max_tokens":9,"stop":["END"],"tools":[{"type":"function","function":{"name":"search","description":"Find","#
            + #""parameters":{"type":"object"}}}],"stream":true,"stream_options":{"include_usage":true}}"#
        #expect(String(decoding: try OpenAIWire.body(request, model: "m", stream: true), as: UTF8.self) == expected)
        request.temperature = 2
        #expect(String(decoding: try OpenAIWire.body(request, model: "m", stream: false), as: UTF8.self).contains(#","temperature":2,"#))
    }

    @Test func nonStreamingBodyHasNoStreamMembers() throws {
        let json = try parsed(OpenAIWire.body(CompletionRequest(model: "m", messages: [.user("hi")]), model: "m", stream: false))
        #expect(json["stream"] == nil)
        #expect(json["temperature"] == nil)
        #expect((json["messages"] as? [[String: Any]])?.first?["content"] as? String == "hi")
    }

    @Test func refusesWhatIsNotJSON() {
        let nan = CompletionRequest(model: "m", messages: [.user("hi")], temperature: .nan)
        #expect(throws: ProviderError.self) { try OpenAIWire.body(nan, model: "m", stream: false) }
        var badTool = CompletionRequest(model: "m", messages: [.user("hi")])
        badTool.tools = [ToolSpec(name: "t", description: "", parametersSchema: "[1]")]
        #expect(throws: ProviderError.self) { try OpenAIWire.body(badTool, model: "m", stream: false) }
    }
}
