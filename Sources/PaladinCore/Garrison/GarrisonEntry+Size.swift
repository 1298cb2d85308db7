extension GarrisonEntry {
    /// Bytes of content and metadata: a lower bound of the entry's encoded size, which paged
    /// reads use to stop reading once a response frame is full.
    public var approximateBytes: Int {
        metadata.reduce(content.utf8.count) { $0 + $1.key.utf8.count + $1.value.utf8.count }
    }
}
