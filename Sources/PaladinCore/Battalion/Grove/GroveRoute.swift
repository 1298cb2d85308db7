/// A Grove route: the member to run, and the keywords of the requests it should get.
public struct GroveRoute: Sendable, Hashable {
    /// The member that handles requests routed here.
    public var member: String
    /// Words or multi-word phrases; matched case-insensitively on whole words of the input.
    public var keywords: [String]

    /// A route to `member` for requests mentioning `keywords`.
    public init(member: String, keywords: [String]) {
        self.member = member
        self.keywords = keywords
    }
}
