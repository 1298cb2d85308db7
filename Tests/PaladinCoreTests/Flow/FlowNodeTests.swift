import PaladinCore
import Testing

@Suite("Flow node metrics")
struct FlowNodeTests {
    @Test(arguments: [
        // source, depth, width, agentCount
        ("a", 1, 1, 1),
        ("a -> b -> c", 2, 1, 3),
        ("a, b, c, d", 2, 4, 4),
        ("intake -> (security, performance, style) -> synthesis", 3, 3, 5),
        ("a -> (b -> (c, d), e) -> f", 5, 2, 6),
        ("draft -> review -> draft", 2, 1, 3),
    ])
    func metrics(source: String, depth: Int, width: Int, agentCount: Int) throws {
        let flow = try FlowParser.parse(source)
        #expect(flow.depth == depth)
        #expect(flow.width == width)
        #expect(flow.agentCount == agentCount)
    }

    @Test func agentNamesAreDistinctInOrderOfFirstAppearance() throws {
        let flow = try FlowParser.parse("draft -> (review, lint, draft) -> review -> publish")
        #expect(flow.agentNames == ["draft", "review", "lint", "publish"])
        #expect(flow.agentCount == 6)
    }

    @Test func emptyGroupsHaveNeutralMetrics() {
        #expect(FlowNode.sequence([]).depth == 1)
        #expect(FlowNode.parallel([]).width == 1)
        #expect(FlowNode.parallel([]).agentCount == 0)
    }
}
