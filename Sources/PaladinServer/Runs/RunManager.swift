import Foundation
import NIOCore
import PaladinCore
import PaladinHerald
import PaladinWire

/// Starts battalion runs, records them in the `RunStore` as they go (through the core's
/// `RunRecorder`), and lets CancelRun reach them. Every run ends recorded (completed, failed,
/// cancelled or timed out), whatever happens to the call that started it.
public final class RunManager: Sendable {
    /// Where runs are recorded.
    public let store: any RunStore
    let active = ActiveRuns()

    /// Margin left before a call's deadline so the run is recorded as timed out before the
    /// transport gives up on the call.
    static let deadlineMargin = TimeAmount.milliseconds(20)

    public init(store: any RunStore) {
        self.store = store
    }

    /// Runs `battalion` on `input`, recording it as a new run; `resuming` holds the
    /// steps of an interrupted run whose successes are replayed instead of called again. `send`
    /// receives the stream's events (started, per-member events, then the result, rendered in
    /// `format` if set) when the call streams.
    /// - Returns: the recorded run and whether the call's own deadline ended it.
    func run(_ battalion: RunnableBattalion, input: String, resuming: [MemberStep] = [], deadline: NIODeadline?,
             format: HeraldFormat?, send: (@Sendable (Paladin_V1_RunEvent) async throws -> Void)?) async throws -> RunOutcomeRecord {
        let plan = battalion.plan
        var options = plan.options
        var deadlineBound = false
        if let deadline {
            let remaining = deadline - NIODeadline.now() - Self.deadlineMargin
            guard remaining > .zero else { throw RPCError(.deadlineExceeded, "the deadline passed before the run started") }
            let limit = Duration.nanoseconds(remaining.nanoseconds)
            if options.timeout.map({ limit < $0 }) ?? true {
                options.timeout = limit
                deadlineBound = true
            }
        }
        let id = "run-" + UUID().uuidString.lowercased()
        let record = RunRecord(id: id, battalion: plan.message.name, pattern: plan.pattern.patternName, input: input,
                               startedAtMicros: WallClock.nowMicros(), versions: battalion.versions)
        // Deltas only for streaming calls: without them members run unstreamed.
        let recorder = RunRecorder(store: store, run: record, wantsDeltas: send != nil)
        try await RunStoreErrors.map { try await recorder.flush() }

        let context = BattalionContext(members: battalion.members, options: options, observer: recorder, resuming: resuming)
        let pattern = plan.pattern
        let cancellation = RunCancellation()
        active.insert(id, cancellation)
        defer { active.remove(id) }

        var sendError: (any Error)?
        func forward(_ event: Paladin_V1_RunEvent) async {
            guard let send, sendError == nil else { return }
            do { try await send(event) } catch {
                sendError = error
                cancellation.fire()
            }
        }
        await forward(RunMapping.startedEvent(record))
        // The run is a child task: it inherits the call's executor (the connection's event
        // loop), so members run without thread hops; cancelling the call cancels it too.
        async let outcome = Self.run(pattern, input: input, in: context, until: cancellation, then: recorder)
        // Each step is stored as its member finishes (a crash loses no finished step), then
        // the event goes to the client.
        await recorder.record { event in await forward(RunMapping.event(event)) }
        var result = await outcome
        // The transport may cancel the call at its deadline a moment before the run's own
        // timer fires (the client's timer starts first); that is still the deadline.
        // A cancellation within one margin of the run's own timer (deadline − margin) counts.
        if result.status == .cancelled, let deadline, NIODeadline.now() >= deadline - Self.deadlineMargin * 2 {
            result.status = .timedOut
            result.error = "the call's deadline passed"
            deadlineBound = true
        }
        let finishedAt = WallClock.nowMicros()
        // A failed write leaves the run as far as it got; the call still answers with its result.
        try? await recorder.finish(result, atMicros: finishedAt)
        var final = record
        final.finish(with: result, atMicros: finishedAt)
        await forward(RunMapping.resultEvent(final, format: format))
        if let sendError { throw sendError }
        return RunOutcomeRecord(record: final, endedByDeadline: deadlineBound && result.status == .timedOut)
    }

    /// Runs the pattern until it ends or `cancellation` fires (then it is cancelled and ends
    /// with the steps done so far), and tells the recorder the run is over.
    private static func run(_ pattern: any BattalionPattern, input: String, in context: BattalionContext,
                            until cancellation: RunCancellation, then recorder: RunRecorder) async -> BattalionResult {
        let result = await withTaskGroup(of: BattalionResult?.self) { group -> BattalionResult in
            group.addTask { await pattern.run(input, in: context) }
            group.addTask {
                await cancellation.wait()
                return nil
            }
            var result: BattalionResult?
            while result == nil, let next = await group.next() {
                // The waiter returns first only when the run was cancelled; either way the
                // other child is told to stop, and the run still reports its result.
                group.cancelAll()
                result = next
            }
            return result!
        }
        recorder.endOfRun()
        return result
    }

    /// Cancels a run in progress here; `false` when it had already finished.
    /// - Throws: NOT_FOUND when no such run was ever recorded.
    func cancel(_ id: String) async throws -> Bool {
        if active.cancel(id) { return true }
        guard try await RunStoreErrors.map({ try await store.get(id) }) != nil else { throw Catalog.notFound("run", id) }
        return false
    }
}

/// A finished run and how it ended.
struct RunOutcomeRecord: Sendable {
    var record: RunRecord
    /// The call's deadline (not the battalion's own timeout) ended it.
    var endedByDeadline: Bool
}
