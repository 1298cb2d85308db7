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
    /// - Throws: `StoreError.corruptRow` for a value no write produces.
    init(_ statement: SQLiteStatement, from first: Int32 = 0) throws {
        key = statement.int64(first)
        let check = StoredValue(table: "sessions", row: .session(key: key))
        if let name = statement.optionalString(first + 1) {
            ownPolicy = GarrisonPolicy(eviction: try check.value(EvictionPolicy.self, name, "policy_eviction"),
                                       maxEntries: try check.count(statement.int64(first + 2), "policy_max_entries"),
                                       maxTokens: try statement.optionalInt64(first + 3).map { try check.count($0, "policy_max_tokens") },
                                       preserveRecent: try check.count(statement.int64(first + 4), "policy_preserve_recent"))
        }
        createdAt = statement.int64(first + 5)
        lastActivity = statement.int64(first + 6)
        messageCount = try check.count(statement.int64(first + 7), "message_count")
        systemCount = try check.count(statement.int64(first + 8), "system_count")
        tokenTotal = try check.count(statement.int64(first + 9), "token_total")
        bytes = try check.count(statement.int64(first + 10), "bytes")
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
