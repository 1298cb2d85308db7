/// Counts the tokens of an entry's content when the provider did not report them.
///
/// `InMemoryGarrisonStore` calls it for every entry whose `tokenCount` is 0 or less: on append
/// when the session's policy reads tokens (a token budget), else when the count is first read
/// (`history` and `search` results, outside the lock; `sessions`, under it, remembered). An
/// entry that arrives with `tokenCount > 0` keeps that count (the provider's reported usage
/// wins over any local count). Results are clamped to `0...GarrisonEntry.maxTokenCount`.
/// Implementations must be thread-safe and deterministic: the store calls them from any thread,
/// and may count the same text more than once. They must not call into the store: `sessions`,
/// `setPolicy` to a token policy, and an append that races such a `setPolicy` count under the
/// store's lock (only what is owed, walking back from the newest entries).
public protocol TokenCounter: Sendable {
    /// Tokens of `text`; 0 for the empty string.
    func count(_ text: String) -> Int
}

/// The default `TokenCounter`: `TokenEstimator.estimate`, no tokenizer tables, no state.
public struct EstimatingTokenCounter: TokenCounter, Hashable {
    public init() {}

    public func count(_ text: String) -> Int {
        TokenEstimator.estimate(text)
    }
}
