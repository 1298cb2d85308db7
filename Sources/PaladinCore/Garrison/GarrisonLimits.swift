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
        guard !bytes.isEmpty, bytes.count <= maxLength, bytes.allSatisfy(isAllowed) else {
            throw .invalidSessionID(id)
        }
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
