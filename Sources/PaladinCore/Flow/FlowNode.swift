/// A parsed maneuver flow: the tree the Flow DSL describes, kept as plain data so that parsing,
/// validation, rendering and execution stay separate concerns.
///
/// Execution semantics (implemented by the executor, not here):
/// - `.agent(name)` runs the named agent on its input; its output is the agent's reply.
/// - `.sequence(steps)` runs the steps in order; the first step gets the sequence's input and
///   each later step gets the previous step's output. The last step's output is the sequence's.
/// - `.parallel(branches)` gives every branch the same input and runs them concurrently; its
///   output is the branches' outputs joined by `"\n---\n"` in declared order (not completion
///   order).
///
/// Groups nest freely: `a -> (b -> c, d), e -> f`, or with every group spelled out
/// `a -> ((b -> (c, d)), e) -> f`, is
/// `.sequence([a, .parallel([.sequence([b, .parallel([c, d])]), e]), f])`. The parser never
/// produces a group with fewer than two children, and keeps explicit same-kind nesting such as
/// `(a -> b) -> c` as written (it means the same as `a -> b -> c`).
public indirect enum FlowNode: Sendable, Hashable {
    /// One agent invocation, by registered agent name.
    case agent(String)
    /// Steps run one after another, each fed the previous step's output.
    case sequence([FlowNode])
    /// Branches run concurrently on the same input; outputs joined by `"\n---\n"`.
    case parallel([FlowNode])

    /// Parses Flow DSL source such as `intake -> (security, style) -> synthesis`.
    /// - Throws: `FlowParseError` describing the first problem and where it is.
    public init(parsing source: String) throws(FlowParseError) {
        self = try FlowParser.parse(source)
    }

    /// The distinct agent names, in order of first appearance, so callers can resolve each once.
    public var agentNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        forEachAgent { name in
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    /// Agent invocations, counting an agent each time it appears, to bound the work a flow does.
    public var agentCount: Int {
        var count = 0
        forEachAgent { _ in count += 1 }
        return count
    }

    /// Levels of nesting, to bound how complex a flow is: an agent is 1, a group is one more than
    /// its deepest child (an empty group is 1).
    public var depth: Int {
        switch self {
        case .agent:
            return 1
        case .sequence(let children), .parallel(let children):
            return 1 + children.reduce(0) { max($0, $1.depth) }
        }
    }

    /// The largest fan-out of any parallel group in the tree (1 when there is none), to bound how
    /// many branches run at once from one point.
    public var width: Int {
        switch self {
        case .agent:
            return 1
        case .sequence(let children):
            return children.reduce(1) { max($0, $1.width) }
        case .parallel(let children):
            return children.reduce(max(1, children.count)) { max($0, $1.width) }
        }
    }

    /// Calls `body` with every agent name in source order, duplicates included.
    func forEachAgent(_ body: (String) -> Void) {
        switch self {
        case .agent(let name):
            body(name)
        case .sequence(let children), .parallel(let children):
            for child in children { child.forEachAgent(body) }
        }
    }
}

extension FlowNode: CustomStringConvertible {
    /// The flow in canonical Flow DSL form (see `FlowRenderer.canonical`), for logs and messages.
    public var description: String { FlowRenderer.canonical(self) }
}
