/// Anything a battalion can run: a paladin, or a stand-in in tests.
public protocol BattalionMember: Sendable {
    /// Unique within a battalion.
    var name: String { get }
    /// Runs once on `input`; `events` hears text deltas while it runs.
    func run(_ input: String, events: (@Sendable (PaladinEvent) -> Void)?) async throws -> PaladinResult
}

extension PaladinAgent: BattalionMember {
    public var name: String { definition.name }

    public func run(_ input: String, events: (@Sendable (PaladinEvent) -> Void)?) async throws -> PaladinResult {
        try await execute(input, sessionID: nil, emit: events)
    }
}
