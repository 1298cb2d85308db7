import PaladinLLM
import Yams

extension PaladinConfig {
    /// Reads `providers.NAME.limits: {max_response_bytes, max_sse_line_bytes, max_completion_bytes}`,
    /// each a whole number of bytes within `ProviderConfiguration.Limits`' ranges.
    static func readLimits(_ p: Node.Mapping, at path: String, _ r: inout ConfigReader,
                           into limits: inout ProviderConfiguration.Limits) {
        guard let m = r.mapping(p["limits"], at: "\(path).limits") else { return }
        let lp = "\(path).limits"
        r.rejectUnknownKeys(m, known: ["max_response_bytes", "max_sse_line_bytes", "max_completion_bytes"], at: lp)
        typealias L = ProviderConfiguration.Limits
        r.integer(m, "max_response_bytes", at: lp, range: L.maxResponseBytesRange, into: &limits.maxResponseBytes)
        r.integer(m, "max_sse_line_bytes", at: lp, range: L.maxSSELineBytesRange, into: &limits.maxSSELineBytes)
        r.integer(m, "max_completion_bytes", at: lp, range: L.maxCompletionBytesRange, into: &limits.maxCompletionBytes)
    }
}
