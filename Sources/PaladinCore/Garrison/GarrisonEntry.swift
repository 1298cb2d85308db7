/// Who wrote a garrison entry.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case system, user, assistant, tool
}

/// One stored message of a conversation.
public struct GarrisonEntry: Sendable, Hashable {
    /// Store-assigned, increasing across the whole store.
    public var id: UInt64
    public var sessionID: String
    public var role: Role
    public var content: String
    /// Tokens of `content`. On append, a count above 0 is kept (the provider's reported usage
    /// wins); 0 or less is replaced by the store's `TokenCounter` (by default `TokenEstimator`).
    /// At most `GarrisonEntry.maxTokenCount`.
    public var tokenCount: Int
    /// 0 (lowest) to 100 (highest); importance eviction drops low values first.
    public var importance: Int
    /// Microseconds since the Unix epoch.
    public var createdAtMicros: Int64
    public var metadata: [String: String]

    public init(id: UInt64 = 0, sessionID: String, role: Role, content: String, tokenCount: Int = 0,
                importance: Int = 0, createdAtMicros: Int64 = 0, metadata: [String: String] = [:]) {
        self.id = id
        self.sessionID = sessionID
        self.role = role
        self.content = content
        self.tokenCount = tokenCount
        self.importance = importance
        self.createdAtMicros = createdAtMicros
        self.metadata = metadata
    }

    /// Largest `tokenCount` a store accepts (the wire's `uint32` maximum).
    public static let maxTokenCount = Int(UInt32.max)

    /// Bytes the entry counts against `GarrisonLimits.maxTotalBytes`: its content and every
    /// metadata key and value, in UTF-8. Metadata counts so that an entry cannot hold data the
    /// byte limit does not see. Also a lower bound of the entry's encoded size, which paged
    /// reads use to stop reading once a response frame is full.
    public var storedBytes: Int {
        metadata.reduce(content.utf8.count) { $0 + $1.key.utf8.count + $1.value.utf8.count }
    }
}

/// A session as listed by `GarrisonStore.sessions`.
public struct SessionSummary: Sendable, Hashable {
    public var sessionID: String
    public var entryCount: Int
    public var tokenCount: Int
    public var createdAtMicros: Int64
    public var lastActivityMicros: Int64

    public init(sessionID: String, entryCount: Int, tokenCount: Int, createdAtMicros: Int64, lastActivityMicros: Int64) {
        self.sessionID = sessionID
        self.entryCount = entryCount
        self.tokenCount = tokenCount
        self.createdAtMicros = createdAtMicros
        self.lastActivityMicros = lastActivityMicros
    }
}

/// What an append did.
public struct AppendOutcome: Sendable, Hashable {
    /// Ids of the appended entries, in order.
    public var ids: [UInt64]
    /// Entries the session's `GarrisonPolicy` removed from memory after this append; they may
    /// include entries of this very append. A sliding window reports its batch evictions here
    /// (0 on most appends), not the entries that merely slid out of view.
    public var evicted: Int

    public init(ids: [UInt64], evicted: Int) {
        self.ids = ids
        self.evicted = evicted
    }

    /// An outcome whose ids are the consecutive `firstID ..< firstID + count`.
    public init(firstID: UInt64, count: Int, evicted: Int) {
        precondition(count >= 0, "AppendOutcome count must not be negative")
        self.init(ids: Array(firstID..<(firstID + UInt64(count))), evicted: evicted)
    }

    /// How many entries were appended.
    public var count: Int { ids.count }
}
