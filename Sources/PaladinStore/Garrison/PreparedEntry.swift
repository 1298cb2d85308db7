import PaladinCore

/// An entry checked and ready to insert: tokens counted and metadata encoded before the job
/// reaches the writer thread, so the writer does only SQL.
struct PreparedEntry: Sendable {
    var role: Int64
    var content: String
    var tokens: Int
    var importance: Int
    var metadata: String?
    var bytes: Int

    /// Validates `entries` as the in-memory store does and prepares them.
    /// - Throws: `GarrisonError.invalidArgument` for an empty or oversized batch, an importance
    ///   outside 0...100 or a `tokenCount` above `GarrisonEntry.maxTokenCount`.
    static func prepare(_ entries: [GarrisonEntry], limits: GarrisonLimits,
                        counter: any TokenCounter) throws(GarrisonError) -> [PreparedEntry] {
        guard !entries.isEmpty, entries.count <= limits.maxEntriesPerAppend else {
            throw .invalidArgument(field: "entries", reason: "must hold 1 to \(limits.maxEntriesPerAppend) entries")
        }
        var prepared: [PreparedEntry] = []
        prepared.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard (0...100).contains(entry.importance) else {
                throw .invalidArgument(field: "entries[\(index)].importance", reason: "must be 0 to 100")
            }
            guard entry.tokenCount <= GarrisonEntry.maxTokenCount else {
                throw .invalidArgument(field: "entries[\(index)].tokenCount",
                                       reason: "must be at most \(GarrisonEntry.maxTokenCount)")
            }
            let tokens = entry.tokenCount > 0
                ? entry.tokenCount
                : min(max(counter.count(entry.content), 0), GarrisonEntry.maxTokenCount)
            prepared.append(PreparedEntry(role: EntryCodec.code(entry.role), content: entry.content, tokens: tokens,
                                          importance: entry.importance, metadata: EntryCodec.encode(entry.metadata),
                                          bytes: entry.storedBytes))
        }
        return prepared
    }
}
