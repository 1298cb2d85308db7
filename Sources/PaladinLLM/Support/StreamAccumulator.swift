import PaladinCore

/// Turns a provider's stream events into text deltas and, at the end, the whole completion.
protocol StreamAccumulator: Sendable {
    /// Applies one event; returns the text it adds (empty when none).
    mutating func apply(_ event: SSEEvent) throws(ProviderError) -> String
    /// The completion, once the stream said it is complete.
    /// - Throws: `.network` when the stream ended before its end marker.
    func completion() throws(ProviderError) -> Completion
}

extension CurlEngine {
    /// Runs a streaming request: checks the status, parses SSE, feeds `accumulator`, yields
    /// text chunks and finally `.done`. Ending or cancelling the consumer aborts the transfer.
    func streamCompletion<A: StreamAccumulator>(_ request: HTTPRequest, _ accumulator: A)
        -> AsyncThrowingStream<CompletionChunk, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: CompletionChunk.self)
        start(request, sink: CompletionStreamSink(accumulator, continuation)) { transfer in
            continuation.onTermination = { [weak self] termination in
                if case .cancelled = termination { self?.cancel(transfer) }
            }
        }
        return stream
    }

    /// Runs a non-streaming request and returns the JSON body of a 2xx response.
    func completionBody(_ request: HTTPRequest) async throws -> [String: Any] {
        let response = try await send(request)
        guard (200..<300).contains(response.head.status) else { throw HTTPFailure.error(response.head, body: response.body) }
        return try JSON.object(response.body, what: "response body")
    }
}
