import PaladinCore

/// OpenAI chat completions (`POST {base_url}/chat/completions`): OpenAI, DeepSeek, Ollama,
/// llama.cpp and vLLM by base URL. Roles, temperature, max tokens, stop, function tools, SSE
/// streaming with tool-call deltas, and usage (`stream_options.include_usage`).
public struct OpenAIProvider: LLMProvider {
    public let endpoint: ProviderEndpoint
    let engine: CurlEngine

    public init(_ endpoint: ProviderEndpoint, engine: CurlEngine = .shared) {
        self.endpoint = endpoint
        self.engine = engine
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let body = try await engine.completionBody(try httpRequest(request, stream: false))
        let completion = try OpenAIWire.completion(body)
        var budget = CompletionBudget(endpoint.limits)
        try budget.charge(completion)
        return completion
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        do {
            return engine.streamCompletion(try httpRequest(request, stream: true), OpenAIStreamAccumulator(limits: endpoint.limits))
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
    }

    func httpRequest(_ request: CompletionRequest, stream: Bool) throws(ProviderError) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if stream { headers.append(("Accept", "text/event-stream")) }
        if let key = endpoint.apiKey { headers.append(("Authorization", "Bearer " + key)) }
        headers += endpoint.extraHeaders
        let body = try OpenAIWire.body(request, model: request.model.isEmpty ? endpoint.model : request.model, stream: stream)
        return HTTPRequest(url: endpoint.url("/chat/completions"), headers: headers, body: body, timeouts: endpoint.timeouts,
                           limits: endpoint.limits(stream: stream))
    }
}
