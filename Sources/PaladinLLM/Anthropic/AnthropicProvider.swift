import PaladinCore

/// Anthropic Messages (`POST {base_url}/messages`): system prompt, tools as tool_use /
/// tool_result blocks, and the streaming event protocol.
public struct AnthropicProvider: LLMProvider {
    /// The API version sent in `anthropic-version`.
    public static let apiVersion = "2023-06-01"
    /// Sent when a request sets no max tokens (the API requires the field).
    public static let defaultMaxTokens = 4096

    public let endpoint: ProviderEndpoint
    let engine: CurlEngine

    public init(_ endpoint: ProviderEndpoint, engine: CurlEngine = .shared) {
        self.endpoint = endpoint
        self.engine = engine
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let body = try await engine.completionBody(try httpRequest(request, stream: false))
        let completion = try AnthropicWire.completion(body)
        var budget = CompletionBudget(endpoint.limits)
        try budget.charge(completion)
        return completion
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        do {
            return engine.streamCompletion(try httpRequest(request, stream: true), AnthropicStreamAccumulator(limits: endpoint.limits))
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
    }

    func httpRequest(_ request: CompletionRequest, stream: Bool) throws(ProviderError) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("anthropic-version", Self.apiVersion)]
        if stream { headers.append(("Accept", "text/event-stream")) }
        if let key = endpoint.apiKey { headers.append(("x-api-key", key)) }
        headers += endpoint.extraHeaders
        let model = request.model.isEmpty ? endpoint.model : request.model
        let body = try AnthropicWire.body(request, model: model, stream: stream)
        return HTTPRequest(url: endpoint.url("/messages"), headers: headers, body: body, timeouts: endpoint.timeouts,
                           limits: endpoint.limits(stream: stream))
    }
}
