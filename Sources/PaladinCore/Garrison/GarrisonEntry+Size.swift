extension GarrisonEntry {
    /// Bytes of content and metadata: a lower bound of the entry's encoded size, which paged
    /// reads use to stop reading once a response frame is full.
    public var approximateBytes: Int {
        metadata.reduce(content.utf8.count) { $0 + $1.key.utf8.count + $1.value.utf8.count }
    }
}

/// Collects items newest first until `maxBytes` is reached (the first item always goes in).
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

    mutating func take(_ item: Item, bytes size: Int) {
        items.append(item)
        bytes += size
    }
}
