import PaladinCore

/// Retention: finished runs past their age or beyond the count go, so the runs table stays
/// bounded on a server that runs battalions for months.
extension SQLiteRunStore {
    /// Deletes finished runs (every status but `running`; an interrupted run's age is taken from
    /// its start) that ended before `cutoffMicros`, then, while more than `maxRuns` runs are
    /// stored, the oldest finished ones. Runs in progress are never deleted, so the count can
    /// stay above `maxRuns` while they run. `nil` skips that rule.
    /// - Returns: how many runs were deleted.
    @discardableResult
    public func prune(finishedBeforeMicros cutoffMicros: Int64?, maxRuns: Int?) async throws -> Int {
        try await database.write { db in
            var removed: [Int64] = []
            if let cutoffMicros {
                let old = try db.statement("""
                    DELETE FROM runs WHERE status != 'running' AND coalesce(finished_at, started_at) < ?1 RETURNING seq
                    """)
                old.bind(cutoffMicros, at: 1)
                while try old.step() { removed.append(old.int64(0)) }
                old.reset()
            }
            if let maxRuns {
                let excess = Int(try db.integer("SELECT count(*) FROM runs")) - max(0, maxRuns)
                if excess > 0 {
                    let oldest = try db.statement("""
                        DELETE FROM runs WHERE seq IN (SELECT seq FROM runs WHERE status != 'running' ORDER BY seq LIMIT ?1)
                        RETURNING seq
                        """)
                    oldest.bind(excess, at: 1)
                    while try oldest.step() { removed.append(oldest.int64(0)) }
                    oldest.reset()
                }
            }
            let steps = try db.statement("DELETE FROM run_steps WHERE run_seq = ?1")
            let approvals = try db.statement("DELETE FROM run_approvals WHERE run_seq = ?1")
            for seq in removed {
                for statement in [steps, approvals] {
                    statement.reset()
                    statement.bind(seq, at: 1)
                    try statement.run()
                }
            }
            return removed.count
        }
    }

    /// `prune` with the retention of `configuration` (`runRetention`, `maxRuns`), ages measured
    /// from `nowMicros`.
    @discardableResult
    public func prune(_ configuration: StoreConfiguration, nowMicros: Int64 = WallClock.nowMicros()) async throws -> Int {
        let cutoff = configuration.runRetention.map { nowMicros - Self.micros($0) }
        return try await prune(finishedBeforeMicros: cutoff, maxRuns: configuration.maxRuns)
    }

    static func micros(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}
