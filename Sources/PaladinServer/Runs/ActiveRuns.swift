import PaladinCore
import Synchronization

/// Runs in progress in this process, so CancelRun can reach them and RunStream can attach to
/// their events.
final class ActiveRuns: Sendable {
    /// What the server holds for one run in progress.
    struct Entry: Sendable {
        var cancellation: RunCancellation
        var events: RunEventHub
    }

    private let runs = Mutex<[String: Entry]>([:])

    /// Registers a run; `false` (and nothing changed) when one with this id is registered.
    func insert(_ id: String, _ entry: Entry) -> Bool {
        runs.withLock { runs in
            guard runs[id] == nil else { return false }
            runs[id] = entry
            return true
        }
    }

    func remove(_ id: String) {
        _ = runs.withLock { $0.removeValue(forKey: id) }
    }

    /// The events of a run in progress here; nil when it is not running here.
    func events(of id: String) -> RunEventHub? {
        runs.withLock { $0[id]?.events }
    }

    /// Cancels a run; `false` when it is not running here.
    func cancel(_ id: String) -> Bool {
        guard let entry = runs.withLock({ $0[id] }) else { return false }
        entry.cancellation.fire()
        return true
    }
}
