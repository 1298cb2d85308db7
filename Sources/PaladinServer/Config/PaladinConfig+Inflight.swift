import Yams

extension PaladinConfig {
    /// `server.limits.max_inflight_runs` and `max_inflight_executions`: the server-wide caps on
    /// work in flight (docs/configuration.md).
    static func readInflightLimits(_ l: Node.Mapping, _ r: inout ConfigReader, into limits: inout ServerLimits) {
        let p = "server.limits"
        r.integer(l, "max_inflight_runs", at: p, range: 1...1_000_000, into: &limits.maxInflightRuns)
        r.integer(l, "max_inflight_executions", at: p, range: 1...1_000_000, into: &limits.maxInflightExecutions)
    }
}
