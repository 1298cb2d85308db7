extension OpenAIChunk {
    /// The fast path for a stream chunk: a byte-level read of the fields we use, no
    /// Foundation. `nil` for anything it does not expect (an `error` member, another type, bad
    /// JSON, escaped keys), and `decode` then asks `JSONDecoder`; so results never depend on it.
    static func scan(_ text: String) -> OpenAIChunk? {
        let scanned = text.utf8.withContiguousStorageIfAvailable { bytes -> OpenAIChunk? in
            var reader = JSONByteReader(bytes)
            do {
                let chunk = try reader.chunk()
                try reader.end()
                return chunk
            } catch {
                return nil
            }
        }
        return scanned ?? nil
    }
}

extension JSONByteReader {
    fileprivate mutating func chunk() throws(JSONScanFailure) -> OpenAIChunk {
        var chunk = OpenAIChunk()
        try members { reader, key throws(JSONScanFailure) in
            if key.elementsEqual("choices".utf8) {
                chunk.choices = try reader.nullOr { reader throws(JSONScanFailure) in try reader.list { reader throws(JSONScanFailure) in try reader.choice() } }
            } else if key.elementsEqual("usage".utf8) {
                chunk.usage = try reader.nullOr { reader throws(JSONScanFailure) in try reader.usage() }
            } else if key.elementsEqual("error".utf8) {
                guard try reader.null() else { throw JSONScanFailure() }
            } else {
                try reader.skipValue()
            }
        }
        return chunk
    }

    private mutating func list<T>(_ read: (inout JSONByteReader) throws(JSONScanFailure) -> T) throws(JSONScanFailure) -> [T] {
        var items: [T] = []
        try elements { reader throws(JSONScanFailure) in items.append(try read(&reader)) }
        return items
    }

    private mutating func optionalString() throws(JSONScanFailure) -> String? {
        try nullOr { reader throws(JSONScanFailure) in try reader.string() }
    }

    private mutating func optionalInt() throws(JSONScanFailure) -> Int? {
        try nullOr { reader throws(JSONScanFailure) in try reader.int() }
    }

    private mutating func choice() throws(JSONScanFailure) -> OpenAIChunk.Choice {
        var choice = OpenAIChunk.Choice()
        try members { reader, key throws(JSONScanFailure) in
            if key.elementsEqual("delta".utf8) {
                choice.delta = try reader.nullOr { reader throws(JSONScanFailure) in try reader.delta() }
            } else if key.elementsEqual("finish_reason".utf8) {
                choice.finish_reason = try reader.optionalString()
            } else {
                try reader.skipValue()
            }
        }
        return choice
    }

    private mutating func delta() throws(JSONScanFailure) -> OpenAIChunk.Delta {
        var delta = OpenAIChunk.Delta()
        try members { reader, key throws(JSONScanFailure) in
            if key.elementsEqual("content".utf8) {
                delta.content = try reader.optionalString()
            } else if key.elementsEqual("tool_calls".utf8) {
                delta.tool_calls = try reader.nullOr { reader throws(JSONScanFailure) in try reader.list { reader throws(JSONScanFailure) in try reader.toolCall() } }
            } else {
                try reader.skipValue()
            }
        }
        return delta
    }

    private mutating func toolCall() throws(JSONScanFailure) -> OpenAIChunk.ToolCallDelta {
        var call = OpenAIChunk.ToolCallDelta()
        try members { reader, key throws(JSONScanFailure) in
            if key.elementsEqual("index".utf8) {
                call.index = try reader.optionalInt()
            } else if key.elementsEqual("id".utf8) {
                call.id = try reader.optionalString()
            } else if key.elementsEqual("function".utf8) {
                call.function = try reader.nullOr { reader throws(JSONScanFailure) in try reader.function() }
            } else {
                try reader.skipValue()
            }
        }
        return call
    }

    private mutating func function() throws(JSONScanFailure) -> OpenAIChunk.Function {
        var function = OpenAIChunk.Function()
        try members { reader, key throws(JSONScanFailure) in
            if key.elementsEqual("name".utf8) {
                function.name = try reader.optionalString()
            } else if key.elementsEqual("arguments".utf8) {
                function.arguments = try reader.optionalString()
            } else {
                try reader.skipValue()
            }
        }
        return function
    }

    private mutating func usage() throws(JSONScanFailure) -> OpenAIChunk.Usage {
        var usage = OpenAIChunk.Usage()
        try members { reader, key throws(JSONScanFailure) in
            if key.elementsEqual("prompt_tokens".utf8) {
                usage.prompt_tokens = try reader.optionalInt()
            } else if key.elementsEqual("completion_tokens".utf8) {
                usage.completion_tokens = try reader.optionalInt()
            } else {
                try reader.skipValue()
            }
        }
        return usage
    }
}
