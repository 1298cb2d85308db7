/// Collects the items of a paged read until it holds `limit` of them or `maxBytes` (the first
/// item always goes in, so a read never comes back empty while items remain).
/// Shared by the in-memory and SQLite stores' paged reads.
public struct ByteBoundedCollector<Item> {
    /// The items taken, in the order they were taken.
    public private(set) var items: [Item] = []
    private var bytes = 0
    /// At most this many items; `<= 0` means no count limit.
    public let limit: Int
    /// Taking stops once the items hold this many bytes.
    public let maxBytes: Int

    /// - Parameter limit: at most this many items; `<= 0` means no count limit.
    public init(limit: Int, maxBytes: Int) {
        self.limit = limit
        self.maxBytes = maxBytes
    }

    /// Whether another item may be taken.
    public var wantsMore: Bool { (limit <= 0 || items.count < limit) && bytes < maxBytes }

    /// Takes `item`; `size` (its bytes) is only asked for when there is a byte bound, so an
    /// unbounded read costs no more than before.
    public mutating func take(_ item: Item, bytes size: (Item) -> Int) {
        if maxBytes != .max { bytes += size(item) }
        items.append(item)
    }
}
