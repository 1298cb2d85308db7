import PaladinCore

/// Streaming events as NDJSON: one compact JSON object per event, ending in `\n`, tagged by an
/// `event` key that always comes first. Newlines inside text are escaped, so a line is an event.
enum NDJSONHerald {
    /// `delta {text}`, `tool_call {id, name, arguments}`, `tool_result {call_id, name, output,
    /// is_error}`, `final {result}`.
    static func line(_ event: PaladinEvent) -> String {
        var json = JSONWriter(pretty: false)
        json.beginObject()
        switch event {
        case .delta(let text):
            json.key("event"); json.string("delta")
            json.key("text"); json.string(text)
        case .toolCall(let call):
            json.key("event"); json.string("tool_call")
            json.key("id"); json.string(call.id)
            json.key("name"); json.string(call.name)
            json.key("arguments"); json.string(call.arguments)
        case .toolResult(let result):
            json.key("event"); json.string("tool_result")
            json.key("call_id"); json.string(result.callID)
            json.key("name"); json.string(result.name)
            json.key("output"); json.string(result.output)
            json.key("is_error"); json.bool(result.isError)
        case .final(let result):
            json.key("event"); json.string("final")
            json.key("result"); JSONHerald.write(result, to: &json)
        }
        json.endObject()
        json.raw("\n")
        return json.string
    }

    /// `member_started {member}`, `member_delta {member, text}`, `member_finished {step}`,
    /// `result {result}`.
    static func line(_ event: BattalionEvent) -> String {
        var json = JSONWriter(pretty: false)
        json.beginObject()
        switch event {
        case .memberStarted(let member):
            json.key("event"); json.string("member_started")
            json.key("member"); json.string(member)
        case .memberDelta(let member, let text):
            json.key("event"); json.string("member_delta")
            json.key("member"); json.string(member)
            json.key("text"); json.string(text)
        case .memberFinished(let step):
            json.key("event"); json.string("member_finished")
            json.key("step"); JSONHerald.write(step, to: &json)
        case .result(let result):
            json.key("event"); json.string("result")
            json.key("result"); JSONHerald.write(result, to: &json)
        }
        json.endObject()
        json.raw("\n")
        return json.string
    }
}
