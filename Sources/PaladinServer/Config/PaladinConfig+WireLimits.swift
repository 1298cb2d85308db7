import Yams

/// The `server.limits` keys of the wire decoder's own limits (issue 17's decode budgets).
extension PaladinConfig {
    /// Keys read by `readWireLimits`, for the known-key check of `server.limits`.
    static let wireLimitKeys: Set<String> = ["max_metadata_entries"]

    /// Reads the wire limits of the `server.limits` mapping `l`.
    mutating func readWireLimits(_ l: Node.Mapping, _ r: inout ConfigReader) {
        r.integer(l, "max_metadata_entries", at: "server.limits", range: 0...100_000, into: &server.limits.maxMetadataEntries)
    }
}
