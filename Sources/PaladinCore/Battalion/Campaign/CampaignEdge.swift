/// A Campaign edge: `to` may run on `from`'s output when `from` succeeded and `condition` holds.
public struct CampaignEdge: Sendable, Hashable {
    /// The source member.
    public var from: String
    /// The target member.
    public var to: String
    /// When the edge is satisfied; checked on the source's output.
    public var condition: EdgeCondition {
        didSet { regex = Self.compile(condition) }
    }
    /// The compiled pattern of a `.regex` condition, compiled once with the edge rather than at
    /// every evaluation; `nil` for other conditions and refused patterns.
    private var regex: LinearRegex?

    /// An edge `from -> to`, satisfied when `from` succeeds and `condition` holds on its output.
    public init(from: String, to: String, condition: EdgeCondition = .always) {
        self.from = from
        self.to = to
        self.condition = condition
        regex = Self.compile(condition)
    }

    /// Whether `output` (of `from`, which succeeded) satisfies the condition; a refused
    /// pattern is never satisfied (and `Campaign.validate()` reports it).
    public func isSatisfied(by output: String) -> Bool {
        guard case .regex = condition else { return condition.isSatisfied(by: output) }
        return regex?.matches(in: output) ?? false
    }

    private static func compile(_ condition: EdgeCondition) -> LinearRegex? {
        guard case .regex(let pattern) = condition else { return nil }
        return try? LinearRegex(pattern)
    }

    /// Edges are equal when their ends and conditions are (the compiled pattern follows).
    public static func == (lhs: CampaignEdge, rhs: CampaignEdge) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.condition == rhs.condition
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(from)
        hasher.combine(to)
        hasher.combine(condition)
    }
}
