import PaladinCore

/// The bytes one completion may hold, charged as an accumulator or a decoder takes text in:
/// content, tool-call ids, names and arguments, and a fixed overhead per tool call (so a
/// stream of empty calls cannot grow without text). Past the limit is `responseTooLarge`.
struct CompletionBudget: Sendable {
    /// Charged per tool call besides its text: its entry in the accumulator.
    static let perCall = 64

    let limits: ResponseLimits
    private(set) var used = 0

    init(_ limits: ResponseLimits) { self.limits = limits }

    mutating func charge(_ bytes: Int) throws(ProviderError) {
        used += bytes
        if used > limits.maxCompletionBytes { throw limits.completionTooLarge }
    }

    mutating func charge(_ text: String?) throws(ProviderError) {
        if let text { try charge(text.utf8.count) }
    }

    /// Charges a whole decoded completion (the non-streamed path).
    mutating func charge(_ completion: Completion) throws(ProviderError) {
        try charge(completion.text)
        for call in completion.toolCalls {
            try charge(Self.perCall + call.id.utf8.count + call.name.utf8.count + call.arguments.utf8.count)
        }
    }
}
