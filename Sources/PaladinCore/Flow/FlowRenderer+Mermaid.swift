extension FlowRenderer {
    /// A Mermaid `flowchart LR` of the flow, for documentation and dashboards.
    ///
    /// Every agent occurrence gets its own node (`n1`, `n2`, … in source order, so an agent used
    /// twice appears twice) labelled with its name. Steps of a sequence are joined by arrows; a
    /// parallel group fans out from its predecessor to each branch's first nodes and fans in from
    /// each branch's last nodes to its successor, written with Mermaid's `&` so the text stays
    /// linear in the size of the flow:
    /// ```
    /// flowchart LR
    ///     n1["intake"]
    ///     n2["security"]
    ///     n3["style"]
    ///     n4["synthesis"]
    ///     n1 --> n2 & n3
    ///     n2 & n3 --> n4
    /// ```
    public static func mermaid(_ node: FlowNode) -> String {
        var labels: [String] = []
        let graph = mermaidGraph(node, labels: &labels)
        let declarations = labels.enumerated().map { "    n\($0.offset + 1)[\"\(mermaidEscape($0.element))\"]" }
        return (["flowchart LR"] + declarations + graph.edges.map { "    " + $0 }).joined(separator: "\n")
    }

    /// A rendered subflow: the ids of the nodes it is entered at and left from, and its edges.
    private struct MermaidGraph {
        var entries: [String] = []
        var exits: [String] = []
        var edges: [String] = []
    }

    private static func mermaidGraph(_ node: FlowNode, labels: inout [String]) -> MermaidGraph {
        switch node {
        case .agent(let name):
            labels.append(name)
            let id = "n\(labels.count)"
            return MermaidGraph(entries: [id], exits: [id])
        case .sequence(let steps):
            var graph = MermaidGraph()
            for step in steps {
                let sub = mermaidGraph(step, labels: &labels)
                guard !sub.entries.isEmpty else { continue }  // an empty group passes straight through
                if graph.entries.isEmpty {
                    graph.entries = sub.entries
                } else {
                    graph.edges.append(graph.exits.joined(separator: " & ") + " --> " + sub.entries.joined(separator: " & "))
                }
                graph.exits = sub.exits
                graph.edges += sub.edges
            }
            return graph
        case .parallel(let branches):
            var graph = MermaidGraph()
            for branch in branches {
                let sub = mermaidGraph(branch, labels: &labels)
                graph.entries += sub.entries
                graph.exits += sub.exits
                graph.edges += sub.edges
            }
            return graph
        }
    }

    /// `label` made safe inside a quoted Mermaid label: quotes and markup characters become
    /// Mermaid entity codes, and line breaks and other control characters become spaces.
    static func mermaidEscape(_ label: String) -> String {
        var escaped = ""
        for character in label {
            switch character {
            case "\"": escaped += "#quot;"
            case "#": escaped += "#35;"
            case "<": escaped += "#lt;"
            case ">": escaped += "#gt;"
            case _ where character.isNewline || character.unicodeScalars.contains { $0.properties.generalCategory == .control }:
                escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
