import PaladinWire

/// How big one page of a list or read call may be: at most `maxPageSize` items
/// (`server.limits.max_page_size`) and, encoded, at most the response frame
/// (`server.limits.max_frame_size`) less `headroom` for the response's other fields.
struct PageLimits: Sendable {
    /// Bytes kept free in the frame for the page token and the response's own framing.
    static let headroom = 1024

    var maxPageSize: Int
    var maxFrameSize: Int

    init(_ limits: ServerLimits) {
        maxPageSize = max(1, limits.maxPageSize)
        maxFrameSize = limits.maxFrameSize
    }

    /// Bytes of repeated items one response may carry.
    var byteBudget: Int { max(1, maxFrameSize - Self.headroom) }

    /// The page size for a requested `limit`: `defaultSize` when 0, else the limit; either
    /// clamped to `maxPageSize` (over it is clamped, not refused).
    func pageSize(_ limit: UInt32, default defaultSize: Int) -> Int {
        min(limit == 0 ? defaultSize : Int(limit), maxPageSize)
    }

    /// How many of `items` (in page order) fit in one response: at most `count` and at most
    /// `byteBudget` bytes encoded as a repeated message field.
    /// - Throws: RESOURCE_EXHAUSTED naming the first item (`describe`) when it alone is too big.
    func fit<Item>(_ items: some Collection<Item>, count: Int, size: (Item) -> Int,
                   describe: (Item) -> String) throws(RPCError) -> Int {
        var total = 0
        var taken = 0
        for item in items.prefix(count) {
            let length = size(item)
            let field = 1 + Self.varintSize(length) + length
            if total + field > byteBudget {
                guard taken > 0 else {
                    throw RPCError(.resourceExhausted, "\(describe(item)) alone is \(length) bytes encoded, more than one response "
                                   + "can carry (\(byteBudget) bytes of max_frame_size \(maxFrameSize); "
                                   + "config key server.limits.max_frame_size)", details: ["limit": "server.limits.max_frame_size"])
                }
                break
            }
            total += field
            taken += 1
        }
        return taken
    }

    static func varintSize(_ value: Int) -> Int {
        var value = UInt64(value)
        var size = 1
        while value >= 0x80 {
            value >>= 7
            size += 1
        }
        return size
    }
}
