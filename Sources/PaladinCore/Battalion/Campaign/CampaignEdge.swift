/// A Campaign edge: `to` may run on `from`'s output when `from` succeeded and `condition` holds.
public struct CampaignEdge: Sendable, Hashable {
    /// The source member.
    public var from: String
    /// The target member.
    public var to: String
    /// When the edge is satisfied; checked on the source's output.
    public var condition: EdgeCondition

    /// An edge `from -> to`, satisfied when `from` succeeds and `condition` holds on its output.
    public init(from: String, to: String, condition: EdgeCondition = .always) {
        self.from = from
        self.to = to
        self.condition = condition
    }
}
