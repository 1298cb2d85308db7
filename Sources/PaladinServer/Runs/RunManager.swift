import Foundation
import NIOCore
import PaladinCore
import PaladinHerald
import PaladinWire
import Synchronization

/// Starts battalion runs, records them in the `RunStore` as they go (through the core's
/// `RunRecorder`), and lets CancelRun reach them. Every run ends recorded (completed, failed,
/// cancelled or timed out), whatever happens to the call that started it.
public final class RunManager: Sendable {
    /// Where runs are recorded.
    public let store: any RunStore
    let active = ActiveRuns()
    /// Runs started with StartRun, by id, until they end.
    let detached = Mutex<[String: Task<Void, Never>]>([:])
    /// Set by `stopDetachedRuns`: no new run begins, and detached runs that stop are left to
    /// be marked interrupted rather than cancelled.
    let stopping = Atomic<Bool>(false)
    private let runPermits: Mutex<WorkPermits>
    /// Runs whose approvals are all decided but which could not resume yet (no run permit was
    /// free); `superviseApprovals` tries again.
    let resumeLater = Mutex<Set<String>>([])

    /// Margin left before a call's deadline so the run is recorded as timed out before the
    /// transport gives up on the call.
    static let deadlineMargin = TimeAmount.milliseconds(20)

    /// - Parameters:
    ///   - store: where runs are recorded.
    ///   - maxInflight: runs in progress at once (`server.limits.max_inflight_runs`).
    public init(store: any RunStore, maxInflight: Int = ServerLimits().maxInflightRuns) {
        self.store = store
        runPermits = Mutex(Self.permits(maxInflight))
    }

    /// The cap on runs in progress, which every run holds one of until it ends.
    var permits: WorkPermits { runPermits.withLock { $0 } }

    /// Sets the cap on runs in progress; call before serving.
    func limitRuns(to maxInflight: Int) {
        runPermits.withLock { $0 = Self.permits(maxInflight) }
    }

    private static func permits(_ limit: Int) -> WorkPermits {
        WorkPermits(limit: limit, work: "battalion runs", configKey: "server.limits.max_inflight_runs")
    }

    /// Runs `battalion` in the calling task, as a new run or resuming an interrupted one
    /// (`origin`); the caller holds a permit. `send` receives the stream's events (started,
    /// per-member events, then the result, rendered in `format` if set) when the call streams.
    /// Cancelling the call cancels the run.
    /// - Returns: the recorded run and whether the call's own deadline ended it.
    func run(_ battalion: RunnableBattalion, _ origin: RunOrigin, deadline: NIODeadline?,
             format: HeraldFormat?, send: (@Sendable (Paladin_V1_RunEvent) async throws -> Void)?) async throws -> RunOutcomeRecord {
        let begun = try await begin(battalion, origin, deadline: deadline, wantsDeltas: send != nil, detached: false)
        return try await drive(begun, format: format, send: send)
    }

    /// Starts `battalion` (`origin` as for `run`) as a run of its own, not tied to the calling
    /// task: it goes on whatever happens to the call. It holds a permit until it ends.
    /// - Returns: the run as recorded at its start (status running), once it is stored.
    /// - Throws: RESOURCE_EXHAUSTED at the cap on runs in progress, or why it could not begin.
    func start(_ battalion: RunnableBattalion, _ origin: RunOrigin) async throws -> RunRecord {
        let permits = self.permits
        guard permits.tryAcquire() else { throw permits.exhausted }
        let begun: BegunRun
        do {
            begun = try await begin(battalion, origin, deadline: nil, wantsDeltas: true, detached: true)
        } catch {
            permits.release()
            throw error
        }
        // A task of its own (not a child of the call), so the call can end without ending it.
        // Created under the lock its end takes, so a run that ends at once cannot remove its
        // entry before the entry is there.
        detached.withLock { tasks in
            tasks[begun.record.id] = Task {
                _ = try? await self.drive(begun, format: nil, send: nil)
                self.detached.withLock { $0[begun.record.id] = nil }
                permits.release()
            }
        }
        return begun.record
    }

    /// Records the run as running (a new one, or an interrupted one reopened) and registers it,
    /// so CancelRun and watchers find it.
    private func begin(_ battalion: RunnableBattalion, _ origin: RunOrigin, deadline: NIODeadline?,
                       wantsDeltas: Bool, detached: Bool) async throws -> BegunRun {
        var options = battalion.plan.options
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
        guard !stopping.load(ordering: .acquiring) else {
            throw RPCError(.unavailable, "the server is shutting down")
        }
        let entry = ActiveRuns.Entry(cancellation: RunCancellation(), events: RunEventHub())
        let record: RunRecord, recorder: RunRecorder
        switch origin {
        case .new(let input):
            record = RunRecord(id: "run-" + UUID().uuidString.lowercased(), battalion: battalion.plan.message.name,
                               pattern: battalion.plan.pattern.patternName, input: input,
                               startedAtMicros: WallClock.nowMicros(), versions: battalion.versions)
            // Deltas only when someone may stream them: without them members run unstreamed.
            recorder = RunRecorder(store: store, run: record, wantsDeltas: wantsDeltas)
            // Registered before it is stored, so whoever can read the run can also attach to it.
            _ = active.insert(record.id, entry)  // a fresh UUID: never taken
            do {
                try await RunStoreErrors.map { try await recorder.flush() }
            } catch {
                active.remove(record.id)
                entry.events.close()
                throw error
            }
        case .resume(let id):
            // The store reopens it atomically: of two resumes of one run, one wins. Registered
            // first, as a new run is, so a watcher never finds it running but absent here.
            guard active.insert(id, entry) else {
                throw RPCError(.failedPrecondition, "run \(id) is running; only interrupted runs can be resumed", details: ["run_id": id])
            }
            do {
                record = try await RunStoreErrors.map { try await store.reopen(id, versions: battalion.versions) }
            } catch {
                active.remove(id)
                entry.events.close()
                throw error
            }
            recorder = RunRecorder(store: store, run: record, wantsDeltas: wantsDeltas, isNew: false)
        }
        return BegunRun(record: record, battalion: battalion, options: options, deadline: deadline,
                        deadlineBound: deadlineBound, recorder: recorder, entry: entry, detached: detached)
    }

    /// Runs a begun run to its end, recording each step and the result, and hands every event
    /// to its watchers and to `send`.
    private func drive(_ begun: BegunRun, format: HeraldFormat?,
                       send: (@Sendable (Paladin_V1_RunEvent) async throws -> Void)?) async throws -> RunOutcomeRecord {
        let record = begun.record, recorder = begun.recorder, cancellation = begun.entry.cancellation
        let hub = begun.entry.events
        var deadlineBound = begun.deadlineBound
        defer {
            active.remove(record.id)
            hub.close()
        }
        // Members that need a person's approval pause the run (through its cancellation) at the
        // first step nobody has decided on yet.
        let rules = RunApprovals.rules(of: begun.battalion.members)
        let approvals = rules.isEmpty ? nil : RunApprovals(rules: rules, recorded: record.approvals) { cancellation.fire() }
        // A reopened run keeps its successes: they are replayed, not called again.
        let context = BattalionContext(members: begun.battalion.members, options: begun.options, observer: recorder,
                                       resuming: record.steps, approvals: approvals)
        let pattern = begun.battalion.plan.pattern

        var sendError: (any Error)?
        func forward(_ event: Paladin_V1_RunEvent) async {
            guard let send, sendError == nil else { return }
            do { try await send(event) } catch {
                sendError = error
                cancellation.fire()
            }
        }
        var fresh = record
        fresh.steps = []  // `started` shows the run as it begins; replayed steps follow as events
        let started = RunMapping.startedEvent(fresh)
        hub.publish(started)
        await forward(started)
        // The run is a child task: it inherits the caller's executor (for a call, the
        // connection's event loop), so members run without thread hops; cancelling the caller
        // cancels it too.
        async let outcome = Self.run(pattern, input: record.input, in: context, until: cancellation, then: recorder)
        // Each step is stored as its member finishes (a crash loses no finished step), then
        // the event goes to the watchers and the client.
        await recorder.record { event in
            let message = RunMapping.event(event)
            if case .memberDelta = event { hub.publish(message, keep: false) } else { hub.publish(message) }
            await forward(message)
        }
        var result = await outcome
        if begun.detached, stopping.load(ordering: .acquiring) {
            // Stopped by the server's shutdown, not by anyone's choice: the run is left recorded
            // as running, and marked interrupted (resumable) once every run has stopped.
            var interrupted = record
            interrupted.status = .interrupted
            return RunOutcomeRecord(record: interrupted, endedByDeadline: false)
        }
        if let requests = approvals?.newRequests, !requests.isEmpty, result.status == .cancelled {
            // Paused for a person: stored as waiting, with no task left; ApproveStep resumes it.
            try await RunStoreErrors.map { try await store.pause(runID: record.id, steps: result.steps, approvals: requests) }
            var paused = record
            paused.status = .waitingApproval
            paused.steps = result.steps
            paused.approvals += requests
            for request in requests {
                let event = RunMapping.approvalRequested(request)
                hub.publish(event)
                await forward(event)
            }
            let resultEvent = RunMapping.resultEvent(paused, format: format)
            hub.publish(format == nil ? resultEvent : RunMapping.resultEvent(paused, format: nil))
            await forward(resultEvent)
            if let sendError { throw sendError }
            return RunOutcomeRecord(record: paused, endedByDeadline: false)
        }
        // The transport may cancel the call at its deadline a moment before the run's own
        // timer fires (the client's timer starts first); that is still the deadline.
        // A cancellation within one margin of the run's own timer (deadline − margin) counts.
        if result.status == .cancelled, let deadline = begun.deadline, NIODeadline.now() >= deadline - Self.deadlineMargin * 2 {
            result.status = .timedOut
            result.error = "the call's deadline passed"
            deadlineBound = true
        }
        let finishedAt = WallClock.nowMicros()
        // A failed write leaves the run as far as it got; the call still answers with its result.
        try? await recorder.finish(result, atMicros: finishedAt)
        var final = record
        final.finish(with: result, atMicros: finishedAt)
        let resultEvent = RunMapping.resultEvent(final, format: format)
        hub.publish(format == nil ? resultEvent : RunMapping.resultEvent(final, format: nil))
        await forward(resultEvent)
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
}

/// What a run begins from.
enum RunOrigin: Sendable {
    /// A new run on this input.
    case new(input: String)
    /// An interrupted run, reopened under its id; its recorded successes are replayed.
    case resume(runID: String)
}

/// A finished run and how it ended.
struct RunOutcomeRecord: Sendable {
    var record: RunRecord
    /// The call's deadline (not the battalion's own timeout) ended it.
    var endedByDeadline: Bool
}

/// A run recorded as running and registered, not yet driven.
private struct BegunRun: Sendable {
    var record: RunRecord
    var battalion: RunnableBattalion
    var options: BattalionOptions
    var deadline: NIODeadline?
    var deadlineBound: Bool
    var recorder: RunRecorder
    var entry: ActiveRuns.Entry
    var detached: Bool
}
