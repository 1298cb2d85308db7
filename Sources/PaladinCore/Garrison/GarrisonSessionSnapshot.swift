/// A session's visible entries at one moment. Taken under the store's lock in O(1) (its arrays
/// are shared copy-on-write) and read outside it, so a long read does not hold up other sessions;
/// a write to the session while a snapshot is alive copies that session's storage.
struct GarrisonSessionSnapshot: Sendable {
    var system: [GarrisonEntry]
    var messages: GarrisonQueue<GarrisonEntry>
    /// Messages before this position are outside a sliding window.
    var firstVisible: Int

    /// The newest `limit` entries (all when `limit <= 0`), oldest first. O(limit).
    func newest(_ limit: Int) -> [GarrisonEntry] {
        var found: [GarrisonEntry] = []
        forEachNewestFirst { entry in
            found.append(entry)
            return limit <= 0 || found.count < limit
        }
        return found.reversed()
    }

    /// Calls `body` with the entries, newest first (system entries merged in by id), until it
    /// returns false.
    func forEachNewestFirst(_ body: (GarrisonEntry) -> Bool) {
        var nextSystem = system.count
        var nextMessage = messages.count
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
