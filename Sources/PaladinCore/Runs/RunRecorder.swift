import Synchronization

/// A `BattalionObserver` that writes a run to a `RunStore` as it happens: the run when made,
/// each step as its member finishes, the result at `finish`. Writes go out in order from one
/// task, so observer callbacks never wait on the store; `finish` waits for all of them.
///
/// Other observers (the server's event stream) can be chained with `forward`.
public final class RunRecorder: BattalionObserver {
    private enum Write: Sendable {
        case record(MemberStep)
        case finish(BattalionResult, Int64)
        case barrier(CheckedContinuation<Void, Never>)
    }

    /// The run's id in the store.
    public let runID: String
    private let forward: (any BattalionObserver)?
    private let writes: AsyncStream<Write>.Continuation
    private let errors = FirstError()

    /// Begins `run` in `store` (asynchronously; a failure surfaces from `finish`).
    /// - Parameters:
    ///   - store: where the run goes.
    ///   - run: the run as it starts (status running, usually no steps).
    ///   - forward: another observer that hears every callback too.
    public init(store: any RunStore, run: RunRecord, forward: (any BattalionObserver)? = nil) {
        runID = run.id
        self.forward = forward
        let (stream, continuation) = AsyncStream<Write>.makeStream()
        writes = continuation
        let runID = run.id
        let errors = self.errors
        Task {
            do { try await store.begin(run) } catch { errors.keep(error) }
            for await write in stream {
                do {
                    switch write {
                    case .record(let step): try await store.record(step, runID: runID)
                    case .finish(let result, let micros): try await store.finish(runID: runID, with: result, atMicros: micros)
                    case .barrier(let done): done.resume()
                    }
                } catch {
                    errors.keep(error)
                }
            }
        }
    }

    public func memberStarted(_ member: String) { forward?.memberStarted(member) }

    public func memberDelta(_ member: String, _ text: String) { forward?.memberDelta(member, text) }

    public func memberFinished(_ step: MemberStep) {
        writes.yield(.record(step))
        forward?.memberFinished(step)
    }

    /// Stores the result and waits until every write of the run is done.
    /// - Throws: the first error any write of this run hit.
    public func finish(_ result: BattalionResult, atMicros: Int64) async throws {
        writes.yield(.finish(result, atMicros))
        try await flush()
        writes.finish()
    }

    /// Waits until the writes queued so far are done.
    /// - Throws: the first error any write of this run hit.
    public func flush() async throws {
        await withCheckedContinuation { done in
            if case .terminated = writes.yield(.barrier(done)) { done.resume() }  // after `finish`
        }
        if let error = errors.first { throw error }
    }
}

/// The first error of a run's writes.
private final class FirstError: Sendable {
    private let error = Mutex<(any Error)?>(nil)

    func keep(_ error: any Error) { self.error.withLock { $0 = $0 ?? error } }

    var first: (any Error)? { error.withLock { $0 } }
}
