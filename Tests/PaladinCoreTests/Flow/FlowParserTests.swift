@testable import PaladinCore
import Testing

@Suite("Flow parser")
struct FlowParserTests {
    @Test func singleAgent() throws {
        #expect(try FlowParser.parse("intake") == .agent("intake"))
        #expect(try FlowParser.parse("  intake\n") == .agent("intake"))
    }

    @Test func sequence() throws {
        #expect(try FlowParser.parse("a -> b -> c") == .seq(.agent("a"), .agent("b"), .agent("c")))
        #expect(try FlowParser.parse("a->b->c") == .seq(.agent("a"), .agent("b"), .agent("c")))
    }

    @Test func parallel() throws {
        #expect(try FlowParser.parse("a, b, c") == .par(.agent("a"), .agent("b"), .agent("c")))
        #expect(try FlowParser.parse("a,b") == .par(.agent("a"), .agent("b")))
    }

    @Test func theDocumentedExample() throws {
        let flow = try FlowParser.parse("intake -> (security, performance, style) -> synthesis")
        #expect(flow == .seq(.agent("intake"), .par(.agent("security"), .agent("performance"), .agent("style")),
                            .agent("synthesis")))
    }

    @Test func commaBindsTighterThanArrow() throws {
        let unparenthesized = try FlowParser.parse("a -> b, c -> d")
        #expect(unparenthesized == (try FlowParser.parse("a -> (b, c) -> d")))
        #expect(unparenthesized == .seq(.agent("a"), .par(.agent("b"), .agent("c")), .agent("d")))
        #expect(try FlowParser.parse("a, b -> c, d") == .seq(.par(.agent("a"), .agent("b")), .par(.agent("c"), .agent("d"))))
    }

    /// The reference crate parses nested groups but its runtime rejects any parallel branch that
    /// is not an agent or a sequence of plain agents. Here nesting is ordinary data.
    @Test("nested groups like `a -> (b -> (c, d), e) -> f` parse into the right tree (the reference runtime rejects them)")
    func nestedGroupsThatTheReferenceRejectsAtRunTime() throws {
        // Because ',' binds tighter than '->', inside the group `b -> (c, d), e` is
        // `b -> ((c, d), e)`: a sequence whose second step is a parallel group with a nested group.
        #expect(try FlowParser.parse("a -> (b -> (c, d), e) -> f")
            == .seq(.agent("a"), .seq(.agent("b"), .par(.par(.agent("c"), .agent("d")), .agent("e"))), .agent("f")))
        // The branch `b -> (c, d)` beside `e` needs its own parentheses (or none at all, by precedence).
        let branchBesideE = FlowNode.seq(.agent("a"), .par(.seq(.agent("b"), .par(.agent("c"), .agent("d"))), .agent("e")), .agent("f"))
        #expect(try FlowParser.parse("a -> ((b -> (c, d)), e) -> f") == branchBesideE)
        #expect(try FlowParser.parse("a -> (b -> c, d), e -> f") == branchBesideE)
        #expect(try FlowParser.parse("(a, (b, c))") == .par(.agent("a"), .par(.agent("b"), .agent("c"))))
        #expect(try FlowParser.parse("((a -> b), c) -> d") == .seq(.par(.seq(.agent("a"), .agent("b")), .agent("c")), .agent("d")))
    }

    @Test func singleChildRulesCollapse() throws {
        #expect(try FlowParser.parse("(a)") == .agent("a"))
        #expect(try FlowParser.parse("(((a)))") == .agent("a"))
        #expect(try FlowParser.parse("((a -> b))") == .seq(.agent("a"), .agent("b")))
        #expect(try FlowParser.parse("a -> (b) -> (c)") == .seq(.agent("a"), .agent("b"), .agent("c")))
    }

    @Test func explicitSameKindGroupsAreKeptAsWritten() throws {
        #expect(try FlowParser.parse("(a -> b) -> c") == .seq(.seq(.agent("a"), .agent("b")), .agent("c")))
        #expect(try FlowParser.parse("(a, b), c") == .par(.par(.agent("a"), .agent("b")), .agent("c")))
    }

    @Test func unicodeNames() throws {
        let flow = try FlowParser.parse("análisis -> (検査, проверка) -> مراجعة -> e\u{301}tape -> 2nd_pass")
        #expect(flow.agentNames == ["análisis", "検査", "проверка", "مراجعة", "e\u{301}tape", "2nd_pass"])
        #expect(flow == .seq(.agent("análisis"), .par(.agent("検査"), .agent("проверка")), .agent("مراجعة"),
                            .agent("e\u{301}tape"), .agent("2nd_pass")))
    }

    @Test func hyphensInsideNamesAndArrowsBetweenThem() throws {
        #expect(try FlowParser.parse("code-review -> x") == .seq(.agent("code-review"), .agent("x")))
        #expect(try FlowParser.parse("a->b") == .seq(.agent("a"), .agent("b")))
        #expect(try FlowParser.parse("code-review->fix-up") == .seq(.agent("code-review"), .agent("fix-up")))
        #expect(try FlowParser.parse("a-->b") == .seq(.agent("a-"), .agent("b")))
        #expect(try FlowLexer.kinds(of: "a->b") == [.identifier("a"), .arrow, .identifier("b")])
        #expect(try FlowLexer.kinds(of: "x-y,(z)") == [.identifier("x-y"), .comma, .leftParen, .identifier("z"), .rightParen])
    }

    @Test func whitespaceAndNewlinesAreIgnored() throws {
        #expect(try FlowParser.parse("\ta\n  ->\r\n ( b ,\tc )  ") == .seq(.agent("a"), .par(.agent("b"), .agent("c"))))
    }

    @Test func nodeInitializerAndDescription() throws {
        let flow = try FlowNode(parsing: "a -> (b, c) -> d")
        #expect(flow.description == "a -> b, c -> d")
    }
}
