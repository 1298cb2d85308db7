/// Counts the tokens of an entry's content when the provider did not report them.
///
/// A store calls it on append, once for every entry whose `tokenCount` is 0 or less; an entry
/// that arrives with `tokenCount > 0` keeps that count (the provider's reported usage wins over
/// any local count). Results are clamped to `0...GarrisonEntry.maxTokenCount`.
/// Implementations must be thread-safe and deterministic: stores call them from any thread.
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
