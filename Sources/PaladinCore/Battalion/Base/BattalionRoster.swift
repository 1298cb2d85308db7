/// A battalion's members, indexed once and shared by any number of runs: a caller that runs the
/// same members again and again (a service, a benchmark) builds the roster once and makes each
/// run's `BattalionContext` from it, so a run does not index its members again (~1,200
/// instructions and an allocation for 3 members, decision 41).
public struct BattalionRoster: Sendable {
    /// The members, found by name.
    let table: MemberTable

    /// Indexes `members`. A repeated name means the last member given under it.
    public init(_ members: [any BattalionMember]) {
        table = MemberTable(members)
    }

    /// The members, in the order given, without repeated names.
    public var members: [any BattalionMember] { table.members }
}
