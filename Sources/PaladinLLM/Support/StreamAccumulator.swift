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
    /// text chunks and finally `.done`. Ending or cancelling the consumer aborts the transfer;
    /// a consumer that falls behind pauses it (see `StreamBuffer`).
    func streamCompletion<A: StreamAccumulator>(_ request: HTTPRequest, _ accumulator: A)
        -> AsyncThrowingStream<CompletionChunk, any Error> {
        let buffer = StreamBuffer<CompletionChunk>()
        start(request, sink: CompletionStreamSink(accumulator, buffer, limits: request.limits)) { transfer in hook(buffer, to: transfer) }
        return buffer.stream()
    }

    /// Runs a non-streaming request and returns the JSON body of a 2xx response. The body is
    /// capped by the request's limits; of an error response only the start is read, enough
    /// for its message.
    func completionBody(_ request: HTTPRequest) async throws -> [String: Any] {
        var head = HTTPHead(status: 0)
        var body: [UInt8] = []
        reading: for try await event in start(request) {
            switch event {
            case .head(let value): head = value
            case .body(let bytes):
                body += bytes
                if !(200..<300).contains(head.status), body.count >= HTTPFailure.bodyPrefix { break reading }
            }
        }
        try Task.checkCancellation()  // a cancelled iteration ends quietly; say why
        guard (200..<300).contains(head.status) else { throw HTTPFailure.error(head, body: Array(body.prefix(HTTPFailure.bodyPrefix))) }
        guard JSON.fits(body, values: JSON.maxValues) else { throw request.limits.tooManyValues(JSON.maxValues) }
        return try JSON.object(body, what: "response body")
    }
}
