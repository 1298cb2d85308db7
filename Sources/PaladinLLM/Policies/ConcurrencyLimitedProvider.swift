import PaladinCore

/// At most `limit` calls in flight to the wrapped provider; the rest wait their turn (FIFO)
/// without holding a thread, and leave the queue if cancelled.
public struct ConcurrencyLimitedProvider: LLMProvider {
    public let base: any LLMProvider
    public let limit: Int
    private let permits: AsyncSemaphore

    public init(_ base: any LLMProvider, limit: Int) {
        precondition(limit >= 1, "a concurrency limit must be at least 1")
        self.base = base
        self.limit = limit
        permits = AsyncSemaphore(permits: limit)
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        try await permits.acquire()
        defer { permits.release() }
        return try await base.complete(request)
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        relay { [base, permits] out in
            try await permits.acquire()
            defer { permits.release() }
            for try await chunk in base.stream(request) { try await out.send(chunk) }
        }
    }
}
