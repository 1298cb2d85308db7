/// How a session forgets. Every policy keeps system entries: they are never evicted and never
/// count toward `GarrisonPolicy.maxEntries` (they do count toward `maxTokens`). On top of the
/// policy, a store holds at most `GarrisonLimits.maxEntriesPerSession` entries per session,
/// system entries included, evicting the oldest non-system entries beyond it.
///
/// The four policies, for a session whose non-system entries are `m₁ … mₙ` (oldest first):
///
/// - `fifo`: after each append, while `n > maxEntries`, drop the oldest non-system entry. The
///   store holds exactly what reads see; `AppendOutcome.evicted` is the overflow of that append.
/// - `slidingWindow`: reads (history, search, session summaries, the counts `clear` and
///   `deleteSession` return) see only the window, the newest `maxEntries` non-system entries, plus
///   every system entry. Writes evict lazily, in one batch: nothing is evicted until `n` exceeds
///   `2 × maxEntries`, then the session is cut back to the window, so `AppendOutcome.evicted` is
///   0 on most appends and `n - maxEntries` (usually `maxEntries + 1`) on one. What the client
///   sees is the same as FIFO; what the store pays differs: amortized O(1) eviction work per
///   append, at the price of up to `maxEntries` out-of-window entries still held in memory (and
///   counted against `GarrisonLimits.maxTotalBytes`). Out-of-window entries are never returned.
/// - `tokenBudget`: first `maxEntries` caps the count as for FIFO; then, while the tokens of the
///   whole session (system entries included) exceed `maxTokens`, drop the oldest non-system entry.
///   When only system entries remain the loop stops, even if they alone exceed the budget; an
///   append's own entries can be evicted if they are the oldest left. With `maxTokens == nil` it
///   is FIFO.
/// - `importance`: while `n > maxEntries`, or (when `maxTokens` is set) the session's tokens
///   exceed `maxTokens`, drop one non-system entry: the lowest-`importance` one among those
///   outside the newest `preserveRecent` (the oldest of them on a tie); if every non-system entry
///   is inside that recent window, the oldest non-system entry. Each eviction scans the
///   candidates, so it costs O(session size).
public enum EvictionPolicy: String, Sendable, Hashable, CaseIterable {
    case fifo
    case slidingWindow
    case tokenBudget
    case importance
}

/// A session's eviction policy; see `EvictionPolicy` for the exact semantics of each kind.
///
/// Negative numbers are read as 0 by `GarrisonEviction`; `validate()` and
/// `InMemoryGarrisonStore.setPolicy` refuse them.
public struct GarrisonPolicy: Sendable, Hashable {
    public var eviction: EvictionPolicy
    /// Non-system entries kept (the window, for `slidingWindow`). Default 100.
    public var maxEntries: Int
    /// Token budget of the session, system entries included. Enforced by `tokenBudget` and
    /// `importance`; `fifo` and `slidingWindow` ignore it. Default nil (no budget).
    public var maxTokens: Int?
    /// `importance` only: the newest non-system entries that are evicted only when nothing older
    /// is left. Default 10.
    public var preserveRecent: Int

    public init(eviction: EvictionPolicy = .fifo, maxEntries: Int = 100, maxTokens: Int? = nil, preserveRecent: Int = 10) {
        self.eviction = eviction
        self.maxEntries = maxEntries
        self.maxTokens = maxTokens
        self.preserveRecent = preserveRecent
    }

    /// - Throws: `GarrisonError.invalidArgument` naming the first negative field
    ///   (`policy.maxEntries`, `policy.maxTokens` or `policy.preserveRecent`).
    public func validate() throws(GarrisonError) {
        if maxEntries < 0 { throw .invalidArgument(field: "policy.maxEntries", reason: "must be 0 or more") }
        if let maxTokens, maxTokens < 0 { throw .invalidArgument(field: "policy.maxTokens", reason: "must be 0 or more") }
        if preserveRecent < 0 { throw .invalidArgument(field: "policy.preserveRecent", reason: "must be 0 or more") }
    }

    /// Non-system entries visible to reads: `maxEntries` for `slidingWindow`, unbounded otherwise.
    var readWindow: Int {
        eviction == .slidingWindow ? max(0, maxEntries) : Int.max
    }

    /// The most non-system entries a session keeps before eviction removes any: `maxEntries`,
    /// or twice it for a sliding window (which evicts in batches down to `maxEntries`).
    var entryHighWater: Int {
        let cap = max(0, maxEntries)
        guard eviction == .slidingWindow else { return cap }
        let (doubled, overflow) = cap.multipliedReportingOverflow(by: 2)
        return overflow ? Int.max : doubled
    }
}
