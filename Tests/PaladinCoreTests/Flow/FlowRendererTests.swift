import PaladinCore
import Testing

@Suite("Flow renderer")
struct FlowRendererTests {
    @Test func asciiTree() throws {
        let flow = try FlowParser.parse("intake -> (security, performance, style) -> synthesis")
        #expect(FlowRenderer.ascii(flow) == """
            sequence
            ├─ intake
            ├─ parallel
            │  ├─ security
            │  ├─ performance
            │  └─ style
            └─ synthesis
            """)
    }

    @Test func asciiTreeOfNestedGroups() throws {
        let flow = try FlowParser.parse("a -> (b -> c, d), e -> f")
        #expect(FlowRenderer.ascii(flow) == """
            sequence
            ├─ a
            ├─ parallel
            │  ├─ sequence
            │  │  ├─ b
            │  │  └─ parallel
            │  │     ├─ c
            │  │     └─ d
            │  └─ e
            └─ f
            """)
        #expect(FlowRenderer.ascii(.agent("solo")) == "solo")
    }

    @Test func mermaidFansOutAndIn() throws {
        let flow = try FlowParser.parse("intake -> (security, performance, style) -> synthesis")
        #expect(FlowRenderer.mermaid(flow) == """
            flowchart LR
                n1["intake"]
                n2["security"]
                n3["performance"]
                n4["style"]
                n5["synthesis"]
                n1 --> n2 & n3 & n4
                n2 & n3 & n4 --> n5
            """)
    }

    @Test func mermaidOfNestedGroups() throws {
        let flow = try FlowParser.parse("a -> (b -> c, d), e -> f")
        #expect(FlowRenderer.mermaid(flow) == """
            flowchart LR
                n1["a"]
                n2["b"]
                n3["c"]
                n4["d"]
                n5["e"]
                n6["f"]
                n1 --> n2 & n5
                n2 --> n3 & n4
                n3 & n4 & n5 --> n6
            """)
    }

    @Test func mermaidGivesRepeatedAgentsTheirOwnNodes() throws {
        let flow = try FlowParser.parse("draft -> review -> draft")
        #expect(FlowRenderer.mermaid(flow) == """
            flowchart LR
                n1["draft"]
                n2["review"]
                n3["draft"]
                n1 --> n2
                n2 --> n3
            """)
        #expect(FlowRenderer.mermaid(try FlowParser.parse("a, b -> c, d")).hasSuffix("n1 & n2 --> n3 & n4"))
    }

    @Test func mermaidEscapesLabels() {
        let flow = FlowNode.sequence([.agent("say \"hi\" <b>#1"), .sequence([]), .agent("two\nlines")])
        #expect(FlowRenderer.mermaid(flow) == """
            flowchart LR
                n1["say #quot;hi#quot; #lt;b#gt;#35;1"]
                n2["two lines"]
                n1 --> n2
            """)
    }
}
