import PaladinCore

/// Parses a streamed completion where the bytes arrive, on the engine's driver thread: status
/// check, SSE, the provider's accumulator, then text chunks and `.done` into the caller's
/// stream. One hop from libcurl to the consumer, no task per stream. The buffer to the
/// consumer is bounded: when it is full the sink declines bytes and the transfer pauses.
///
/// Safety of `@unchecked Sendable`: its mutable state is touched only by the driver thread
/// (see `TransferSink`); the buffer is thread-safe.
final class CompletionStreamSink<Accumulator: StreamAccumulator>: TransferSink, @unchecked Sendable {

    private let buffer: StreamBuffer<CompletionChunk>
    private var accumulator: Accumulator
    private var parser: SSEParser
    private let limits: ResponseLimits
    private var failed: HTTPHead?
    private var errorBody: [UInt8] = []
    private var ended = false

    init(_ accumulator: Accumulator, _ buffer: StreamBuffer<CompletionChunk>, limits: ResponseLimits) {
        self.accumulator = accumulator
        self.buffer = buffer
        self.limits = limits
        parser = SSEParser(maxLineBytes: limits.maxSSELineBytes)
    }

    func head(_ head: HTTPHead) {
        if !(200..<300).contains(head.status) { failed = head }
    }

    func body(_ bytes: UnsafeRawBufferPointer) -> BodyReply {
        guard !ended else { return .abort }
        if let failed {
            errorBody += bytes.prefix(HTTPFailure.bodyPrefix - errorBody.count)
            guard errorBody.count >= HTTPFailure.bodyPrefix else { return .taken }
            end(HTTPFailure.error(failed, body: errorBody))  // enough to explain; stop reading
            return .abort
        }
        switch buffer.admit() {
        case .gone:
            ended = true
            return .abort
        case .pause:
            return .pause
        case .go:
            break
        }
        do {
            for event in try parser.feed(bytes) { guard try apply(event) else { return .abort } }
        } catch {
            end(error)
            return .abort
        }
        return .taken
    }

    func finish(_ error: (any Error)?) {
        guard !ended else { return }
        if let error { return end(error) }
        if let failed { return end(HTTPFailure.error(failed, body: errorBody)) }
        do {
            if let last = try parser.finish(), try !apply(last) { return }
            let completion = try accumulator.completion()
            buffer.push(.done(completion), weight: CompletionChunk.done(completion).bufferWeight)
            end(nil)
        } catch {
            end(error)
        }
    }

    /// Feeds one event; `false` when the consumer has gone.
    private func apply(_ event: SSEEvent) throws(ProviderError) -> Bool {
        let text = try accumulator.apply(event)
        if !text.isEmpty, !buffer.push(.text(text), weight: CompletionChunk.text(text).bufferWeight) {
            ended = true
            return false
        }
        return true
    }

    private func end(_ error: (any Error)?) {
        ended = true
        buffer.finish(error.map(translate))
    }

    /// The parser's overflow as the provider error naming the limit.
    private func translate(_ error: any Error) -> any Error {
        error is SSEParser.Overflow ? limits.lineTooLong : error
    }
}
