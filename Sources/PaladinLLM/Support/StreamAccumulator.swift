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
    /// text chunks and finally `.done`. Cancelling the consumer aborts the transfer.
    func streamCompletion<A: StreamAccumulator>(_ request: HTTPRequest, _ accumulator: A)
        -> AsyncThrowingStream<CompletionChunk, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: CompletionChunk.self)
        let task = Task { [self] in
            var accumulator = accumulator
            var parser = SSEParser()
            var failed: HTTPHead?
            var errorBody: [UInt8] = []
            do {
                for try await event in start(request) {
                    switch event {
                    case .head(let head): if !(200..<300).contains(head.status) { failed = head }
                    case .body(let bytes) where failed != nil: errorBody += bytes
                    case .body(let bytes):
                        for sse in parser.feed(bytes) {
                            let text = try accumulator.apply(sse)
                            if !text.isEmpty { continuation.yield(.text(text)) }
                        }
                    }
                }
                try Task.checkCancellation()
                if let failed { throw HTTPFailure.error(failed, body: errorBody) }
                if let last = parser.finish() {
                    let text = try accumulator.apply(last)
                    if !text.isEmpty { continuation.yield(.text(text)) }
                }
                continuation.yield(.done(try accumulator.completion()))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Runs a non-streaming request and returns the JSON body of a 2xx response.
    func completionBody(_ request: HTTPRequest) async throws -> [String: Any] {
        let response = try await send(request)
        guard (200..<300).contains(response.head.status) else { throw HTTPFailure.error(response.head, body: response.body) }
        return try JSON.object(response.body, what: "response body")
    }
}
