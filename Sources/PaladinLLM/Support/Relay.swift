import PaladinCore

/// A stream fed by `body` in its own task; ending or cancelling the consumer cancels the task.
func relay(_ body: @escaping @Sendable (AsyncThrowingStream<CompletionChunk, any Error>.Continuation) async throws -> Void)
    -> AsyncThrowingStream<CompletionChunk, any Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: CompletionChunk.self)
    let task = Task {
        do {
            try await body(continuation)
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
}
