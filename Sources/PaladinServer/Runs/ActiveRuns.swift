import PaladinCore
import Synchronization

/// Runs in progress in this process, so CancelRun can reach them.
final class ActiveRuns: Sendable {
    private let runs = Mutex<[String: RunCancellation]>([:])

    func insert(_ id: String, _ cancellation: RunCancellation) {
        runs.withLock { $0[id] = cancellation }
    }

    func remove(_ id: String) {
        _ = runs.withLock { $0.removeValue(forKey: id) }
    }

    /// Cancels a run; `false` when it is not running here.
    func cancel(_ id: String) -> Bool {
        guard let cancellation = runs.withLock({ $0[id] }) else { return false }
        cancellation.fire()
        return true
    }
}
