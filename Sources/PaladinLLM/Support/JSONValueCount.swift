extension JSON {
    /// The most JSON values (objects, arrays, members, elements) a non-streamed body may hold.
    /// `JSONSerialization` allocates per value, many times the value's bytes, so a body of
    /// `[0,0,...]` well within `max_response_bytes` could still take hundreds of megabytes.
    static let maxValues = 1_000_000

    /// Whether `bytes` holds at most `limit` values, counting the separators and openers
    /// outside strings (an upper bound on the values the parser would allocate, less one).
    static func fits(_ bytes: [UInt8], values limit: Int) -> Bool {
        var count = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "{"):
                count += 1
                if count > limit { return false }
            default: break
            }
        }
        return true
    }
}
