import PaladinCore
import Testing

@Suite("Flow canonical form")
struct FlowCanonicalTests {
    @Test(arguments: [
        ("a", "a"),
        ("a->b", "a -> b"),
        ("a -> (b, c) -> d", "a -> b, c -> d"),
        ("a -> b, c -> d", "a -> b, c -> d"),
        ("(a -> b), c", "(a -> b), c"),
        ("(a -> b) -> c", "(a -> b) -> c"),
        ("a -> (b -> c)", "a -> (b -> c)"),
        ("(a, b), c", "(a, b), c"),
        ("a, (b, c)", "a, (b, c)"),
        ("((a, b)) -> c", "a, b -> c"),
        ("((a))", "a"),
        ("a -> (b -> (c, d), e) -> f", "a -> (b -> (c, d), e) -> f"),
        ("a -> ((b -> (c, d)), e) -> f", "a -> (b -> c, d), e -> f"),
        ("intake -> (security, performance, style) -> synthesis", "intake -> security, performance, style -> synthesis"),
        ("code-review -> (検査 , e\u{301}tape)", "code-review -> 検査, e\u{301}tape"),
    ])
    func printsMinimalDSLThatParsesBack(source: String, canonical: String) throws {
        let flow = try FlowParser.parse(source)
        #expect(FlowRenderer.canonical(flow) == canonical)
        #expect(try FlowParser.parse(canonical) == flow)
    }

    @Test func randomTreesRoundTrip() throws {
        var generator = SplitMix64(seed: 0x5EED_F10)
        for _ in 0..<500 {
            let tree = randomFlow(depth: 5, using: &generator)
            let text = FlowRenderer.canonical(tree)
            #expect(try FlowParser.parse(text) == tree, "\(text)")
        }
    }

    @Test func handBuiltOneChildGroupsPrintAsTheirChild() {
        #expect(FlowRenderer.canonical(.sequence([.agent("a")])) == "a")
        let flow = FlowNode.sequence([.agent("a"), .parallel([.sequence([.agent("b"), .agent("c")])])])
        #expect(FlowRenderer.canonical(flow) == "a -> (b -> c)")
        #expect(FlowRenderer.canonical(.parallel([])) == "()")
    }

    /// A tree the parser could produce: every group has 2-4 children.
    private func randomFlow(depth: Int, using generator: inout SplitMix64) -> FlowNode {
        let names = ["a", "b", "intake", "code-review", "2nd_pass", "検査", "análisis", "x-1"]
        if depth == 1 || generator.next() % 10 < 3 {
            return .agent(names[Int(generator.next() % UInt64(names.count))])
        }
        let children = (0..<(2 + Int(generator.next() % 3))).map { _ in randomFlow(depth: depth - 1, using: &generator) }
        return generator.next() % 2 == 0 ? .sequence(children) : .parallel(children)
    }

    private typealias SplitMix64 = SeededRandom
}
