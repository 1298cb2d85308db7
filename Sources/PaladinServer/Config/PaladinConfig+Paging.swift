import Yams

extension PaladinConfig {
    /// Most items one page may hold, at least one and at most 100,000.
    static let pageSizeRange = 1...100_000

    /// Reads `server.limits.max_page_size`.
    mutating func readPaging(_ limits: Node.Mapping, _ r: inout ConfigReader) {
        r.integer(limits, "max_page_size", at: "server.limits", range: Self.pageSizeRange, into: &server.limits.maxPageSize)
    }
}
