import PaladinCore

extension RunManager {
    /// At shutdown, before the connections drain: refuses new runs (UNAVAILABLE), stops the runs
    /// started with StartRun and waits for them. They stay recorded as running, with every step
    /// they finished, until `markStoppedRunsInterrupted()`; their watchers end with UNAVAILABLE.
    public func stopDetachedRuns() async {
        stopping.store(true, ordering: .releasing)
        let tasks = detached.withLock { Array($0) }
        for (id, _) in tasks { _ = active.cancel(id) }
        for (_, task) in tasks { await task.value }
    }

    /// At shutdown, once the connections have drained (so runs tied to calls have ended):
    /// marks the runs stopped by `stopDetachedRuns()` interrupted, so the next start resumes
    /// them (or a caller does, per the battalion's `on_interrupt`).
    public func markStoppedRunsInterrupted() async {
        _ = try? await store.markInterrupted()
    }

    /// Cancels a run in progress here, or one that waits (for approval, or interrupted, to be
    /// resumed): it ends recorded cancelled. `false` when it had already ended.
    /// - Throws: NOT_FOUND when no such run was ever recorded.
    func cancel(_ id: String) async throws -> Bool {
        if active.cancel(id) { return true }
        guard let record = try await RunStoreErrors.map({ try await store.get(id) }) else { throw Catalog.notFound("run", id) }
        guard record.status == .waitingApproval || record.status == .interrupted else { return false }
        let result = BattalionResult(pattern: record.pattern, status: .cancelled, finalOutput: "", steps: record.steps,
                                     error: "cancelled while \(record.status == .interrupted ? "interrupted" : "waiting for approval")")
        try await RunStoreErrors.map { try await store.finish(runID: id, with: result, atMicros: WallClock.nowMicros()) }
        _ = resumeLater.withLock { $0.remove(id) }
        return true
    }
}
