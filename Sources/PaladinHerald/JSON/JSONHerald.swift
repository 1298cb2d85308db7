import PaladinCore

/// The JSON format: snake_case keys in a fixed order, durations as `*_ms` numbers with three
/// decimals, absent optionals as `null` (so every document has the same shape).
enum JSONHerald {
    static func render(_ result: PaladinResult, pretty: Bool) -> String {
        var json = JSONWriter(pretty: pretty)
        write(result, to: &json)
        return json.string
    }

    static func render(_ result: BattalionResult, pretty: Bool) -> String {
        var json = JSONWriter(pretty: pretty)
        write(result, to: &json)
        return json.string
    }

    /// `{paladin, stop_reason, output, turns, duration_ms, usage, tool_calls[], tool_results[]}`.
    static func write(_ result: PaladinResult, to json: inout JSONWriter) {
        json.beginObject()
        json.key("paladin"); json.string(result.paladin)
        json.key("stop_reason"); json.string(result.stopReason.rawValue)
        json.key("output"); json.string(result.output)
        json.key("turns"); json.int(result.turns)
        json.key("duration_ms"); json.milliseconds(result.duration)
        json.key("usage"); write(result.usage, to: &json)
        json.key("tool_calls"); json.array(result.toolCalls) { json, call in write(call, to: &json) }
        json.key("tool_results"); json.array(result.toolResults) { json, toolResult in write(toolResult, to: &json) }
        json.endObject()
    }

    /// `{pattern, status, final_output, error, reasoning, duration_ms, steps[], totals}`.
    static func write(_ result: BattalionResult, to json: inout JSONWriter) {
        json.beginObject()
        json.key("pattern"); json.string(result.pattern)
        json.key("status"); json.string(result.status.rawValue)
        json.key("final_output"); json.string(result.finalOutput)
        json.key("error"); json.string(result.error)
        json.key("reasoning"); json.string(result.reasoning)
        json.key("duration_ms"); json.milliseconds(result.duration)
        json.key("steps"); json.array(result.steps) { json, step in write(step, to: &json) }
        json.key("totals")
        json.beginObject()
        json.key("steps"); json.int(result.steps.count)
        json.key("succeeded"); json.int(result.succeeded)
        json.key("failed"); json.int(result.failed)
        json.key("skipped"); json.int(result.steps.count { $0.status == .skipped })
        json.key("cancelled"); json.int(result.steps.count { $0.status == .cancelled })
        json.key("usage"); write(result.usage, to: &json)
        json.endObject()
        json.endObject()
    }

    /// `{member, status, output, error, started_ms, duration_ms, usage, attempts}`.
    static func write(_ step: MemberStep, to json: inout JSONWriter) {
        json.beginObject()
        json.key("member"); json.string(step.member)
        json.key("status"); json.string(step.status.rawValue)
        json.key("output"); json.string(step.output)
        json.key("error"); json.string(step.error)
        json.key("started_ms"); json.milliseconds(step.startedAt)
        json.key("duration_ms"); json.milliseconds(step.duration)
        json.key("usage"); write(step.usage, to: &json)
        json.key("attempts"); json.int(step.attempts)
        json.endObject()
    }

    /// `{prompt_tokens, completion_tokens, total_tokens}`.
    static func write(_ usage: TokenUsage, to json: inout JSONWriter) {
        json.beginObject()
        json.key("prompt_tokens"); json.int(usage.promptTokens)
        json.key("completion_tokens"); json.int(usage.completionTokens)
        json.key("total_tokens"); json.int(usage.totalTokens)
        json.endObject()
    }

    /// `{id, name, arguments}`; the arguments stay the string the model produced.
    static func write(_ call: ToolCall, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(call.id)
        json.key("name"); json.string(call.name)
        json.key("arguments"); json.string(call.arguments)
        json.endObject()
    }

    /// `{call_id, name, output, is_error}`.
    static func write(_ result: ToolResult, to json: inout JSONWriter) {
        json.beginObject()
        json.key("call_id"); json.string(result.callID)
        json.key("name"); json.string(result.name)
        json.key("output"); json.string(result.output)
        json.key("is_error"); json.bool(result.isError)
        json.endObject()
    }
}
