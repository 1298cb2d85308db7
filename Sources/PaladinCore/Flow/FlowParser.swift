/// Parses Flow DSL source into a `FlowNode` tree, reporting the first error with its exact
/// position. Recursive descent with one token of lookahead: linear time, and recursion bounded by
/// `maxNesting`, so hostile input cannot exhaust the stack.
///
/// Grammar (`,` binds tighter than `->`; a rule with one child collapses to that child):
/// ```
/// flow     := sequence
/// sequence := parallel { "->" parallel }
/// parallel := primary  { ","  primary }
/// primary  := IDENT | "(" flow ")"
/// ```
/// So `a -> b, c -> d` is `a -> (b, c) -> d`.
public enum FlowParser {
    /// The deepest parenthesis nesting accepted; deeper input fails with `.nestingTooDeep`.
    public static let maxNesting = 64

    /// Parses a whole flow, e.g. `intake -> (security, performance, style) -> synthesis`.
    /// - Throws: `FlowParseError` for the first problem in the source.
    public static func parse(_ source: String) throws(FlowParseError) -> FlowNode {
        var parser = try Parser(source)
        try parser.expectOperand(after: nil)
        let flow = try parser.sequence()
        switch parser.current.kind {
        case .end:
            return flow
        case .rightParen:
            throw parser.error(.unbalancedParentheses, at: parser.current, "unmatched ')'")
        default:
            throw parser.error(.unexpectedToken, at: parser.current,
                               "expected '->', ',' or end of input, found \(parser.current.quoted)")
        }
    }
}

/// The parser's state: the lexer, the current token and how deep in parentheses it is.
private struct Parser {
    private let source: String
    private var lexer: FlowLexer
    private(set) var current: FlowToken
    private var nesting = 0

    init(_ source: String) throws(FlowParseError) {
        self.source = source
        lexer = FlowLexer(source)
        current = try lexer.next()
    }

    /// `sequence := parallel { "->" parallel }`
    mutating func sequence() throws(FlowParseError) -> FlowNode {
        var steps = [try parallel()]
        while current.kind == .arrow {
            let arrow = current
            try advance()
            try expectOperand(after: arrow)
            steps.append(try parallel())
        }
        return steps.count == 1 ? steps[0] : .sequence(steps)
    }

    /// `parallel := primary { "," primary }`
    private mutating func parallel() throws(FlowParseError) -> FlowNode {
        var branches = [try primary()]
        while current.kind == .comma {
            let comma = current
            try advance()
            try expectOperand(after: comma)
            branches.append(try primary())
        }
        return branches.count == 1 ? branches[0] : .parallel(branches)
    }

    /// `primary := IDENT | "(" flow ")"`; callers have checked, via `expectOperand`, that the
    /// current token is an identifier or `(`.
    private mutating func primary() throws(FlowParseError) -> FlowNode {
        if case .identifier(let name) = current.kind {
            try advance()
            return .agent(name)
        }
        let open = current
        guard nesting < FlowParser.maxNesting else {
            throw error(.nestingTooDeep, at: open,
                        "parentheses nested more than \(FlowParser.maxNesting) levels deep")
        }
        nesting += 1
        try advance()
        try expectOperand(after: open)
        let inner = try sequence()
        switch current.kind {
        case .rightParen:
            nesting -= 1
            try advance()
            return inner
        case .end:
            throw error(.unbalancedParentheses, at: open, "'(' is never closed; expected ')'")
        default:
            throw error(.unexpectedToken, at: current, "expected '->', ',' or ')', found \(current.quoted)")
        }
    }

    /// Checks that the current token can start an operand (an agent name or `(`), given what
    /// precedes it: nothing (start of input), an operator, or `(`.
    mutating func expectOperand(after previous: FlowToken?) throws(FlowParseError) {
        switch current.kind {
        case .identifier, .leftParen:
            return
        case .arrow, .comma:
            if let previous, previous.isOperator {
                throw error(.consecutiveOperators, at: current,
                            "expected an agent name after \(previous.quoted), found \(current.quoted)")
            }
            let place = previous == nil ? "at the start of the flow" : "after '('"
            throw error(.unexpectedToken, at: current, "expected an agent name \(place), found \(current.quoted)")
        case .rightParen, .end:
            if let previous, previous.isOperator {
                throw error(.trailingOperator, at: previous,
                            "expected an agent name after \(previous.quoted), found \(current.quoted)")
            }
            if let previous {  // just after "("
                if current.kind == .rightParen {
                    throw error(.emptyExpression, at: previous, "empty parentheses; expected a flow inside '( )'")
                }
                throw error(.unexpectedEndOfInput, at: current, "expected an agent name after '(', found end of input")
            }
            if current.kind == .rightParen {
                throw error(.unbalancedParentheses, at: current, "unmatched ')'")
            }
            throw error(.emptyExpression, at: current, "empty flow; expected at least one agent name")
        }
    }

    private mutating func advance() throws(FlowParseError) {
        current = try lexer.next()
    }

    func error(_ kind: FlowParseError.Kind, at token: FlowToken, _ message: String) -> FlowParseError {
        FlowParseError(kind: kind, position: token.position, message: message, source: source)
    }
}
