import PaladinCore

/// Assembles a streamed chat completion: text deltas, tool calls arriving in pieces keyed by
/// `index`, the finish reason, and the usage chunk that ends the stream before `[DONE]`.
struct OpenAIStreamAccumulator: StreamAccumulator {
    private var text = ""
    private var calls: [Int: (id: String, name: String, arguments: String)] = [:]
    private var reason: String?
    private var usage: TokenUsage?
    private var done = false

    mutating func apply(_ event: SSEEvent) throws(ProviderError) -> String {
        if event.data == "[DONE]" { done = true; return "" }
        let chunk = try JSON.object(event.data.utf8, what: "stream chunk")
        if let error = chunk["error"] {
            let body = Array(JSON.text(["error": error]).utf8)
            let (message, code) = HTTPFailure.details(body, status: 200)
            throw ProviderError(HTTPFailure.isContextTooLong(message, code: code) ? .contextTooLong : .server, message)
        }
        if let value = OpenAIWire.usage(chunk["usage"]) { usage = value }
        guard let choice = (chunk["choices"] as? [[String: Any]])?.first else { return "" }
        if let value = choice["finish_reason"] as? String { reason = value }
        guard let delta = choice["delta"] as? [String: Any] else { return "" }
        for part in (delta["tool_calls"] as? [[String: Any]]) ?? [] {
            let index = part.int("index") ?? calls.count
            var call = calls[index] ?? (id: "", name: "", arguments: "")
            if let id = part["id"] as? String { call.id = id }
            let function = part["function"] as? [String: Any] ?? [:]
            if let name = function["name"] as? String { call.name += name }
            if let arguments = function["arguments"] as? String { call.arguments += arguments }
            calls[index] = call
        }
        let piece = delta["content"] as? String ?? ""
        text += piece
        return piece
    }

    func completion() throws(ProviderError) -> Completion {
        guard done || reason != nil else { throw ProviderError(.network, "the stream ended before [DONE]") }
        let toolCalls = calls.sorted { $0.key < $1.key }.map { index, call in
            ToolCall(id: call.id.isEmpty ? "call_\(index)" : call.id, name: call.name, arguments: call.arguments.isEmpty ? "{}" : call.arguments)
        }
        return Completion(text: text, toolCalls: toolCalls, usage: usage,
                          finishReason: OpenAIWire.finishReason(reason, hasToolCalls: !toolCalls.isEmpty))
    }
}
