import PaladinCore

/// A paladin the server knows: its definition, the agent built from it, and its bookkeeping.
struct StoredPaladin: Sendable {
    var agent: PaladinAgent
    var createdAtMicros: Int64
    var updatedAtMicros: Int64
    /// Starts at 1; increases by one on every update.
    var version: UInt64

    var definition: PaladinDefinition { agent.definition }
}

/// A battalion the server knows.
struct StoredBattalion: Sendable {
    var plan: BattalionPlan
    var createdAtMicros: Int64
}
