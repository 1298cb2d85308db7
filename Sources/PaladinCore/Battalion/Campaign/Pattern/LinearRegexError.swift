/// Why a pattern is not a `LinearRegex`: a syntax error, a construct the matcher refuses
/// (backreferences, lookaround, ...), or a limit passed. The message names the construct.
public struct LinearRegexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. "backreference \\1 is not supported".
    public var message: String
    /// Where, as a UTF-8 byte offset into the pattern.
    public var offset: Int

    /// An error at `offset` (UTF-8 bytes into the pattern).
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// "<message> at offset <n>".
    public var description: String { "\(message) at offset \(offset)" }
}
