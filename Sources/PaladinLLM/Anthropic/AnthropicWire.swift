import PaladinCore

/// The Anthropic Messages JSON: request bodies and non-streamed responses.
enum AnthropicWire {
    static func body(_ request: CompletionRequest, model: String, stream: Bool) throws(ProviderError) -> [UInt8] {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var body: [String: Any] = [
            "model": model, "messages": messages(request.messages),
            "max_tokens": request.maxTokens ?? AnthropicProvider.defaultMaxTokens,
        ]
        if !system.isEmpty { body["system"] = system }
        if let temperature = request.temperature { body["temperature"] = temperature }
        if !request.stop.isEmpty { body["stop_sequences"] = request.stop }
        if !request.tools.isEmpty {
            var tools: [[String: Any]] = []
            for spec in request.tools {
                tools.append(["name": spec.name, "description": spec.description, "input_schema": try JSON.schema(spec)])
            }
            body["tools"] = tools
        }
        if stream { body["stream"] = true }
        return try JSON.bytes(body)
    }

    /// Non-system messages as content blocks; consecutive messages of one role (several tool
    /// results, a tool result then a user message) merge, as the API wants roles to alternate.
    static func messages(_ messages: [ChatMessage]) -> [[String: Any]] {
        var out: [(role: String, blocks: [[String: Any]])] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            let blocks = self.blocks(message)
            if let last = out.last, last.role == role { out[out.count - 1].blocks += blocks } else { out.append((role, blocks)) }
        }
        return out.map { ["role": $0.role, "content": $0.blocks] }
    }

    static func blocks(_ message: ChatMessage) -> [[String: Any]] {
        if message.role == .tool {
            return [["type": "tool_result", "tool_use_id": message.toolCallID ?? "", "content": message.content]]
        }
        var blocks: [[String: Any]] = message.content.isEmpty ? [] : [["type": "text", "text": message.content]]
        for call in message.toolCalls {
            blocks.append(["type": "tool_use", "id": call.id, "name": call.name, "input": JSON.value(call.arguments) as? [String: Any] ?? [:]])
        }
        return blocks
    }

    static func completion(_ body: [String: Any]) throws(ProviderError) -> Completion {
        guard let content = body["content"] as? [[String: Any]] else {
            throw ProviderError(.malformedResponse, "response has no content: \(JSON.text(body).prefix(300))")
        }
        var text = ""
        var calls: [ToolCall] = []
        for block in content {
            switch block["type"] as? String {
            case "text": text += block["text"] as? String ?? ""
            case "tool_use":
                guard let id = block["id"] as? String, let name = block["name"] as? String else {
                    throw ProviderError(.malformedResponse, "tool_use block without id or name")
                }
                calls.append(ToolCall(id: id, name: name, arguments: JSON.text(block["input"] ?? [String: Any]())))
            default: continue
            }
        }
        let usage = body["usage"] as? [String: Any]
        return Completion(text: text, toolCalls: calls,
                          usage: usage.map { TokenUsage(promptTokens: $0.int("input_tokens") ?? 0, completionTokens: $0.int("output_tokens") ?? 0) },
                          finishReason: finishReason(body["stop_reason"] as? String, hasToolCalls: !calls.isEmpty))
    }

    static func finishReason(_ reason: String?, hasToolCalls: Bool) -> FinishReason {
        switch reason {
        case "max_tokens": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: hasToolCalls ? .toolCalls : .stop
        }
    }

    /// An `error` object from a stream event, by its type.
    static func streamError(_ error: [String: Any]) -> ProviderError {
        let message = error["message"] as? String ?? JSON.text(error)
        return switch error["type"] as? String {
        case "rate_limit_error": ProviderError(.rateLimited, message)
        case "authentication_error", "permission_error": ProviderError(.authentication, message)
        case "invalid_request_error":
            ProviderError(HTTPFailure.isContextTooLong(message, code: nil) ? .contextTooLong : .invalidRequest, message)
        default: ProviderError(.server, message)
        }
    }
}
