/// Reads of a session: the newest entries, snapshots for scans outside the lock, and the
/// bookkeeping audit used by tests.
extension GarrisonSession {
    /// The newest `limit` visible entries (all when `limit <= 0`), oldest first, as session
    /// `sessionID`'s. O(1) when no system entry is among them (a view of the ring, the common
    /// case); otherwise O(limit), ids compared in place.
    @inline(__always)
    func newest(_ limit: Int, sessionID: String, counter shared: SharedTokenCounter?) -> GarrisonHistory {
        guard system.isEmpty else { return newestWithSystem(limit, sessionID: sessionID, counter: shared) }
        let visibleMessages = messages.count - hidden
        let count = limit > 0 && limit < visibleMessages ? limit : visibleMessages
        return GarrisonHistory(ring: messages, start: messages.count - count, count: count,
                               sessionID: sessionID, counter: shared)
    }

    /// `newest` for a session with system entries, which may have to be merged in.
    private func newestWithSystem(_ limit: Int, sessionID: String, counter shared: SharedTokenCounter?) -> GarrisonHistory {
        let visibleMessages = messages.count - hidden
        let total = system.count + visibleMessages
        let count = limit > 0 && limit < total ? limit : total
        guard count > 0 else { return [] }
        if count <= visibleMessages,
           system.last.map({ last in last.id < messages.read(messages.count - count) { $0.id } }) ?? true {
            return GarrisonHistory(ring: messages, start: messages.count - count, count: count,
                                   sessionID: sessionID, counter: shared)
        }
        let counter = shared.counter
        // Where the newest `count` start, in each array.
        var nextSystem = system.count
        var nextMessage = messages.count
        for _ in 0..<count {
            if nextSystem > 0 && (nextMessage == hidden
                                  || system[nextSystem - 1].id > messages.read(nextMessage - 1) { $0.id }) {
                nextSystem -= 1
            } else {
                nextMessage -= 1
            }
        }
        var result: [GarrisonEntry] = []
        result.reserveCapacity(count)
        while nextSystem < system.count || nextMessage < messages.count {
            if nextSystem < system.count
                && (nextMessage == messages.count || system[nextSystem].id < messages.read(nextMessage) { $0.id }) {
                result.append(system[nextSystem].entry(sessionID: sessionID, counter: counter))
                nextSystem += 1
            } else {
                result.append(messages.read(nextMessage) { $0.entry(sessionID: sessionID, counter: counter) })
                nextMessage += 1
            }
        }
        return GarrisonHistory(result)
    }

    var snapshot: GarrisonSessionSnapshot {
        GarrisonSessionSnapshot(system: system, messages: messages, firstVisible: hidden)
    }

    /// Recomputes the running totals from the entries and names each mismatch. O(session size).
    func audit() -> [String] {
        var problems: [String] = []
        func sum(_ entries: some Sequence<StoredGarrisonEntry>, _ value: (StoredGarrisonEntry) -> Int) -> Int {
            entries.reduce(0) { $0 + value($1) }
        }
        let counted = { (entry: StoredGarrisonEntry) in entry.counted ? Int(entry.storedTokens) : 0 }
        if systemBytes != sum(system, \.bytes) { problems.append("systemBytes") }
        if systemTokens != sum(system, counted) { problems.append("systemTokens") }
        if messageBytes != sum(messages, \.bytes) { problems.append("messageBytes") }
        if messageTokens != sum(messages, counted) { problems.append("messageTokens") }
        if Int(owedSystem) != system.count(where: { !$0.counted }) { problems.append("owedSystem") }
        if Int(owedMessages) != messages.count(where: { !$0.counted }) { problems.append("owedMessages") }
        if policy.needsTokens && owed > 0 { problems.append("owed under a token policy") }
        if hidden != max(0, messages.count - policy.readWindow) { problems.append("hidden") }
        if hiddenTokens != sum(messages.prefix(hidden), counted) { problems.append("hiddenTokens") }
        if system.contains(where: { $0.role != .system }) || messages.contains(where: { $0.role == .system }) {
            problems.append("roles")
        }
        if !zip(system, system.dropFirst()).allSatisfy({ $0.id < $1.id })
            || !zip(messages, messages.dropFirst()).allSatisfy({ $0.id < $1.id }) {
            problems.append("order")
        }
        return problems
    }
}

/// A session's entries as of one moment, for scans outside the lock.
struct GarrisonSessionSnapshot: Sendable {
    var system: [StoredGarrisonEntry]
    var messages: GarrisonRing<StoredGarrisonEntry>
    var firstVisible: Int

    /// Calls `body` with the visible entries, newest first, until it returns false.
    func forEachNewestFirst(_ body: (StoredGarrisonEntry) -> Bool) {
        var nextSystem = system.count
        var nextMessage = messages.count
        while nextSystem > 0 || nextMessage > firstVisible {
            let entry: StoredGarrisonEntry
            if nextSystem > 0 && (nextMessage == firstVisible
                                  || system[nextSystem - 1].id > messages.read(nextMessage - 1) { $0.id }) {
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
