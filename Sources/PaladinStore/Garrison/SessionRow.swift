import PaladinCore

/// A `sessions` row: the session's key, policy and running totals, as eviction needs them.
struct SessionRow: Sendable {
    var key: Int64
    /// Nil: the store's default policy.
    var ownPolicy: GarrisonPolicy?
    var createdAt: Int64
    var lastActivity: Int64
    /// Non-system entries stored, out-of-window ones included.
    var messageCount: Int
    var systemCount: Int
    /// Tokens of every stored entry.
    var tokenTotal: Int
    var bytes: Int

    static let columns = """
        key, policy_eviction, policy_max_entries, policy_max_tokens, policy_preserve_recent, \
        created_at, last_activity, message_count, system_count, token_total, bytes
        """

    /// Reads the row `sessions.<columns>` the statement is on, from column `first`.
    init(_ statement: SQLiteStatement, from first: Int32 = 0) {
        key = statement.int64(first)
        if let eviction = statement.optionalString(first + 1).flatMap(EvictionPolicy.init(rawValue:)) {
            ownPolicy = GarrisonPolicy(eviction: eviction, maxEntries: statement.int(first + 2),
                                       maxTokens: statement.optionalInt64(first + 3).map(Int.init),
                                       preserveRecent: statement.int(first + 4))
        }
        createdAt = statement.int64(first + 5)
        lastActivity = statement.int64(first + 6)
        messageCount = statement.int(first + 7)
        systemCount = statement.int(first + 8)
        tokenTotal = statement.int(first + 9)
        bytes = statement.int(first + 10)
    }

    /// Messages outside a sliding window (held, never shown) under `policy`.
    func hidden(under policy: GarrisonPolicy) -> Int {
        policy.eviction == .slidingWindow ? max(0, messageCount - max(0, policy.maxEntries)) : 0
    }
}

extension SessionRow {
    /// A session just created: empty, following the store's default policy.
    init(newKey key: Int64, at timestamp: Int64) {
        self.key = key
        ownPolicy = nil
        createdAt = timestamp
        lastActivity = timestamp
        messageCount = 0
        systemCount = 0
        tokenTotal = 0
        bytes = 0
    }
}
