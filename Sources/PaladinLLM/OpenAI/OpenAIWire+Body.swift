import PaladinCore

extension OpenAIWire {
    /// The chat-completions request body, written directly as bytes (no Foundation objects).
    /// A tool's parameter schema is checked to be a JSON object and then copied as given.
    static func body(_ request: CompletionRequest, model: String, stream: Bool) throws(ProviderError) -> [UInt8] {
        var json = JSONWriter()
        json.raw("{")
        json.key("model")
        json.string(model)
        json.key("messages")
        json.raw("[")
        for message in request.messages {
            json.separator()
            write(message, to: &json)
        }
        json.raw("]")
        if let temperature = request.temperature { json.key("temperature"); try json.number(temperature) }
        if let maxTokens = request.maxTokens { json.key("max_tokens"); json.int(maxTokens) }
        if !request.stop.isEmpty {
            json.key("stop")
            json.raw("[")
            for stop in request.stop { json.separator(); json.string(stop) }
            json.raw("]")
        }
        if !request.tools.isEmpty {
            json.key("tools")
            json.raw("[")
            for spec in request.tools {
                _ = try JSON.schema(spec)
                json.separator()
                json.raw(#"{"type":"function","function":{"#)
                json.key("name"); json.string(spec.name)
                json.key("description"); json.string(spec.description)
                json.key("parameters"); json.raw(spec.parametersSchema)
                json.raw("}}")
            }
            json.raw("]")
        }
        if stream { json.raw(#","stream":true,"stream_options":{"include_usage":true}"#) }
        json.raw("}")
        return json.bytes
    }

    private static func write(_ message: ChatMessage, to json: inout JSONWriter) {
        json.raw("{")
        json.key("role"); json.string(message.role.rawValue)
        json.key("content")
        if !message.toolCalls.isEmpty, message.content.isEmpty { json.raw("null") } else { json.string(message.content) }
        if !message.toolCalls.isEmpty {
            json.key("tool_calls")
            json.raw("[")
            for call in message.toolCalls {
                json.separator()
                json.raw("{")
                json.key("id"); json.string(call.id)
                json.key("type"); json.string("function")
                json.key("function")
                json.raw("{")
                json.key("name"); json.string(call.name)
                json.key("arguments"); json.string(call.arguments)
                json.raw("}}")
            }
            json.raw("]")
        }
        if let id = message.toolCallID { json.key("tool_call_id"); json.string(id) }
        json.raw("}")
    }
}
