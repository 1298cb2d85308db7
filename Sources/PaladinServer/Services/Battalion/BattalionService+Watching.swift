import PaladinCore
import PaladinHerald
import PaladinWire

/// Attaching to a run (RunStream and Run with `attach_run_id`): a run in progress here is
/// watched through its `RunEventHub`; an ended one is replayed from the store.
extension BattalionService {
    /// Sends the run's events from its start to `send`, then its result rendered in `format`.
    /// Ending the call ends the watch only, never the run.
    /// - Returns: the run as recorded at its end.
    /// - Throws: NOT_FOUND; UNAVAILABLE when the run stopped without ending (the server is
    ///   shutting down); RESOURCE_EXHAUSTED when the run has too many watchers or this one fell
    ///   too far behind.
    static func watch(_ request: Paladin_V1_RunRequest, runs: RunManager, format: HeraldFormat?,
                      send: (Paladin_V1_RunEvent) async throws -> Void) async throws -> RunRecord {
        guard request.battalion.isEmpty, request.input.isEmpty, request.resumeRunID.isEmpty else {
            throw BattalionMapping.invalid("attach_run_id", "is set, so battalion, input and resume_run_id must be empty")
        }
        let id = request.attachRunID
        if let hub = runs.active.events(of: id) {
            for try await event in try hub.attach() {
                if case .result = event.event { continue }  // sent below, rendered as this caller asked
                try await send(event)
            }
        } else if let record = try await stored(id, runs) {
            for event in replay(record) { try await send(event) }
        }
        guard let record = try await stored(id, runs) else { throw Catalog.notFound("run", id) }
        guard record.status.isFinished else {
            throw RPCError(.unavailable, "run \(id) stopped here without ending (the server is shutting down, and resumes it at its next start); attach again later",
                           details: ["run_id": id])
        }
        try await send(RunMapping.resultEvent(record, format: format))
        return record
    }

    private static func stored(_ id: String, _ runs: RunManager) async throws -> RunRecord? {
        try await RunStoreErrors.map { try await runs.store.get(id) }
    }

    /// The events of a recorded run, as a watcher attached from its start would have had them
    /// (without deltas, which are not recorded): started, then each step's started and finished,
    /// then, for a run waiting for a person, the approvals it waits for.
    static func replay(_ record: RunRecord) -> [Paladin_V1_RunEvent] {
        var start = RunRecord(id: record.id, battalion: record.battalion, pattern: record.pattern, input: record.input,
                              startedAtMicros: record.startedAtMicros, versions: record.versions)
        start.status = .running
        var events = [RunMapping.startedEvent(start)]
        events.reserveCapacity(1 + 2 * record.steps.count)
        for step in record.steps {
            events.append(RunMapping.event(.memberStarted(step.member)))
            events.append(RunMapping.event(.memberFinished(step)))
        }
        if record.status == .waitingApproval {
            events += record.approvals.filter { $0.decision == .pending }.map(RunMapping.approvalRequested)
        }
        return events
    }
}
