/// An `LLMProvider` that can sometimes answer without waiting (a scripted or cached answer).
/// The agent loop asks it first, when it neither streams nor retries, and makes the async
/// `complete` call only when it declines: a model call that needs no I/O then costs no
/// suspension. Optional: providers that always do I/O need not adopt it.
public protocol ImmediateLLMProvider: LLMProvider {
    /// The completion when it is available now, without suspending; nil otherwise, in which case
    /// nothing was consumed or recorded and `complete(_:)` answers the same request as usual.
    /// Throws what `complete(_:)` would throw for this request.
    func completeImmediately(_ request: CompletionRequest) throws -> Completion?
}
