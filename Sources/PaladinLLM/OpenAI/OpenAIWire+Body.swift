import PaladinCore

extension OpenAIWire {
    /// The chat-completions request body, written directly as bytes with the package's
    /// `JSONWriter` (no Foundation objects). A tool's parameter schema is checked to be a JSON
    /// object and then copied as given.
    static func body(_ request: CompletionRequest, model: String, stream: Bool) throws(ProviderError) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("model"); json.string(model)
        json.key("messages"); json.array(request.messages) { json, message in write(message, to: &json) }
        if let temperature = request.temperature {
            guard temperature.isFinite else {
                throw ProviderError(.invalidRequest, "could not encode the request as JSON: \(temperature) is not a JSON number")
            }
            json.key("temperature"); json.number(temperature)
        }
        if let maxTokens = request.maxTokens { json.key("max_tokens"); json.int(maxTokens) }
        if !request.stop.isEmpty {
            json.key("stop"); json.array(request.stop) { json, stop in json.string(stop) }
        }
        if !request.tools.isEmpty {
            json.key("tools")
            try json.array(request.tools) { json, spec throws(ProviderError) in
                _ = try JSON.schema(spec)
                json.beginObject()
                json.key("type"); json.string("function")
                json.key("function")
                json.beginObject()
                json.key("name"); json.string(spec.name)
                json.key("description"); json.string(spec.description)
                json.key("parameters"); json.raw(spec.parametersSchema)
                json.endObject()
                json.endObject()
            }
        }
        if stream {
            json.key("stream"); json.bool(true)
            json.key("stream_options")
            json.beginObject()
            json.key("include_usage"); json.bool(true)
            json.endObject()
        }
        json.endObject()
        return json.bytes
    }

    private static func write(_ message: ChatMessage, to json: inout JSONWriter) {
        json.beginObject()
        json.key("role"); json.string(message.role.rawValue)
        json.key("content")
        if !message.toolCalls.isEmpty, message.content.isEmpty { json.null() } else { json.string(message.content) }
        if !message.toolCalls.isEmpty {
            json.key("tool_calls")
            json.array(message.toolCalls) { json, call in
                json.beginObject()
                json.key("id"); json.string(call.id)
                json.key("type"); json.string("function")
                json.key("function")
                json.beginObject()
                json.key("name"); json.string(call.name)
                json.key("arguments"); json.string(call.arguments)
                json.endObject()
                json.endObject()
            }
        }
        if let id = message.toolCallID { json.key("tool_call_id"); json.string(id) }
        json.endObject()
    }
}
