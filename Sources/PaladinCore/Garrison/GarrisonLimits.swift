/// Bounds that keep a garrison's memory finite whatever clients send: the global safety net
/// (sessions, total bytes, entries per append). How each session forgets is its
/// `GarrisonPolicy`, applied on every append.
public struct GarrisonLimits: Sendable, Hashable {
    /// The default policy's cap: unless a store is given another `defaultPolicy`, sessions are
    /// FIFO at this many non-system entries, the oldest going first. Default 10,000.
    public var maxEntriesPerSession: Int = 10_000
    /// Sessions the store holds; appends that would create more are refused. Default 100,000.
    public var maxSessions: Int = 100_000
    /// Bytes of content the whole store holds; appends beyond it are refused. Default 256 MiB.
    public var maxTotalBytes: Int = 256 * 1024 * 1024
    /// Entries per append call. Default 1,000.
    public var maxEntriesPerAppend: Int = 1_000

    public init() {}
}

/// Checks session ids the same way for every store.
public enum SessionID {
    /// Longest session id, bytes.
    public static let maxLength = 128

    /// - Throws: `GarrisonError.invalidSessionID` unless 1-128 bytes of `[A-Za-z0-9._:-]`.
    public static func validate(_ id: String) throws(GarrisonError) {
        let bytes = id.utf8
        // Contiguous (native) strings are checked with a plain loop over their bytes; the
        // generic `allSatisfy` over `String.UTF8View` costs several times more per byte (and a
        // plain `for` over the view, or `withUTF8` on a copy, cost more too: measured).
        let valid = bytes.withContiguousStorageIfAvailable { buffer in
            !buffer.isEmpty && buffer.count <= maxLength && allAllowed(buffer)
        } ?? (!bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy(isAllowed))
        guard valid else { throw .invalidSessionID(id) }
    }

    private static func allAllowed(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in buffer where !isAllowed(byte) { return false }
        return true
    }

    /// `[A-Za-z0-9._:-]` as two bitmasks: bit `b` of the first for bytes below 64 (`-`, `.`,
    /// `0-9`, `:`), bit `b - 64` of the second for bytes 64-127 (`A-Z`, `_`, `a-z`).
    @inline(__always)
    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<64: (0x07FF_6000_0000_0000 as UInt64) >> UInt64(byte) & 1 != 0
        case 64..<128: (0x07FF_FFFE_87FF_FFFE as UInt64) >> UInt64(byte &- 64) & 1 != 0
        default: false
        }
    }
}
