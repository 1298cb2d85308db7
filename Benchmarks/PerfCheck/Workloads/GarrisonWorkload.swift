import PaladinCore

/// An in-memory garrison conversation: ten one-entry appends to a fresh session of a fresh store,
/// then a read of its last ten entries, every entry of it touched.
struct GarrisonWorkload: PerfWorkload {
    static let name = "garrison"
    static let summary = "InMemoryGarrisonStore: 10 one-entry appends + history(limit: 10), fresh store per iteration"

    private let entries: [GarrisonEntry]

    init() throws {
        let user = String(repeating: "u", count: 150)
        let assistant = String(repeating: "a", count: 300)
        entries = (0..<10).map { index in
            GarrisonEntry(sessionID: "perf", role: index % 2 == 0 ? .user : .assistant,
                          content: index % 2 == 0 ? user : assistant)
        }
    }

    mutating func iterate() async throws {
        // A fixed clock: the entries' timestamps never change what the store does.
        let store = InMemoryGarrisonStore(now: { 1_764_000_000_000_000 })
        for entry in entries {
            _ = try store.append([entry], to: "perf")
        }
        let history = try store.history(sessionID: "perf", limit: 10)
        var bytes = 0
        for entry in history { bytes += entry.content.utf8.count }
        guard history.count == 10, bytes == 5 * 150 + 5 * 300 else {
            throw WorkloadFailure("garrison: \(history.count) entries, \(bytes) bytes")
        }
    }
}
