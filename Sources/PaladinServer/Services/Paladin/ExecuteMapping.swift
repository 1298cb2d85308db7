import PaladinCore
import PaladinHerald
import PaladinWire

/// Converts execution results and events to the wire.
enum ExecuteMapping {
    static func usage(_ usage: TokenUsage) -> Paladin_V1_Usage {
        var message = Paladin_V1_Usage()
        message.promptTokens = UInt64(clamping: usage.promptTokens)
        message.completionTokens = UInt64(clamping: usage.completionTokens)
        message.totalTokens = UInt64(clamping: usage.totalTokens)
        return message
    }

    static func toolCall(_ call: ToolCall) -> Paladin_V1_ToolCall {
        var message = Paladin_V1_ToolCall()
        message.id = call.id
        message.name = call.name
        message.arguments = call.arguments
        return message
    }

    static func toolResult(_ result: ToolResult) -> Paladin_V1_ToolResult {
        var message = Paladin_V1_ToolResult()
        message.callID = result.callID
        message.name = result.name
        message.output = result.output
        message.isError = result.isError
        return message
    }

    /// The response for a finished execution, rendered by Herald when a format was asked for.
    static func response(_ result: PaladinResult, format: HeraldFormat?) -> Paladin_V1_ExecuteResponse {
        var message = Paladin_V1_ExecuteResponse()
        message.output = result.output
        message.usage = usage(result.usage)
        message.turns = UInt32(clamping: result.turns)
        message.toolCalls = result.toolCalls.map(toolCall)
        message.durationUs = PaladinMapping.microseconds(result.duration)
        message.stopReason = result.stopReason.rawValue
        if let format { message.rendered = Herald.render(result, as: format) }
        return message
    }

    /// The Herald format of a wire format; `nil` when none was asked for.
    static func heraldFormat(_ format: Paladin_V1_OutputFormat) throws(RPCError) -> HeraldFormat? {
        switch format {
        case .unspecified: nil
        case .json: .json
        case .markdown: .markdown
        case .table: .table
        case .unrecognized(let value):
            throw RPCError(.invalidArgument, "format \(value) is not a known output format", details: ["field": "format"])
        }
    }

    /// The wire event of a core event (`final` is sent by the caller with the rendered result).
    static func event(_ event: PaladinEvent, format: HeraldFormat?) -> Paladin_V1_ExecuteEvent {
        var message = Paladin_V1_ExecuteEvent()
        switch event {
        case .delta(let text): message.event = .delta(text)
        case .toolCall(let call): message.event = .toolCall(toolCall(call))
        case .toolResult(let result): message.event = .toolResult(toolResult(result))
        case .final(let result): message.event = .final(response(result, format: format))
        }
        return message
    }
}
