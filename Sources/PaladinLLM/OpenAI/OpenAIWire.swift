import PaladinCore

/// The OpenAI chat-completions JSON: request bodies and non-streamed responses.
enum OpenAIWire {
    static func completion(_ body: [String: Any]) throws(ProviderError) -> Completion {
        guard let choices = body["choices"] as? [[String: Any]], let choice = choices.first,
              let message = choice["message"] as? [String: Any] else {
            throw ProviderError(.malformedResponse, "response has no choices[0].message: \(JSON.text(body).prefix(300))")
        }
        var calls: [ToolCall] = []
        for (index, call) in ((message["tool_calls"] as? [[String: Any]]) ?? []).enumerated() {
            let function = call["function"] as? [String: Any] ?? [:]
            guard let name = function["name"] as? String else {
                throw ProviderError(.malformedResponse, "tool call without a function name")
            }
            let arguments = function["arguments"] as? String ?? (function["arguments"].map(JSON.text) ?? "{}")
            calls.append(ToolCall(id: call["id"] as? String ?? "call_\(index)", name: name, arguments: arguments))
        }
        return Completion(text: message["content"] as? String ?? "", toolCalls: calls, usage: usage(body["usage"]),
                          finishReason: finishReason(choice["finish_reason"] as? String, hasToolCalls: !calls.isEmpty))
    }

    static func usage(_ value: Any?) -> TokenUsage? {
        guard let usage = value as? [String: Any] else { return nil }
        return TokenUsage(promptTokens: usage.int("prompt_tokens") ?? 0, completionTokens: usage.int("completion_tokens") ?? 0)
    }

    static func finishReason(_ reason: String?, hasToolCalls: Bool) -> FinishReason {
        switch reason {
        case "length": .length
        case "tool_calls", "function_call": .toolCalls
        case "content_filter": .contentFilter
        default: hasToolCalls ? .toolCalls : .stop
        }
    }
}
