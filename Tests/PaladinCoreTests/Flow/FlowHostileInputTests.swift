import PaladinCore
import Testing

@Suite("Flow hostile input")
struct FlowHostileInputTests {
    @Test func tenThousandNestedParenthesesAreRefusedAtTheLimit() {
        let source = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse(source) }
        #expect(error?.kind == .nestingTooDeep)
        #expect(error?.position == FlowSourcePosition(offset: 64, line: 1, column: 65))
        #expect(error?.message == "parentheses nested more than 64 levels deep")
    }

    @Test func deepNestingBetweenAgentsIsRefusedAtTheOffendingParenthesis() {
        let source = String(repeating: "(a -> ", count: 10_000)
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse(source) }
        #expect(error?.kind == .nestingTooDeep)
        #expect(error?.position == FlowSourcePosition(offset: 384, line: 1, column: 385))
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = FlowParser.maxNesting
        let source = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(try FlowParser.parse(source) == .agent("a"))
        let chain = String(repeating: "(a, ", count: depth) + "b" + String(repeating: ")", count: depth)
        #expect(try FlowParser.parse(chain).depth == depth + 1)
    }

    @Test func hundredThousandCharacterFlowsParse() throws {
        let sequence = String(repeating: "agent -> ", count: 11_111) + "end"  // 100,002 characters
        let flow = try FlowParser.parse(sequence)
        #expect(flow.agentCount == 11_112)
        #expect(flow.agentNames == ["agent", "end"])
        let parallel = String(repeating: "a, ", count: 33_333) + "b"
        #expect(try FlowParser.parse(parallel).width == 33_334)
        let name = String(repeating: "x", count: 100_000)
        #expect(try FlowParser.parse(name) == .agent(name))
        // Rendering and validating such a flow stays linear and bounded too.
        #expect(FlowRenderer.canonical(flow) == sequence)
        #expect(FlowRenderer.mermaid(flow).count < 2_000_000)
        #expect(FlowValidator().problems(in: flow, knownAgents: ["agent", "end"]) == [.tooManyAgents(count: 11_112, limit: 30)])
    }

    @Test func longInvalidInputFailsFastAtTheFirstError() {
        let operators = String(repeating: "->", count: 50_000)
        let error = #expect(throws: FlowParseError.self) { try FlowParser.parse(operators) }
        #expect(error?.kind == .unexpectedToken)
        #expect(error?.position == .start)
        let unclosed = "a -> (" + String(repeating: "b, ", count: 33_000) + "c"
        let unbalanced = #expect(throws: FlowParseError.self) { try FlowParser.parse(unclosed) }
        #expect(unbalanced?.kind == .unbalancedParentheses)
        #expect(unbalanced?.position == FlowSourcePosition(offset: 5, line: 1, column: 6))
        let longName = String(repeating: "y", count: 100_000)
        let repeated = #expect(throws: FlowParseError.self) { try FlowParser.parse(longName + " " + longName) }
        #expect(repeated?.message == "expected '->', ',' or end of input, found agent name '\(String(repeating: "y", count: 40))…'")
    }

    @Test func parsingTimeGrowsLinearly() throws {
        let clock = ContinuousClock()
        func time(_ copies: Int) throws -> Duration {
            let source = String(repeating: "a -> (b, c) -> ", count: copies) + "d"
            var best = Duration.seconds(1_000)
            for _ in 0..<3 {  // the fastest of three runs, to ignore scheduling noise
                best = min(best, try clock.measure { _ = try FlowParser.parse(source) })
            }
            return best
        }
        _ = try time(1_000)  // warm up
        let small = try time(4_000)
        let large = try time(16_000)
        // Linear growth is 4x; allow generous noise but catch quadratic (16x) behaviour.
        #expect(large < small * 10 + .milliseconds(50))
    }
}
