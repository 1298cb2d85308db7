extension InMemoryRunStore {
    /// Drops finished runs that ended before `cutoffMicros` (an interrupted run's age is taken
    /// from its start), as `store.run_retention` asks; runs in progress are kept.
    /// - Returns: how many runs were dropped.
    @discardableResult
    public func prune(finishedBeforeMicros cutoffMicros: Int64) -> Int {
        removeRuns { $0.status.isFinished && ($0.finishedAtMicros ?? $0.startedAtMicros) < cutoffMicros }
    }
}
