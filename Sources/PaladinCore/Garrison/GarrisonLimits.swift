/// Bounds that keep a garrison's memory finite whatever clients send: the global safety net
/// (sessions, total bytes, entries per append). How each session forgets is its
/// `GarrisonPolicy`, applied on every append.
public struct GarrisonLimits: Sendable, Hashable {
    /// Entries one session holds, system entries included, whatever its policy
    /// (`garrison.max_entries_per_session`): beyond it the oldest non-system entries are evicted,
    /// and an append that would leave no room for them (a session full of system entries, which
    /// are never evicted) is refused. It is also the default policy's cap: unless a store is
    /// given another `defaultPolicy`, sessions are FIFO at this many non-system entries.
    /// Default 10,000.
    public var maxEntriesPerSession: Int = 10_000
    /// Sessions the store holds; appends that would create more are refused. Default 100,000.
    public var maxSessions: Int = 100_000
    /// Bytes the whole store holds (`GarrisonEntry.storedBytes`: content and metadata); appends
    /// beyond it are refused. Default 256 MiB.
    public var maxTotalBytes: Int = 256 * 1024 * 1024
    /// Entries per append call. Default 1,000.
    public var maxEntriesPerAppend: Int = 1_000

    public init() {}

    /// Refuses an append of `incomingSystem` system and `incomingMessages` other entries to a
    /// session holding `heldSystem` system entries when the system entries alone would fill
    /// `maxEntriesPerSession` with messages still to place: system entries are never evicted, so
    /// nothing could make room. Both stores call it before writing.
    /// - Throws: `GarrisonError.capacityExceeded` naming the limit.
    public func checkSystemEntries(held heldSystem: Int, incomingSystem: Int, incomingMessages: Int,
                                   sessionID: String) throws(GarrisonError) {
        let system = heldSystem + incomingSystem
        guard system > maxEntriesPerSession || (system == maxEntriesPerSession && incomingMessages > 0) else { return }
        throw .capacityExceeded("session \"\(sessionID)\" would hold \(system) system entries and no room for others; "
                                + "system entries are never evicted and a session holds at most \(maxEntriesPerSession) "
                                + "entries (garrison.max_entries_per_session)")
    }
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
