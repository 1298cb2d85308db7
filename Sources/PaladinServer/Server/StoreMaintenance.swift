import PaladinCore
import PaladinStore

/// The periodic clean-up of the stores, every `store.cleanup_interval`: idle garrison sessions
/// (`store.session_ttl`) and old or surplus finished runs (`store.run_retention`,
/// `store.max_runs`). A failed pass is retried at the next interval.
struct StoreMaintenance: Sendable {
    var garrison: SQLiteGarrisonStore?
    var sqliteRuns: SQLiteRunStore?
    var memoryRuns: InMemoryRunStore?
    var configuration: StoreConfiguration

    /// Whether any clean-up is configured for the stores present.
    var hasWork: Bool {
        (garrison != nil && configuration.sessionTTL != nil)
            || (sqliteRuns != nil && (configuration.runRetention != nil || configuration.maxRuns != nil))
            || (memoryRuns != nil && configuration.runRetention != nil)
    }

    /// Runs a pass every interval until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.cleanupInterval)
            } catch {
                return
            }
            await pass()
        }
    }

    /// One clean-up of every store.
    func pass(nowMicros: Int64 = WallClock.nowMicros()) async {
        if let garrison, let ttl = configuration.sessionTTL {
            _ = try? await garrison.removeIdleSessions(olderThan: ttl)
        }
        if let sqliteRuns {
            _ = try? await sqliteRuns.prune(configuration, nowMicros: nowMicros)
        }
        if let memoryRuns, let retention = configuration.runRetention {
            let micros = retention.components.seconds * 1_000_000 + retention.components.attoseconds / 1_000_000_000_000
            memoryRuns.prune(finishedBeforeMicros: nowMicros - micros)
        }
    }
}
