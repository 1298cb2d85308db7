import PaladinCore
import Synchronization

/// Runs in progress in this process, so CancelRun can reach them.
final class ActiveRuns: Sendable {
    private let runs = Mutex<[String: Task<BattalionResult, Never>]>([:])

    func insert(_ id: String, _ task: Task<BattalionResult, Never>) {
        runs.withLock { $0[id] = task }
    }

    func remove(_ id: String) {
        _ = runs.withLock { $0.removeValue(forKey: id) }
    }

    /// Cancels a run; `false` when it is not running here.
    func cancel(_ id: String) -> Bool {
        guard let task = runs.withLock({ $0[id] }) else { return false }
        task.cancel()
        return true
    }

    /// Cancels every run (shutdown).
    func cancelAll() {
        for task in runs.withLock({ Array($0.values) }) { task.cancel() }
    }

    var count: Int { runs.withLock { $0.count } }
}
