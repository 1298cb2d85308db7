/// One workload of the performance regression check (`scripts/perf-check`): what one iteration
/// does, and what every iteration reuses.
protocol PerfWorkload {
    /// The name on the command line and in `Benchmarks/PerfCheck/baselines.json`.
    static var name: String { get }
    /// What the workload measures, for `--list`.
    static var summary: String { get }
    /// Builds what every iteration reuses (agents, patterns, encoded bytes); not measured.
    init() throws
    /// One iteration. It checks its own result, so a workload that stops doing its work fails
    /// instead of getting cheaper.
    mutating func iterate() async throws
}

/// A workload whose result was not what it should be.
struct WorkloadFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
