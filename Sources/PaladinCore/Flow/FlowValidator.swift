/// Checks a parsed flow against the registered agents and size limits before it runs, so bad
/// flows fail fast with every problem listed instead of partway through execution.
///
/// Validation is separate from parsing: a flow that parses may still name unknown agents or be
/// too large. The same agent may appear more than once in a flow (`draft -> review -> draft`
/// runs `draft` twice); that is allowed, and each appearance counts towards `maxAgents`.
public struct FlowValidator: Sendable, Hashable {
    /// The deepest nesting allowed (see `FlowNode.depth`). Default 5.
    public var maxDepth: Int
    /// The most agent invocations allowed, duplicates included (see `FlowNode.agentCount`). Default 30.
    public var maxAgents: Int
    /// The most branches allowed in one parallel group (see `FlowNode.width`). Default 16.
    public var maxWidth: Int

    /// Creates a validator with the given limits.
    public init(maxDepth: Int = 5, maxAgents: Int = 30, maxWidth: Int = 16) {
        self.maxDepth = maxDepth
        self.maxAgents = maxAgents
        self.maxWidth = maxWidth
    }

    /// Checks `node` and throws if anything is wrong.
    /// - Throws: `FlowValidationError` listing every problem found, not just the first.
    public func validate(_ node: FlowNode, knownAgents: Set<String>) throws(FlowValidationError) {
        let problems = problems(in: node, knownAgents: knownAgents)
        if !problems.isEmpty { throw FlowValidationError(problems: problems) }
    }

    /// Every problem with `node`, in `FlowValidationError.problems` order; empty when it is valid.
    public func problems(in node: FlowNode, knownAgents: Set<String>) -> [FlowValidationError.Problem] {
        var problems: [FlowValidationError.Problem] = []
        let available = knownAgents.sorted()
        let suggester = NameSuggester(available)
        for name in node.agentNames where !knownAgents.contains(name) {
            problems.append(.unknownAgent(name: name, suggestion: suggester.suggestion(for: name), available: available))
        }
        if node.containsEmptyGroup { problems.append(.emptyGroup) }
        let depth = node.depth
        if depth > maxDepth { problems.append(.tooDeep(depth: depth, limit: maxDepth)) }
        let width = node.width
        if width > maxWidth { problems.append(.tooWide(width: width, limit: maxWidth)) }
        let count = node.agentCount
        if count > maxAgents { problems.append(.tooManyAgents(count: count, limit: maxAgents)) }
        return problems
    }
}

extension FlowNode {
    /// Whether any group in the tree has no children.
    var containsEmptyGroup: Bool {
        switch self {
        case .agent: false
        case .sequence(let children), .parallel(let children):
            children.isEmpty || children.contains { $0.containsEmptyGroup }
        }
    }
}
