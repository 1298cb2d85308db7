/// A least-recently-used map with a time to live, O(1) per operation: a dictionary into an
/// array of nodes linked most-recent first, with freed slots reused.
struct LRUCache<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value
        var expires: ContinuousClock.Instant
        var newer = -1
        var older = -1
    }

    let capacity: Int
    private var nodes: [Node] = []
    private var slots: [Key: Int] = [:]
    private var free: [Int] = []
    private var newest = -1
    private var oldest = -1

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { slots.count }

    /// The live value for `key` (which becomes the most recent), or `nil`.
    mutating func value(_ key: Key, now: ContinuousClock.Instant) -> Value? {
        guard let slot = slots[key] else { return nil }
        guard nodes[slot].expires > now else {
            remove(slot)
            return nil
        }
        unlink(slot)
        pushNewest(slot)
        return nodes[slot].value
    }

    /// Stores `value`, evicting the least recently used entry when full.
    mutating func insert(_ key: Key, _ value: Value, expires: ContinuousClock.Instant) {
        if let slot = slots[key] {
            nodes[slot].value = value
            nodes[slot].expires = expires
            unlink(slot)
            pushNewest(slot)
            return
        }
        if slots.count >= capacity, oldest >= 0 { remove(oldest) }
        let node = Node(key: key, value: value, expires: expires)
        let slot: Int
        if let reused = free.popLast() { nodes[reused] = node; slot = reused } else { nodes.append(node); slot = nodes.count - 1 }
        slots[key] = slot
        pushNewest(slot)
    }

    private mutating func remove(_ slot: Int) {
        unlink(slot)
        slots[nodes[slot].key] = nil
        free.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (nodes[slot].newer, nodes[slot].older)
        if newer >= 0 { nodes[newer].older = older } else { newest = older }
        if older >= 0 { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = -1
        nodes[slot].older = -1
    }

    private mutating func pushNewest(_ slot: Int) {
        nodes[slot].older = newest
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}
