/// A `GarrisonEntry` as `InMemoryGarrisonStore` holds it: the session id is the session's, the
/// narrow fields are packed (a ring slot is 48 bytes, not 80), and the token count may still be
/// owed: entries whose tokens no policy needs are counted when first asked for (decision 39).
struct StoredGarrisonEntry: Sendable {
    var id: UInt64
    var content: String
    var metadata: [String: String]
    var createdAtMicros: Int64
    /// `content`'s tokens; meaningful only when `counted`.
    private(set) var storedTokens: UInt32
    var role: Role
    var importance: UInt8
    private(set) var counted: Bool

    /// Stores `entry` with the store's id and time; `tokens` nil leaves the count owed.
    /// - Precondition: `entry` was validated (importance 0...100, token count in range).
    init(_ entry: GarrisonEntry, id: UInt64, at timestamp: Int64, tokens: Int?) {
        self.id = id
        content = entry.content
        metadata = entry.metadata
        createdAtMicros = timestamp
        storedTokens = UInt32(tokens ?? 0)
        role = entry.role
        importance = UInt8(entry.importance)
        counted = tokens != nil
    }

    /// The token count for `entry` on append: its own when positive (the provider's usage),
    /// else `counter`'s when `countNow`, else nil (owed).
    static func tokens(for entry: GarrisonEntry, counter: any TokenCounter, countNow: Bool) -> Int? {
        if entry.tokenCount > 0 { return entry.tokenCount }
        return countNow ? clampedCount(entry.content, counter) : nil
    }

    /// `counter`'s count of `text`, clamped to `0...GarrisonEntry.maxTokenCount`.
    static func clampedCount(_ text: String, _ counter: any TokenCounter) -> Int {
        min(max(counter.count(text), 0), GarrisonEntry.maxTokenCount)
    }

    var bytes: Int { content.utf8.count }

    /// The token count, counted now if it is owed (without remembering it).
    func tokenCount(_ counter: any TokenCounter) -> Int {
        counted ? Int(storedTokens) : Self.clampedCount(content, counter)
    }

    /// Counts the owed tokens and remembers them; returns the count.
    mutating func settleTokens(_ counter: any TokenCounter) -> Int {
        if !counted {
            storedTokens = UInt32(Self.clampedCount(content, counter))
            counted = true
        }
        return Int(storedTokens)
    }

    /// The public form, in session `sessionID`, with its tokens counted if they were owed.
    func entry(sessionID: String, counter: any TokenCounter) -> GarrisonEntry {
        GarrisonEntry(id: id, sessionID: sessionID, role: role, content: content,
                      tokenCount: tokenCount(counter), importance: Int(importance),
                      createdAtMicros: createdAtMicros, metadata: metadata)
    }
}
