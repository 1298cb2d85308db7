import Foundation

/// One streamed chat-completion chunk: the hot path of a stream (one per token). Read by
/// `scan` (bytes, no Foundation) and, for any shape `scan` does not expect, by `JSONDecoder`.
struct OpenAIChunk: Decodable, Equatable {
    struct Choice: Decodable, Equatable {
        var delta: Delta?
        var finish_reason: String?
    }

    struct Delta: Decodable, Equatable {
        var content: String?
        var tool_calls: [ToolCallDelta]?
    }

    struct ToolCallDelta: Decodable, Equatable {
        var index: Int?
        var id: String?
        var function: Function?
    }

    struct Function: Decodable, Equatable {
        var name: String?
        var arguments: String?
    }

    struct Usage: Decodable, Equatable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }

    /// Present (whatever its shape) when the chunk is an error.
    struct Present: Decodable, Equatable {
        init(from decoder: any Decoder) throws {}
    }

    var choices: [Choice]?
    var usage: Usage?
    var error: Present?

    /// One decoder for every chunk: making a JSONDecoder costs more than decoding a small chunk.
    private static let decoder = JSONDecoder()

    static func decode(_ text: String) -> OpenAIChunk? {
        scan(text) ?? decodeGeneral(text)
    }

    /// The general path: `JSONDecoder`, for whatever `scan` refused.
    static func decodeGeneral(_ text: String) -> OpenAIChunk? {
        try? decoder.decode(OpenAIChunk.self, from: Data(text.utf8))
    }
}
