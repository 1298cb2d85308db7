import Foundation

/// One streamed chat-completion chunk, decoded with `JSONDecoder`: the hot path of a stream
/// (one per token), where a typed decode avoids building Foundation dictionaries.
struct OpenAIChunk: Decodable {
    struct Choice: Decodable {
        var delta: Delta?
        var finish_reason: String?
    }

    struct Delta: Decodable {
        var content: String?
        var tool_calls: [ToolCallDelta]?
    }

    struct ToolCallDelta: Decodable {
        var index: Int?
        var id: String?
        var function: Function?
    }

    struct Function: Decodable {
        var name: String?
        var arguments: String?
    }

    struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }

    /// Present (whatever its shape) when the chunk is an error.
    struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    var choices: [Choice]?
    var usage: Usage?
    var error: Present?

    /// One decoder for every chunk: making a JSONDecoder costs more than decoding a small chunk.
    private static let decoder = JSONDecoder()

    static func decode(_ text: String) -> OpenAIChunk? {
        try? decoder.decode(OpenAIChunk.self, from: Data(text.utf8))
    }
}
