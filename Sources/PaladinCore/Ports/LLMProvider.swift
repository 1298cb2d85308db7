/// A tool as the model sees it: name, purpose and JSON Schema of its arguments.
public struct ToolSpec: Sendable, Hashable {
    public var name: String
    public var description: String
    /// JSON Schema of the arguments object, as a JSON string.
    public var parametersSchema: String

    public init(name: String, description: String, parametersSchema: String = #"{"type":"object","properties":{}}"#) {
        self.name = name
        self.description = description
        self.parametersSchema = parametersSchema
    }
}

/// One request to a model: the conversation so far and how to answer.
public struct CompletionRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var maxTokens: Int?
    public var stop: [String]
    public var tools: [ToolSpec]
    /// The paladin making the call; scripted providers key their replies by it, real ones ignore it.
    public var agent: String

    public init(model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil,
                stop: [String] = [], tools: [ToolSpec] = [], agent: String = "") {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.tools = tools
        self.agent = agent
    }
}

/// Why the model stopped.
public enum FinishReason: String, Sendable, Hashable {
    /// A natural end or a stop sequence.
    case stop
    /// The token limit.
    case length
    /// It asked for tool calls.
    case toolCalls
    /// Refused by a content filter.
    case contentFilter
}

/// A model's complete answer.
public struct Completion: Sendable, Hashable {
    public var text: String
    public var toolCalls: [ToolCall]
    /// As the provider reported it; `nil` when it did not.
    public var usage: TokenUsage?
    public var finishReason: FinishReason

    public init(text: String, toolCalls: [ToolCall] = [], usage: TokenUsage? = nil, finishReason: FinishReason = .stop) {
        self.text = text
        self.toolCalls = toolCalls
        self.usage = usage
        self.finishReason = finishReason
    }
}

/// A piece of a streamed answer. The stream ends with exactly one `.done`.
public enum CompletionChunk: Sendable, Hashable {
    case text(String)
    case done(Completion)
}

/// The port to a language model. Adapters (OpenAI-compatible, Anthropic) live outside the core;
/// `ScriptedProvider` is the deterministic one for tests, benchmarks and offline demos.
public protocol LLMProvider: Sendable {
    /// Answers the conversation. Honours task cancellation.
    func complete(_ request: CompletionRequest) async throws -> Completion
    /// Answers the conversation as a stream of text pieces, then the whole completion.
    func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error>
}

extension LLMProvider {
    /// Streams by completing first: for providers without native streaming.
    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let completion = try await complete(request)
                    if !completion.text.isEmpty { continuation.yield(.text(completion.text)) }
                    continuation.yield(.done(completion))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Why a provider call failed, in cases callers can act on.
public struct ProviderError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case authentication, rateLimited, contextTooLong, timeout, network, malformedResponse, server, invalidRequest
        /// The response passed one of the caller's size limits (body, SSE line, completion text);
        /// not retried: the same request would most likely get the same answer.
        case responseTooLarge
    }

    public var kind: Kind
    /// The provider's own message, kept as it was.
    public var message: String
    /// Whether trying again may succeed (rate limits, timeouts, network, 5xx).
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .timeout, .network, .server: true
        default: false
        }
    }

    /// How long the provider asked us to wait before trying again (HTTP Retry-After), if it said.
    public var retryAfter: Duration?

    public init(_ kind: Kind, _ message: String, retryAfter: Duration? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
