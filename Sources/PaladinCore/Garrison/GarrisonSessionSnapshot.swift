/// A session's visible entries at one moment. Taken under the store's lock in O(1) (its arrays
/// are shared copy-on-write) and read outside it, so a long read does not hold up other sessions;
/// a write to the session while a snapshot is alive copies that session's storage.
struct GarrisonSessionSnapshot: Sendable {
    var system: [GarrisonEntry]
    var messages: GarrisonQueue<GarrisonEntry>
    /// Messages before this position are outside a sliding window.
    var firstVisible: Int

    /// The newest `limit` entries (all when `limit <= 0`) with an id below `before`, oldest
    /// first, taken newest first until they hold `maxBytes`. O(limit + log(session size)).
    func newest(_ limit: Int, before: UInt64? = nil, maxBytes: Int = .max) -> [GarrisonEntry] {
        var found = ByteBoundedCollector<GarrisonEntry>(limit: limit, maxBytes: maxBytes)
        forEachNewestFirst(before: before) { entry in
            found.take(entry, bytes: \.storedBytes)
            return found.wantsMore
        }
        return found.items.reversed()
    }

    /// Calls `body` with the entries whose id is below `before` (all when nil), newest first
    /// (system entries merged in by id), until it returns false. Both arrays are sorted by id,
    /// so the start is found by binary search.
    func forEachNewestFirst(before: UInt64? = nil, _ body: (GarrisonEntry) -> Bool) {
        var nextSystem = system.count
        var nextMessage = messages.count
        if let before {
            nextSystem = SortedSearch.firstPosition(in: 0..<system.count) { system[$0].id < before }
            nextMessage = SortedSearch.firstPosition(in: firstVisible..<max(firstVisible, messages.count)) { messages[$0].id < before }
        }
        while nextSystem > 0 || nextMessage > firstVisible {
            let entry: GarrisonEntry
            if nextSystem > 0 && (nextMessage == firstVisible || system[nextSystem - 1].id > messages[nextMessage - 1].id) {
                nextSystem -= 1
                entry = system[nextSystem]
            } else {
                nextMessage -= 1
                entry = messages[nextMessage]
            }
            guard body(entry) else { return }
        }
    }
}
