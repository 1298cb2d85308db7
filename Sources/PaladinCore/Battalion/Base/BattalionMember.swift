/// Anything a battalion can run: a paladin, or a stand-in in tests.
public protocol BattalionMember: Sendable {
    /// Unique within a battalion.
    var name: String { get }
    /// Runs once on `input`; `events` hears text deltas while it runs.
    func run(_ input: String, events: (@Sendable (PaladinEvent) -> Void)?) async throws -> PaladinResult
    /// This member as a `PaladinAgent`, if it is one (nil by default): a witness-table call where
    /// `as? PaladinAgent` is a runtime dynamic cast (~450 instructions) on every member's step.
    var asPaladinAgent: PaladinAgent? { get }
}

extension BattalionMember {
    /// Not a paladin: members other than `PaladinAgent` run through `run(_:events:)` only.
    public var asPaladinAgent: PaladinAgent? { nil }
}

extension PaladinAgent: BattalionMember {
    public var name: String { definition.name }

    /// Itself.
    public var asPaladinAgent: PaladinAgent? { self }

    public func run(_ input: String, events: (@Sendable (PaladinEvent) -> Void)?) async throws -> PaladinResult {
        if let events { return try await execute(input, events: events) }
        return try await execute(input)
    }
}
