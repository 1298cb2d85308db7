import Synchronization

/// A bounded queue from one producer to one consumer, the link between a transfer (or a relay
/// task) and whoever iterates the stream. Elements carry a weight (their bytes plus a fixed
/// overhead); once the queued weight reaches `highWater` the producer is held back, and it is
/// let go when the consumer has drained the queue to `lowWater`. How it is held back depends on
/// the producer: the curl side asks `admit()` before taking bytes and pauses the transfer when
/// told to (`onDrain` unpauses it), an async producer suspends in `send`.
///
/// The consumer's stream is pull-based (`stream()`), so nothing runs ahead of it; dropping the
/// stream or cancelling the task iterating it abandons the buffer and calls `onAbandon`.
final class StreamBuffer<Element: Sendable>: Sendable {
    /// What a synchronous producer may do now.
    enum Admission {
        /// Room left: produce.
        case go
        /// Full: stop until `onDrain` is called.
        case pause
        /// The consumer has gone: stop for good.
        case gone
    }

    /// Queued weight at which the producer is held back.
    let highWater: Int
    /// Queued weight at which a held-back producer is let go.
    let lowWater: Int
    private let state = Mutex(State())

    private struct State {
        var items: [(element: Element, weight: Int)] = []
        var head = 0
        var weight = 0
        /// Set when the producer ended: `nil` inside for a clean end.
        var end: Result<Void, any Error>?
        var endDelivered = false
        var gone = false
        /// A synchronous producer was told to pause and waits for `onDrain`.
        var producerPaused = false
        var consumer: CheckedContinuation<Element?, any Error>?
        var producer: CheckedContinuation<Void, any Error>?
        var onDrain: (@Sendable () -> Void)?
        var onAbandon: (@Sendable () -> Void)?

        mutating func pop() -> (element: Element, weight: Int)? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            weight -= item.weight
            return item
        }
    }

    init(highWater: Int = 256 * 1024, lowWater: Int = 64 * 1024) {
        self.highWater = highWater
        self.lowWater = lowWater
    }

    /// Sets what to call when a paused producer may go on, and when the consumer goes away
    /// before the end. Called once, before the consumer sees the stream.
    func setHooks(onDrain: (@Sendable () -> Void)?, onAbandon: (@Sendable () -> Void)?) {
        state.withLock {
            $0.onDrain = onDrain
            $0.onAbandon = onAbandon
        }
    }

    // MARK: producer

    /// For a producer that cannot wait (the transfer's write callback): whether it may produce
    /// now. `.pause` also records that `onDrain` is owed once the consumer catches up.
    func admit() -> Admission {
        state.withLock { state in
            if state.gone { return .gone }
            guard state.weight >= highWater else { return .go }
            state.producerPaused = true
            return .pause
        }
    }

    /// Queues `element` without waiting; `false` when the consumer has gone.
    @discardableResult
    func push(_ element: Element, weight: Int) -> Bool {
        let consumer: CheckedContinuation<Element?, any Error>?
        do {
            consumer = try state.withLock { state throws(Gone) in
                guard !state.gone, state.end == nil else { throw Gone() }
                if let waiting = state.consumer {
                    state.consumer = nil
                    return waiting
                }
                state.items.append((element, weight))
                state.weight += weight
                return nil
            }
        } catch {
            return false
        }
        consumer?.resume(returning: element)
        return true
    }

    /// Queues `element`, first waiting while the queue is full.
    /// - Throws: `CancellationError` when the consumer has gone (or this task is cancelled).
    func send(_ element: Element, weight: Int) async throws {
        while true {
            let full = try state.withLock { state throws(CancellationError) in
                if state.gone { throw CancellationError() }
                return state.weight >= highWater
            }
            guard full else { break }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let ready = state.withLock { state -> Result<Void, any Error>? in
                        if state.gone { return .failure(CancellationError()) }
                        if state.weight < highWater { return .success(()) }
                        state.producer = continuation
                        return nil
                    }
                    if let ready { continuation.resume(with: ready) }
                }
            } onCancel: {
                abandon()
            }
        }
        guard push(element, weight: weight) else { throw CancellationError() }
    }

    /// Ends the stream: after the queued elements the consumer sees the end, or `error`.
    func finish(_ error: (any Error)? = nil) {
        let consumer: CheckedContinuation<Element?, any Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            state.onDrain = nil
            state.onAbandon = nil
            guard let waiting = state.consumer else { return nil }
            state.consumer = nil
            state.endDelivered = true
            return waiting
        }
        if let consumer {
            if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
        }
    }

    // MARK: consumer

    /// The next element, or `nil` after the end (and after the consumer was cancelled).
    func next() async throws -> Element? {
        if let ready = try take() { return ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                do {
                    if let ready = try take(orWait: continuation) { continuation.resume(returning: ready) }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            abandon()
        }
    }

    /// Takes the next element if there is one: `.some(nil)` at the end, `nil` when the caller
    /// must wait (in which case `continuation`, if given, is parked).
    private func take(orWait continuation: CheckedContinuation<Element?, any Error>? = nil) throws -> Element?? {
        let (result, wake) = state.withLock { state -> (Result<Element??, any Error>, Wake) in
            if let item = state.pop() {
                return (.success(.some(item.element)), wakeAfterPop(&state))
            }
            if state.gone { return (.success(.some(nil)), Wake()) }
            if let end = state.end {
                guard !state.endDelivered else { return (.success(.some(nil)), Wake()) }
                state.endDelivered = true
                switch end {
                case .success: return (.success(.some(nil)), Wake())
                case .failure(let error): return (.failure(error), Wake())
                }
            }
            if let continuation { state.consumer = continuation }
            return (.success(nil), Wake())
        }
        wake.run()
        return try result.get()
    }

    /// What to wake once the lock is released.
    private struct Wake {
        var onDrain: (@Sendable () -> Void)?
        var consumer: CheckedContinuation<Element?, any Error>?
        var producer: CheckedContinuation<Void, any Error>?

        /// After the consumer took an element: the producer may go on.
        func run() {
            onDrain?()
            producer?.resume()
        }
    }

    private func wakeAfterPop(_ state: inout State) -> Wake {
        guard state.weight <= lowWater else { return Wake() }
        var wake = Wake()
        if state.producerPaused {
            state.producerPaused = false
            wake.onDrain = state.onDrain
        }
        wake.producer = state.producer
        state.producer = nil
        return wake
    }

    /// The consumer has gone: drops what is queued, ends both sides' waits, and tells the
    /// producer's owner (`onAbandon`) unless the producer had already finished.
    func abandon() {
        let (wake, onAbandon) = state.withLock { state -> (Wake, (@Sendable () -> Void)?) in
            guard !state.gone else { return (Wake(), nil) }
            state.gone = true
            state.items = []
            state.head = 0
            state.weight = 0
            let wake = Wake(consumer: state.consumer, producer: state.producer)
            let onAbandon = state.end == nil ? state.onAbandon : nil
            state.consumer = nil
            state.producer = nil
            state.onAbandon = nil
            state.onDrain = nil
            return (wake, onAbandon)
        }
        wake.consumer?.resume(returning: nil)
        wake.producer?.resume(throwing: CancellationError())
        onAbandon?()
    }

    /// The consumer's side: a stream that pulls from this buffer. Dropping it (or cancelling
    /// its consumer) abandons the buffer.
    func stream() -> AsyncThrowingStream<Element, any Error> {
        let handle = ConsumerHandle(self)
        return AsyncThrowingStream { try await handle.buffer.next() }
    }

    private struct Gone: Error {}
}

/// Held only by the consumer's stream: when the stream is dropped, the buffer is abandoned.
private final class ConsumerHandle<Element: Sendable>: Sendable {
    let buffer: StreamBuffer<Element>

    init(_ buffer: StreamBuffer<Element>) { self.buffer = buffer }

    deinit { buffer.abandon() }
}
