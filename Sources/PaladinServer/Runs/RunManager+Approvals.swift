import PaladinCore
import PaladinWire

/// Runs that wait for a person: decisions, deadlines, and resuming once nothing waits.
extension RunManager {
    /// How often `superviseApprovals` runs when `serve` drives it.
    public static let approvalSweepInterval = Duration.seconds(1)

    /// Records a person's decision on a step and resumes the run, under its id, once no step
    /// of it waits any more.
    /// - Returns: the run after the decision (running again when it resumed).
    /// - Throws: NOT_FOUND (run or step), FAILED_PRECONDITION (already decided, or the run does
    ///   not wait).
    func decide(runID: String, step: String, _ decision: ApprovalRecord.Decision, comment: String,
                editedInput: String?, catalog: Catalog) async throws -> RunRecord {
        guard let current = try await RunStoreErrors.map({ try await store.get(runID) }) else { throw Catalog.notFound("run", runID) }
        guard current.status == .waitingApproval else {
            throw RPCError(.failedPrecondition, "run \(runID) is \(current.status.rawValue), not waiting for approval", details: ["run_id": runID])
        }
        let record = try await RunStoreErrors.map {
            try await store.decide(runID: runID, step: step, decision, comment: comment, editedInput: editedInput,
                                   atMicros: WallClock.nowMicros())
        }
        return await resumeIfDecided(record, catalog: catalog)
    }

    /// Starts `record` again when it waits with every approval decided; otherwise returns it.
    func resumeIfDecided(_ record: RunRecord, catalog: Catalog) async -> RunRecord {
        guard record.status == .waitingApproval, !record.approvals.contains(where: { $0.decision == .pending }) else { return record }
        do {
            let resumed = try await start(try catalog.runnable(record.battalion), .resume(runID: record.id))
            _ = resumeLater.withLock { $0.remove(record.id) }
            return resumed
        } catch let error as RPCError where error.code == .resourceExhausted {
            _ = resumeLater.withLock { $0.insert(record.id) }
        } catch {
            // The battalion is gone or cannot run: the run stays waiting, decided, for a person
            // to look at (its record says why nothing happens).
        }
        return record
    }

    /// Ends the waits whose deadline has passed (each rule's `on_timeout`: the step rejected, or
    /// the run failed) and resumes decided runs a busy server could not resume before.
    public func superviseApprovals(catalog: Catalog, nowMicros: Int64 = WallClock.nowMicros()) async {
        let expired = (try? await store.expiredApprovals(atMicros: nowMicros)) ?? []
        for (runID, step) in expired {
            guard let record = try? await store.decide(runID: runID, step: step, .expired, comment: "the approval deadline passed",
                                                       editedInput: nil, atMicros: nowMicros),
                  record.status == .waitingApproval  // a run cancelled while it waited: the approval just expires
            else { continue }
            let member = record.approvals.first { $0.step == step }?.member ?? ""
            if (try? catalog.paladin(member))?.definition.approval?.onTimeout == .fail {
                let result = BattalionResult(pattern: record.pattern, status: .failed, finalOutput: "", steps: record.steps,
                                             error: "nobody approved step \(step) before its deadline")
                try? await store.finish(runID: runID, with: result, atMicros: nowMicros)
            } else {
                _ = await resumeIfDecided(record, catalog: catalog)
            }
        }
        for runID in resumeLater.withLock({ $0 }) {
            if let record = try? await store.get(runID) {
                _ = await resumeIfDecided(record, catalog: catalog)
            } else {
                _ = resumeLater.withLock { $0.remove(runID) }
            }
        }
    }

    /// Calls `superviseApprovals` every `approvalSweepInterval` until the task is cancelled.
    public func superviseApprovalsForever(catalog: Catalog) async {
        while !Task.isCancelled {
            await superviseApprovals(catalog: catalog)
            try? await Task.sleep(for: Self.approvalSweepInterval)
        }
    }
}
