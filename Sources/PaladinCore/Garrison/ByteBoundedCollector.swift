/// Collects the items of a paged read until it holds `limit` of them or `maxBytes` (the first
/// item always goes in, so a read never comes back empty while items remain).
struct ByteBoundedCollector<Item> {
    private(set) var items: [Item] = []
    private var bytes = 0
    let limit: Int
    let maxBytes: Int

    /// - Parameter limit: at most this many items; `<= 0` means no count limit.
    init(limit: Int, maxBytes: Int) {
        self.limit = limit
        self.maxBytes = maxBytes
    }

    /// Whether another item may be taken.
    var wantsMore: Bool { (limit <= 0 || items.count < limit) && bytes < maxBytes }

    /// Takes `item`; `size` (its bytes) is only asked for when there is a byte bound, so an
    /// unbounded read costs no more than before.
    mutating func take(_ item: Item, bytes size: (Item) -> Int) {
        if maxBytes != .max { bytes += size(item) }
        items.append(item)
    }
}
