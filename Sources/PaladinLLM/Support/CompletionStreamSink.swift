import PaladinCore

/// Parses a streamed completion where the bytes arrive, on the engine's driver thread: status
/// check, SSE, the provider's accumulator, then text chunks and `.done` into the caller's
/// stream. One hop from libcurl to the consumer, no task per stream.
///
/// Safety of `@unchecked Sendable`: its mutable state is touched only by the driver thread
/// (see `TransferSink`); the continuation is thread-safe.
final class CompletionStreamSink<Accumulator: StreamAccumulator>: TransferSink, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<CompletionChunk, any Error>.Continuation
    private var accumulator: Accumulator
    private var parser = SSEParser()
    private var failed: HTTPHead?
    private var errorBody: [UInt8] = []
    private var ended = false

    init(_ accumulator: Accumulator, _ continuation: AsyncThrowingStream<CompletionChunk, any Error>.Continuation) {
        self.accumulator = accumulator
        self.continuation = continuation
    }

    func head(_ head: HTTPHead) {
        if !(200..<300).contains(head.status) { failed = head }
    }

    func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if failed != nil {
            errorBody += bytes.prefix(64 * 1024 - errorBody.count)
            return true
        }
        guard !ended else { return false }
        do {
            for event in parser.feed(bytes) { guard try apply(event) else { return false } }
        } catch {
            end(error)
            return false
        }
        return true
    }

    func finish(_ error: (any Error)?) {
        guard !ended else { return }
        if let error { return end(error) }
        if let failed { return end(HTTPFailure.error(failed, body: errorBody)) }
        do {
            if let last = parser.finish(), try !apply(last) { return }
            continuation.yield(.done(try accumulator.completion()))
            end(nil)
        } catch {
            end(error)
        }
    }

    /// Feeds one event; `false` when the consumer has gone.
    private func apply(_ event: SSEEvent) throws(ProviderError) -> Bool {
        let text = try accumulator.apply(event)
        if !text.isEmpty, case .terminated = continuation.yield(.text(text)) { return false }
        return true
    }

    private func end(_ error: (any Error)?) {
        ended = true
        continuation.finish(throwing: error)
    }
}
