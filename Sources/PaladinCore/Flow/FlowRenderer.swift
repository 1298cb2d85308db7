/// Prints a `FlowNode` for people and tools: an ASCII tree for terminals, a Mermaid flowchart
/// for documentation, and canonical Flow DSL for storage and round trips.
public enum FlowRenderer {
    /// An indented tree with box-drawing branches, one node per line, e.g.
    /// ```
    /// sequence
    /// ├─ intake
    /// ├─ parallel
    /// │  ├─ security
    /// │  └─ style
    /// └─ synthesis
    /// ```
    /// Groups print as `sequence` or `parallel`; there is no trailing newline.
    public static func ascii(_ node: FlowNode) -> String {
        var lines: [String] = []
        asciiLines(node, prefix: "", connector: "", childPrefix: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func asciiLines(_ node: FlowNode, prefix: String, connector: String,
                                   childPrefix: String, into lines: inout [String]) {
        switch node {
        case .agent(let name):
            lines.append(prefix + connector + name)
        case .sequence(let children), .parallel(let children):
            lines.append(prefix + connector + (node.isSequence ? "sequence" : "parallel"))
            for (index, child) in children.enumerated() {
                let last = index == children.count - 1
                asciiLines(child, prefix: prefix + childPrefix, connector: last ? "└─ " : "├─ ",
                           childPrefix: last ? "   " : "│  ", into: &lines)
            }
        }
    }

    /// The flow as Flow DSL with parentheses only where the tree needs them, such that
    /// `FlowParser.parse(canonical(node)) == node` for every tree the parser can produce.
    ///
    /// A parallel group inside a sequence needs none (`,` binds tighter); a sequence inside a
    /// parallel group, and a group directly inside a group of the same kind, do. Hand-built
    /// trees that the parser cannot produce print as close as the DSL allows: a one-child group
    /// prints as its child, an empty group as `()` (which does not parse), and agent names are
    /// printed verbatim even if they are not valid identifiers.
    public static func canonical(_ node: FlowNode) -> String {
        switch node.collapsed {
        case .agent(let name):
            return name
        case .sequence(let children):
            return children.isEmpty ? "()" : children.map { child in
                child.collapsed.isSequence ? "(\(canonical(child)))" : canonical(child)
            }.joined(separator: " -> ")
        case .parallel(let children):
            return children.isEmpty ? "()" : children.map { child in
                child.collapsed.isAgent ? canonical(child) : "(\(canonical(child)))"
            }.joined(separator: ", ")
        }
    }
}

extension FlowNode {
    /// This node with one-child groups replaced by their child, as the parser would collapse them.
    var collapsed: FlowNode {
        var node = self
        while true {
            switch node {
            case .sequence(let children) where children.count == 1,
                 .parallel(let children) where children.count == 1:
                node = children[0]
            default:
                return node
            }
        }
    }

    /// Whether this is a `.sequence`.
    var isSequence: Bool {
        if case .sequence = self { true } else { false }
    }

    /// Whether this is an `.agent`.
    var isAgent: Bool {
        if case .agent = self { true } else { false }
    }
}
