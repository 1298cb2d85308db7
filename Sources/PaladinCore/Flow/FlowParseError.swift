/// Why Flow DSL source could not be parsed, and exactly where: the first problem in the source,
/// printable like a compiler diagnostic with the offending line and a caret under the column.
public struct FlowParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The category of a parse error, for callers that react to errors programmatically.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A token that cannot appear where it does, e.g. `a b` or `(, a)`.
        case unexpectedToken
        /// A `)` without a matching `(`, or a `(` that is never closed.
        case unbalancedParentheses
        /// No flow at all (empty or blank source), or empty parentheses `()`.
        case emptyExpression
        /// A character that no token starts with, e.g. `|`.
        case invalidCharacter
        /// Two operators in a row, e.g. `a -> -> b` or `a,,b`.
        case consecutiveOperators
        /// The source ends where a flow must follow, e.g. after `(`.
        case unexpectedEndOfInput
        /// An operator with nothing after it, e.g. `a ->` or `(a,)`.
        case trailingOperator
        /// Parentheses nested deeper than `FlowParser.maxNesting`, refused to bound recursion.
        case nestingTooDeep
    }

    /// What went wrong.
    public let kind: Kind
    /// Where it went wrong: the offending token, or the operator or `(` the problem belongs to.
    public let position: FlowSourcePosition
    /// A one-line explanation, e.g. `expected an agent name after '->', found ','`.
    public let message: String
    /// The source line containing `position`, shortened around it with `…` when long.
    public let sourceLine: String
    /// 1-based column of `position` within `sourceLine`.
    public let sourceLineColumn: Int

    /// Creates an error, keeping only the line of `source` that contains `position`.
    public init(kind: Kind, position: FlowSourcePosition, message: String, source: String) {
        self.kind = kind
        self.position = position
        self.message = message
        (sourceLine, sourceLineColumn) = Self.excerpt(of: source, around: position)
    }

    /// A compiler-style diagnostic: `flow:LINE:COLUMN: error: MESSAGE`, the line, and a caret.
    public var description: String {
        let pad = sourceLine.prefix(sourceLineColumn - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        return "flow:\(position.line):\(position.column): error: \(message)\n\(sourceLine)\n\(pad)^"
    }

    /// Characters of context shown around the column on long lines.
    static let excerptWidth = 80

    /// The line of `source` holding `position`, windowed to `excerptWidth` characters around it.
    private static func excerpt(of source: String, around position: FlowSourcePosition) -> (String, Int) {
        var line = 1
        var characters: [Character] = []
        for character in source {
            if character.isNewline {
                if line == position.line { break }
                line += 1
            } else if line == position.line {
                characters.append(character)
            }
        }
        guard characters.count > excerptWidth else { return (String(characters), position.column) }
        let start = max(0, min(position.column - 1 - excerptWidth / 2, characters.count - excerptWidth))
        let end = start + excerptWidth
        let head = start > 0 ? "…" : ""
        let tail = end < characters.count ? "…" : ""
        return (head + String(characters[start..<end]) + tail, position.column - start + head.count)
    }
}
