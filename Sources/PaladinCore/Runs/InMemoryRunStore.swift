import Synchronization

/// A `RunStore` in process memory, keeping about `capacity` runs (up to a tenth more between
/// clean-ups; the oldest finished runs go first; running runs are never dropped). Thread-safe; every operation is a short critical section.
public final class InMemoryRunStore: RunStore {
    private struct State {
        var runs: [String: RunRecord] = [:]
        /// Run ids in the order they were begun, with their sequence numbers (increasing).
        var order: [(sequence: Int64, id: String)] = []
        var nextSequence: Int64 = 1
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    public func begin(_ run: RunRecord) throws {
        try state.withLock { state throws(RunStoreError) in
            guard state.runs[run.id] == nil else { throw .duplicateRun(run.id) }
            state.runs[run.id] = run
            state.order.append((state.nextSequence, run.id))
            state.nextSequence += 1
            // Over capacity by a tenth: drop the oldest finished runs in one pass, so eviction
            // costs O(1) per run amortized instead of a scan on every begin.
            if state.order.count > capacity + max(1, capacity / 10) {
                var excess = state.order.count - capacity
                state.order.removeAll { entry in
                    guard excess > 0, state.runs[entry.id]?.status.isFinished ?? true else { return false }
                    state.runs.removeValue(forKey: entry.id)
                    excess -= 1
                    return true
                }
            }
        }
    }

    public func record(_ step: MemberStep, runID: String) throws {
        try state.withLock { state throws(RunStoreError) in
            guard state.runs[runID] != nil else { throw .runNotFound(runID) }
            state.runs[runID]!.steps.append(step)
        }
    }

    public func finish(runID: String, with result: BattalionResult, atMicros: Int64) throws {
        try state.withLock { state throws(RunStoreError) in
            guard var run = state.runs[runID] else { throw .runNotFound(runID) }
            run.finish(with: result, atMicros: atMicros)
            state.runs[runID] = run
        }
    }

    public func get(_ id: String) -> RunRecord? {
        state.withLock { $0.runs[id] }
    }

    /// Matching runs, newest first.
    public func list(_ filter: RunFilter) -> [RunRecord] {
        listed(filter).map(\.record)
    }

    /// Matching runs begun before `filter.beforeSequence`, newest first; the start is found by
    /// binary search, so a later page costs no more than the first.
    public func listed(_ filter: RunFilter) -> [ListedRun] {
        guard filter.limit > 0 else { return [] }
        return state.withLock { state in
            var end = state.order.count
            if let before = filter.beforeSequence {
                end = SortedSearch.firstPosition(in: 0..<end) { state.order[$0].sequence < before }
            }
            var found = ByteBoundedCollector<ListedRun>(limit: filter.limit, maxBytes: filter.maxBytes)
            for (sequence, id) in state.order[..<end].reversed() {
                guard found.wantsMore else { break }
                if let run = state.runs[id], filter.matches(run) {
                    found.take(ListedRun(sequence: sequence, record: run), bytes: \.record.approximateBytes)
                }
            }
            return found.items
        }
    }

    /// Removes every run `shouldRemove` picks, in one pass; returns how many.
    func removeRuns(where shouldRemove: (RunRecord) -> Bool) -> Int {
        state.withLock { state in
            var removed = 0
            state.order.removeAll { entry in
                guard let run = state.runs[entry.id], shouldRemove(run) else { return false }
                state.runs.removeValue(forKey: entry.id)
                removed += 1
                return true
            }
            return removed
        }
    }

    public func reopen(_ id: String, versions: DefinitionVersions) throws -> RunRecord {
        try state.withLock { state throws(RunStoreError) in
            guard let run = state.runs[id] else { throw .runNotFound(id) }
            guard run.status == .interrupted || (run.status == .waitingApproval && !run.approvals.contains { $0.decision == .pending })
            else { throw .notInterrupted(id, run.status) }
            let reopened = run.reopened(versions: versions)
            state.runs[id] = reopened
            return reopened
        }
    }

    public func pause(runID: String, steps: [MemberStep], approvals: [ApprovalRecord]) throws {
        try state.withLock { state throws(RunStoreError) in
            guard var run = state.runs[runID] else { throw .runNotFound(runID) }
            run.status = .waitingApproval
            run.steps = steps
            run.approvals += approvals
            state.runs[runID] = run
        }
    }

    public func decide(runID: String, step: String, _ decision: ApprovalRecord.Decision, comment: String,
                       editedInput: String?, atMicros: Int64) throws -> RunRecord {
        try state.withLock { state throws(RunStoreError) in
            guard var run = state.runs[runID] else { throw .runNotFound(runID) }
            guard let index = run.approvals.firstIndex(where: { $0.step == step }) else {
                throw .approvalNotFound(runID: runID, step: step)
            }
            let current = run.approvals[index].decision
            guard current == .pending else { throw .alreadyDecided(runID: runID, step: step, current) }
            run.approvals[index].decision = decision
            run.approvals[index].comment = comment
            run.approvals[index].editedInput = editedInput
            run.approvals[index].decidedAtMicros = atMicros
            state.runs[runID] = run
            return run
        }
    }

    public func expiredApprovals(atMicros: Int64) -> [(runID: String, step: String)] {
        state.withLock { state in
            state.order.compactMap { state.runs[$0.id] }.flatMap { run in
                run.approvals.filter { $0.decision == .pending && ($0.deadlineMicros.map { $0 <= atMicros } ?? false) }
                    .map { (run.id, $0.step) }
            }
        }
    }

    public func markInterrupted() -> [String] {
        state.withLock { state in
            let running = state.order.map(\.id).filter { state.runs[$0]?.status == .running }
            for id in running { state.runs[id]?.status = .interrupted }
            return running
        }
    }
}
