import Foundation
import Yams

extension StoreSettings {
    /// Runs an in-memory run store keeps when `store.max_runs` is not given: its historical
    /// capacity, lower than the SQLite default because every run stays in process memory.
    static let defaultMemoryMaxRuns = 10_000

    /// Runs the in-memory run store (`store.path: :memory:`) keeps.
    public var memoryMaxRuns: Int { maxRunsGiven ? (sqlite.maxRuns ?? Int.max) : Self.defaultMemoryMaxRuns }

    /// Reads `store.run_retention` (a duration or `off`) and `store.max_runs` (a count or `off`).
    mutating func readRetention(_ m: Node.Mapping, _ r: inout ConfigReader) {
        r.duration(m, "run_retention", at: "store", allowOff: true, range: .seconds(1)...Duration.seconds(100 * 365 * 86_400),
                   into: &sqlite.runRetention)
        guard let node = m["max_runs"] else { return }
        maxRunsGiven = true
        if node.scalar?.string.trimmingCharacters(in: .whitespaces).lowercased() == "off" {
            sqlite.maxRuns = nil
            return
        }
        var count = sqlite.maxRuns ?? 100_000
        r.integer(m, "max_runs", at: "store", range: 1...100_000_000, into: &count)
        sqlite.maxRuns = count
    }
}
