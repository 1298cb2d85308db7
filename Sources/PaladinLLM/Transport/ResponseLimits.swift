import PaladinCore

/// How much of a provider's response one call may take: the body of a non-streamed response,
/// one SSE line (and one event's data), and the text of one completion. Past any of them the
/// call fails with `ProviderError.Kind.responseTooLarge`, naming the limit and its YAML key,
/// so a broken or hostile provider cannot make the server hold an unbounded answer.
public struct ResponseLimits: Sendable, Hashable {
    /// The provider's name under `providers:`, for error messages; empty when unnamed.
    public var provider: String
    /// `max_response_bytes`: the body of a non-streamed response; `nil` for none. Streams are
    /// bounded per line and in text instead (and by the total timeout).
    public var maxResponseBytes: Int?
    /// `max_sse_line_bytes`: one SSE line, and the data lines of one event together.
    public var maxSSELineBytes: Int
    /// `max_completion_bytes`: the text of one completion (content and tool calls).
    public var maxCompletionBytes: Int

    /// The header block of a response, fixed: libcurl caps each header line, not their number.
    static let maxHeaderBytes = 256 * 1024

    public init(provider: String = "", maxResponseBytes: Int? = 16 << 20, maxSSELineBytes: Int = 1 << 20,
                maxCompletionBytes: Int = 4 << 20) {
        self.provider = provider
        self.maxResponseBytes = maxResponseBytes
        self.maxSSELineBytes = maxSSELineBytes
        self.maxCompletionBytes = maxCompletionBytes
    }

    func bodyTooLarge(_ limit: Int) -> ProviderError {
        tooLarge("the response body", limit, key: "max_response_bytes")
    }

    var headersTooLarge: ProviderError {
        ProviderError(.responseTooLarge, "\(subject)the response headers passed \(Self.maxHeaderBytes) bytes")
    }

    func tooManyValues(_ limit: Int) -> ProviderError {
        ProviderError(.responseTooLarge, "\(subject)the response body holds more than \(limit) JSON values")
    }

    var lineTooLong: ProviderError {
        tooLarge("an SSE line or event", maxSSELineBytes, key: "max_sse_line_bytes")
    }

    var completionTooLarge: ProviderError {
        tooLarge("the completion text", maxCompletionBytes, key: "max_completion_bytes")
    }

    private var subject: String { provider.isEmpty ? "" : "provider \"\(provider)\": " }

    private func tooLarge(_ what: String, _ limit: Int, key: String) -> ProviderError {
        let name = provider.isEmpty ? "<name>" : provider
        return ProviderError(.responseTooLarge, "\(subject)\(what) passed the limit of \(limit) bytes (providers.\(name).limits.\(key))")
    }
}
