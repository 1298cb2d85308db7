/// Campaign: members form a directed acyclic graph; each runs once on its parents' outputs, and
/// independent branches run concurrently.
///
/// - Entry points (`entryPoints`, or by default every member without incoming edges) start at
///   once on the input. An entry point may not have incoming edges.
/// - Any other member becomes ready when every parent has finished (succeeded, failed or
///   skipped). It runs if at least one incoming edge is satisfied: its parent succeeded and the
///   edge's `EdgeCondition` holds on the parent's output. Otherwise it is skipped: a `.skipped`
///   step, with the reason as its error, goes to the log. A member with no incoming edges that
///   is not an entry point is skipped too.
/// - A member's input is the outputs of its satisfied parents, joined by "\n---\n" in member
///   declaration order.
/// - Every ready member starts at once (a task group), so independent branches really run in
///   parallel (the reference runs them one by one in topological order).
/// - FailFast: the first failure cancels the members still running, members not started yet are
///   recorded as skipped, and the run fails. ContinueOnError / RetryThenContinue (after its
///   retries): a failed member's outgoing edges are unsatisfied, and the run goes on.
/// - The final output is the outputs of the sinks (members without outgoing edges) that
///   succeeded, joined by "\n---\n" in declaration order; the run fails when none succeeded.
///   `reasoning` lists the skipped members and why.
public struct Campaign: BattalionPattern {
    /// The graph's nodes, in declaration order (which orders joined inputs and the output).
    public var members: [String]
    /// The graph's edges.
    public var edges: [CampaignEdge]
    /// Members that get the input; empty means every member without incoming edges.
    public var entryPoints: [String]

    /// A campaign over `members` linked by `edges`, started at `entryPoints` (default: every
    /// member without incoming edges).
    public init(members: [String], edges: [CampaignEdge], entryPoints: [String] = []) {
        self.members = members
        self.edges = edges
        self.entryPoints = entryPoints
    }

    /// "campaign".
    public var patternName: String { "campaign" }
    /// The graph's nodes.
    public var memberNames: [String] { members }

    /// The entry points in effect: `entryPoints` if given, else the members without incoming
    /// edges, in declaration order.
    public var effectiveEntryPoints: [String] {
        guard entryPoints.isEmpty else { return entryPoints }
        let targets = Set(edges.map(\.to))
        return members.filter { !targets.contains($0) }
    }

    /// Members without outgoing edges, in declaration order: their outputs make the final output.
    public var sinks: [String] {
        let sources = Set(edges.map(\.from))
        return members.filter { !sources.contains($0) }
    }

    /// Runs the graph; see the type's documentation.
    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        var run = CampaignRun(campaign: self, input: input, context: context)
        return try await run.execute()
    }
}
