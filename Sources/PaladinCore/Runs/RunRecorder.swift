import Synchronization

/// Records a battalion run in a `RunStore` as it happens: the run when it begins, each step as
/// its member finishes, the result at `finish`.
///
/// As the run's `BattalionObserver` it only queues what it hears, so members never wait on the
/// store. The writes happen in order in whichever task drains the queue (`record(forwarding:)`
/// while the battalion runs, or `flush` and `finish`), so the owner decides where they run: the
/// server drains in the call's own task, which also forwards every event to the client.
public final class RunRecorder: BattalionObserver {
    /// What the battalion reported, in the order it happened.
    public enum Event: Sendable {
        case memberStarted(String)
        case memberDelta(member: String, text: String)
        case memberFinished(MemberStep)
    }

    private enum Entry: Sendable {
        case begin(RunRecord)
        case event(Event)
        /// Where a `flush` stops draining.
        case barrier
    }

    /// The run's id in the store.
    public let runID: String
    /// Whether member deltas are queued; without them members run unstreamed.
    public let wantsDeltas: Bool
    private let store: any RunStore
    private let entries: AsyncStream<Entry>
    private let queue: AsyncStream<Entry>.Continuation
    private let firstError = Mutex<(any Error)?>(nil)

    /// Queues the beginning of `run`; the first drain writes it, before anything else.
    /// - Parameters:
    ///   - store: where the run goes.
    ///   - run: the run as it starts (status running, usually no steps).
    ///   - wantsDeltas: whether member deltas are wanted (someone streams them).
    ///   - isNew: false for a run already stored (reopened by a resume): it is not begun again.
    public init(store: any RunStore, run: RunRecord, wantsDeltas: Bool = true, isNew: Bool = true) {
        runID = run.id
        self.wantsDeltas = wantsDeltas
        self.store = store
        (entries, queue) = AsyncStream.makeStream()
        if isNew { queue.yield(.begin(run)) }
    }

    public func memberStarted(_ member: String) { queue.yield(.event(.memberStarted(member))) }

    public func memberDelta(_ member: String, _ text: String) {
        if wantsDeltas { queue.yield(.event(.memberDelta(member: member, text: text))) }
    }

    public func memberFinished(_ step: MemberStep) { queue.yield(.event(.memberFinished(step))) }

    /// Writes the run as the battalion reports, in the calling task, handing each event to
    /// `forward` once its step (if any) is stored; returns when `endOfRun()` has been called and
    /// the queue is empty. Only one task drains at a time.
    public func record(forwarding forward: (Event) async -> Void) async {
        await drain(untilBarrier: false, forward)
    }

    /// The battalion has returned: nothing more is queued, so `record(forwarding:)` ends.
    public func endOfRun() {
        queue.finish()
    }

    /// Performs the writes queued so far (at first, the run's beginning) in the calling task.
    /// - Throws: the first error any write of this run hit.
    public func flush() async throws {
        queue.yield(.barrier)
        await drain(untilBarrier: true) { _ in }
        try throwFirstError()
    }

    /// Performs the writes still queued, then stores the result, also when the calling task is
    /// cancelled (a cancelled call still ends its run recorded). Ends the run (`endOfRun()`).
    /// - Throws: the first error any write of this run hit.
    public func finish(_ result: BattalionResult, atMicros: Int64) async throws {
        endOfRun()
        await drain(untilBarrier: false) { _ in }
        let store = self.store, runID = self.runID
        await perform {
            if Task.isCancelled {
                // A store may refuse work in a cancelled task: this write goes out from its own.
                try await Task { try await store.finish(runID: runID, with: result, atMicros: atMicros) }.value
            } else {
                try await store.finish(runID: runID, with: result, atMicros: atMicros)
            }
        }
        try throwFirstError()
    }

    private func drain(untilBarrier: Bool, _ forward: (Event) async -> Void) async {
        for await entry in entries {
            switch entry {
            case .begin(let run):
                await perform { try await store.begin(run) }
            case .event(let event):
                if case .memberFinished(let step) = event, !step.replayed {
                    // Stored before it is forwarded, so whoever hears of a step can read it back
                    // (a replayed step is stored already: the reopened run kept it).
                    await perform { try await store.record(step, runID: runID) }
                }
                await forward(event)
            case .barrier:
                if untilBarrier { return }
            }
        }
    }

    /// Runs one write, keeping its error if it is the run's first.
    private func perform(_ write: () async throws -> Void) async {
        do { try await write() } catch {
            firstError.withLock { $0 = $0 ?? error }
        }
    }

    private func throwFirstError() throws {
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}
