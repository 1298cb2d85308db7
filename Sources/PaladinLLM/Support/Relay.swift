import PaladinCore

/// A stream fed by `body` in its own task through a bounded buffer: `body` waits in `send`
/// while the consumer is behind, so a policy between a provider and a slow consumer holds no
/// more than the buffer. Ending or cancelling the consumer cancels the task.
func relay(_ body: @escaping @Sendable (StreamBuffer<CompletionChunk>) async throws -> Void)
    -> AsyncThrowingStream<CompletionChunk, any Error> {
    let buffer = StreamBuffer<CompletionChunk>()
    let task = Task {
        do {
            try await body(buffer)
            buffer.finish()
        } catch {
            buffer.finish(error)
        }
    }
    buffer.setHooks(onDrain: nil, onAbandon: { task.cancel() })
    return buffer.stream()
}

extension StreamBuffer<CompletionChunk> {
    /// Queues `chunk`, waiting while the consumer is behind.
    func send(_ chunk: CompletionChunk) async throws {
        try await send(chunk, weight: chunk.bufferWeight)
    }
}

extension CompletionChunk {
    /// What the chunk is charged in a `StreamBuffer`: its text and a fixed overhead.
    var bufferWeight: Int {
        switch self {
        case .text(let text): 64 + text.utf8.count
        case .done(let completion): 64 + completion.text.utf8.count
        }
    }
}
