/// One lexical unit of Flow DSL source with where it starts, so every parse error can point at
/// the exact character that caused it.
struct FlowToken: Sendable, Hashable {
    /// What a token is.
    enum Kind: Sendable, Hashable {
        /// An agent name: letters, digits, `_` and `-`, starting with a letter or digit.
        case identifier(String)
        /// `->`, the sequence operator.
        case arrow
        /// `,`, the parallel operator.
        case comma
        /// `(`.
        case leftParen
        /// `)`.
        case rightParen
        /// The end of the source.
        case end
    }

    /// The token itself.
    var kind: Kind
    /// Where its first character is.
    var position: FlowSourcePosition

    /// The token as error messages quote it: `'->'`, `agent name 'x'`, `end of input`.
    var quoted: String {
        switch kind {
        case .identifier(let name):
            "agent name '\(name.count > 40 ? name.prefix(40) + "…" : name)'"
        case .arrow: "'->'"
        case .comma: "','"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .end: "end of input"
        }
    }

    /// Whether this is one of the binary operators `->` and `,`.
    var isOperator: Bool {
        kind == .arrow || kind == .comma
    }
}
