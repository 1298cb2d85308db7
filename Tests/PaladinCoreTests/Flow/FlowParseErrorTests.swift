import PaladinCore
import Testing

@Suite("Flow parse errors")
struct FlowParseErrorTests {
    /// One bad flow and the error it must produce.
    struct Case: Sendable, CustomStringConvertible {
        var source: String
        var kind: FlowParseError.Kind
        var offset: Int
        var column: Int
        var message: String
        var description: String { source.debugDescription }
    }

    static let cases: [Case] = [
        Case(source: "a -> -> b", kind: .consecutiveOperators, offset: 5, column: 6,
             message: "expected an agent name after '->', found '->'"),
        Case(source: "a,,b", kind: .consecutiveOperators, offset: 2, column: 3,
             message: "expected an agent name after ',', found ','"),
        Case(source: "a -> , b", kind: .consecutiveOperators, offset: 5, column: 6,
             message: "expected an agent name after '->', found ','"),
        Case(source: "a -> (b, c", kind: .unbalancedParentheses, offset: 5, column: 6,
             message: "'(' is never closed; expected ')'"),
        Case(source: "a -> b)", kind: .unbalancedParentheses, offset: 6, column: 7, message: "unmatched ')'"),
        Case(source: ") a", kind: .unbalancedParentheses, offset: 0, column: 1, message: "unmatched ')'"),
        Case(source: "a ->", kind: .trailingOperator, offset: 2, column: 3,
             message: "expected an agent name after '->', found end of input"),
        Case(source: "(a,)", kind: .trailingOperator, offset: 2, column: 3,
             message: "expected an agent name after ',', found ')'"),
        Case(source: "", kind: .emptyExpression, offset: 0, column: 1,
             message: "empty flow; expected at least one agent name"),
        Case(source: "   ", kind: .emptyExpression, offset: 3, column: 4,
             message: "empty flow; expected at least one agent name"),
        Case(source: "a -> ()", kind: .emptyExpression, offset: 5, column: 6,
             message: "empty parentheses; expected a flow inside '( )'"),
        Case(source: "a | b", kind: .invalidCharacter, offset: 2, column: 3,
             message: "invalid character '|'; use '->' for steps in sequence and ',' for parallel branches"),
        Case(source: "a - b", kind: .invalidCharacter, offset: 2, column: 3, message: "unexpected '-'; did you mean '->'?"),
        Case(source: "_a", kind: .invalidCharacter, offset: 0, column: 1,
             message: "agent names must start with a letter or digit, not '_'"),
        Case(source: "a -> 🚀", kind: .invalidCharacter, offset: 5, column: 6, message: "invalid character '🚀'"),
        Case(source: "a\u{7}", kind: .invalidCharacter, offset: 1, column: 2, message: "invalid character U+0007"),
        Case(source: "(, a)", kind: .unexpectedToken, offset: 1, column: 2,
             message: "expected an agent name after '(', found ','"),
        Case(source: "-> a", kind: .unexpectedToken, offset: 0, column: 1,
             message: "expected an agent name at the start of the flow, found '->'"),
        Case(source: "a b", kind: .unexpectedToken, offset: 2, column: 3,
             message: "expected '->', ',' or end of input, found agent name 'b'"),
        Case(source: "(a b)", kind: .unexpectedToken, offset: 3, column: 4,
             message: "expected '->', ',' or ')', found agent name 'b'"),
        Case(source: "a (b)", kind: .unexpectedToken, offset: 2, column: 3,
             message: "expected '->', ',' or end of input, found '('"),
        Case(source: "a -> (", kind: .unexpectedEndOfInput, offset: 6, column: 7,
             message: "expected an agent name after '(', found end of input"),
        // Positions count UTF-8 bytes for the offset and characters for the column.
        Case(source: "検査 -> | x", kind: .invalidCharacter, offset: 10, column: 7,
             message: "invalid character '|'; use '->' for steps in sequence and ',' for parallel branches"),
        Case(source: "e\u{301} -> b ->", kind: .trailingOperator, offset: 9, column: 8,
             message: "expected an agent name after '->', found end of input"),
        // The first error wins, even when a later character is invalid too.
        Case(source: "a -> -> | b", kind: .consecutiveOperators, offset: 5, column: 6,
             message: "expected an agent name after '->', found '->'"),
    ]

    @Test(arguments: cases)
    func reportsKindPositionAndMessage(_ expected: Case) {
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse(expected.source) }
        #expect(error?.kind == expected.kind)
        #expect(error?.position == FlowSourcePosition(offset: expected.offset, line: 1, column: expected.column))
        #expect(error?.message == expected.message)
    }

    @Test func everyKindIsReachable() {
        let covered = Set(Self.cases.map(\.kind)).union([.nestingTooDeep])  // see FlowHostileInputTests
        #expect(covered == Set(FlowParseError.Kind.allCases))
    }

    @Test func multiLineSourceReportsLineAndColumn() {
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse("a ->\n  b ->\n") }
        #expect(error?.kind == .trailingOperator)
        #expect(error?.position == FlowSourcePosition(offset: 9, line: 2, column: 5))
        #expect(error?.description == """
            flow:2:5: error: expected an agent name after '->', found end of input
              b ->
                ^
            """)
    }

    @Test func descriptionRendersLikeACompiler() {
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse("a -> b ->") }
        #expect(error?.description == """
            flow:1:8: error: expected an agent name after '->', found end of input
            a -> b ->
                   ^
            """)
    }

    @Test func caretKeepsTabsAndCountsCharacters() {
        let tabbed = #expect(throws: FlowParseError.self) { try FlowParser.parse("a\t-> -> b") }
        #expect(lastLine(of: tabbed) == " \t   ^")
        let wide = #expect(throws: FlowParseError.self) { try FlowParser.parse("検査 -> | x") }
        #expect(lastLine(of: wide) == "      ^")
    }

    @Test func emptySourceDescription() {
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse("") }
        #expect(error?.description == "flow:1:1: error: empty flow; expected at least one agent name\n\n^")
    }

    @Test func longLinesAreShownAsAnExcerptAroundTheColumn() {
        let source = String(repeating: "a -> ", count: 1_000) + "|" + String(repeating: " -> b", count: 1_000)
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse(source) }
        #expect(error?.position == FlowSourcePosition(offset: 5_000, line: 1, column: 5_001))
        #expect(error?.sourceLine.count == 82)  // "…" + 80 characters + "…"
        #expect(error?.sourceLine.first == "…")
        #expect(error?.sourceLine.last == "…")
        #expect(error?.sourceLineColumn == 42)
        #expect(lastLine(of: error) == String(repeating: " ", count: 41) + "^")
        #expect(error.map { Array($0.sourceLine)[$0.sourceLineColumn - 1] } == "|")
    }

    /// The caret line of an error's description.
    private func lastLine(of error: FlowParseError?) -> String? {
        error?.description.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init)
    }
}
