import PaladinCore

/// Assembles a streamed Messages response from its events: message_start (input usage),
/// content_block_start/delta/stop (text and tool_use with partial JSON input), message_delta
/// (stop reason, output usage), message_stop; ping is ignored, error ends the stream.
/// Every piece of text it keeps is charged to the completion budget first.
struct AnthropicStreamAccumulator: StreamAccumulator {
    private var budget: CompletionBudget
    private var text = ""
    private var blocks: [Int: (id: String, name: String, json: String)] = [:]
    private var usage = TokenUsage()
    private var reason: String?
    private var done = false

    init(limits: ResponseLimits = ResponseLimits()) { budget = CompletionBudget(limits) }

    mutating func apply(_ event: SSEEvent) throws(ProviderError) -> String {
        let object = try JSON.object(event.data.utf8, what: "stream event")
        switch object["type"] as? String ?? event.event {
        case "message_start":
            let message = object["message"] as? [String: Any]
            if let input = (message?["usage"] as? [String: Any])?.int("input_tokens") { usage.promptTokens = input }
        case "content_block_start":
            guard let index = object.int("index"), let block = object["content_block"] as? [String: Any] else { break }
            if block["type"] as? String == "tool_use" {
                let id = block["id"] as? String ?? "", name = block["name"] as? String ?? ""
                try budget.charge(CompletionBudget.perCall + id.utf8.count + name.utf8.count)
                blocks[index] = (id, name, "")
            }
            if let start = block["text"] as? String, !start.isEmpty {
                try budget.charge(start)
                text += start
                return start
            }
        case "content_block_delta":
            guard let index = object.int("index"), let delta = object["delta"] as? [String: Any] else { break }
            if let piece = delta["text"] as? String {
                try budget.charge(piece)
                text += piece
                return piece
            }
            if let json = delta["partial_json"] as? String, blocks[index] != nil {
                try budget.charge(json)
                blocks[index]?.json += json
            }
        case "message_delta":
            if let value = (object["delta"] as? [String: Any])?["stop_reason"] as? String { reason = value }
            if let output = (object["usage"] as? [String: Any])?.int("output_tokens") { usage.completionTokens = output }
        case "message_stop": done = true
        case "error": throw AnthropicWire.streamError(object["error"] as? [String: Any] ?? [:])
        default: break
        }
        return ""
    }

    func completion() throws(ProviderError) -> Completion {
        guard done else { throw ProviderError(.network, "the stream ended before message_stop") }
        let calls = blocks.sorted { $0.key < $1.key }.map { ToolCall(id: $1.id, name: $1.name, arguments: $1.json.isEmpty ? "{}" : $1.json) }
        return Completion(text: text, toolCalls: calls, usage: usage,
                          finishReason: AnthropicWire.finishReason(reason, hasToolCalls: !calls.isEmpty))
    }
}
