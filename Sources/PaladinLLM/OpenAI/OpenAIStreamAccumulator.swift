import PaladinCore

/// Assembles a streamed chat completion: text deltas, tool calls arriving in pieces keyed by
/// `index`, the finish reason, and the usage chunk that ends the stream before `[DONE]`.
/// Every piece of text it keeps is charged to the completion budget first.
struct OpenAIStreamAccumulator: StreamAccumulator {
    private var budget: CompletionBudget
    private var text = ""
    private var calls: [Int: (id: String, name: String, arguments: String)] = [:]
    private var reason: String?
    private var usage: TokenUsage?
    private var done = false

    init(limits: ResponseLimits = ResponseLimits()) { budget = CompletionBudget(limits) }

    mutating func apply(_ event: SSEEvent) throws(ProviderError) -> String {
        if event.data == "[DONE]" { done = true; return "" }
        guard let chunk = OpenAIChunk.decode(event.data), chunk.error == nil else { return try failure(event.data) }
        if let value = chunk.usage {
            usage = TokenUsage(promptTokens: value.prompt_tokens ?? 0, completionTokens: value.completion_tokens ?? 0)
        }
        guard let choice = chunk.choices?.first else { return "" }
        if let value = choice.finish_reason { reason = value }
        guard let delta = choice.delta else { return "" }
        for part in delta.tool_calls ?? [] {
            let index = part.index ?? calls.count
            if calls[index] == nil { try budget.charge(CompletionBudget.perCall) }
            try budget.charge(part.id)
            try budget.charge(part.function?.name)
            try budget.charge(part.function?.arguments)
            var call = calls[index] ?? (id: "", name: "", arguments: "")
            if let id = part.id { call.id = id }
            if let name = part.function?.name { call.name += name }
            if let arguments = part.function?.arguments { call.arguments += arguments }
            calls[index] = call
        }
        let piece = delta.content ?? ""
        try budget.charge(piece.utf8.count)
        text += piece
        return piece
    }

    /// A chunk that is not a normal delta: an error object, or not the JSON we expect.
    private func failure(_ data: String) throws(ProviderError) -> String {
        let chunk = try JSON.object(data.utf8, what: "stream chunk")
        guard let error = chunk["error"] else {
            throw ProviderError(.malformedResponse, "stream chunk has an unexpected shape: \(data.prefix(200))")
        }
        let body = Array(JSON.text(["error": error]).utf8)
        let (message, code) = HTTPFailure.details(body, status: 200)
        throw ProviderError(HTTPFailure.isContextTooLong(message, code: code) ? .contextTooLong : .server, message)
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
