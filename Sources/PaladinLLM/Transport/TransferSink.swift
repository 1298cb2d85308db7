/// Where a transfer's response goes. Called on the engine's driver thread only, in order:
/// `head` once, `body` per piece, `finish` once; so an implementation needs no lock for its
/// own state, and must never block.
protocol TransferSink: AnyObject, Sendable {
    func head(_ head: HTTPHead)
    /// Returns `false` to abort the transfer (the consumer is gone, or the body is bad).
    func body(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// `nil` for a complete response.
    func finish(_ error: (any Error)?)
}

/// The sink behind `CurlEngine.start`: forwards everything to an `AsyncThrowingStream`.
final class EventStreamSink: TransferSink {
    let continuation: AsyncThrowingStream<HTTPEvent, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<HTTPEvent, any Error>.Continuation) { self.continuation = continuation }

    func head(_ head: HTTPHead) { continuation.yield(.head(head)) }

    func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if case .terminated = continuation.yield(.body(Array(bytes))) { return false }
        return true
    }

    func finish(_ error: (any Error)?) { continuation.finish(throwing: error) }
}
