/// Every reason a parsed flow cannot run against the registered agents and configured limits,
/// collected together so a user can fix them all in one pass.
public struct FlowValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One reason a flow is invalid.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// `name` is not a registered agent; `suggestion` is the closest registered name by edit
        /// distance, if one is close enough, and `available` lists the registered names, sorted.
        case unknownAgent(name: String, suggestion: String?, available: [String])
        /// A sequence or parallel group with no children (only hand-built trees have them).
        case emptyGroup
        /// The flow nests `depth` levels deep, more than `limit` (see `FlowNode.depth`).
        case tooDeep(depth: Int, limit: Int)
        /// A parallel group fans out to `width` branches, more than `limit` (see `FlowNode.width`).
        case tooWide(width: Int, limit: Int)
        /// The flow invokes agents `count` times, more than `limit` (see `FlowNode.agentCount`).
        case tooManyAgents(count: Int, limit: Int)

        /// Registered names listed in full in a message; longer lists are cut with a count.
        static let listedNames = 20

        /// The problem as one line, e.g. `unknown agent 'secuirty'; did you mean 'security'? …`.
        public var description: String {
            switch self {
            case .unknownAgent(let name, let suggestion, let available):
                var text = "unknown agent '\(name)'"
                if let suggestion { text += "; did you mean '\(suggestion)'?" }
                guard !available.isEmpty else { return text + " (no agents are registered)" }
                let listed = available.prefix(Self.listedNames).joined(separator: ", ")
                let more = available.count > Self.listedNames ? " and \(available.count - Self.listedNames) more" : ""
                return text + " (available: \(listed)\(more))"
            case .emptyGroup:
                return "a sequence or parallel group has no steps"
            case .tooDeep(let depth, let limit):
                return "flow is nested \(depth) levels deep; the limit is \(limit)"
            case .tooWide(let width, let limit):
                return "a parallel group has \(width) branches; the limit is \(limit)"
            case .tooManyAgents(let count, let limit):
                return "flow runs \(count) agent steps; the limit is \(limit)"
            }
        }
    }

    /// The problems found, in a stable order: unknown agents (in order of first appearance),
    /// empty groups, then depth, width and agent-count limits. Never empty.
    public let problems: [Problem]

    /// Creates an error from the problems found.
    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// `invalid flow:` followed by one problem per line.
    public var description: String {
        (["invalid flow:"] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
